"""Figures stated in the prose (收入、支出、三公经费 …), found by the layout's regexes."""

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from pipelines.extraction.pages import PageContent, pages_to_furniture
from pipelines.extraction.profiles import LayoutProfile
from pipelines.extraction.text import printed_to_decimals, text_to_amount, text_to_name, text_to_plain

_NEGATIVE_WORDS = ("减少", "下降", "降低")
# A function item named by its 类, 款 and 项 is labelled with the path of the three names.
_PATH_GROUPS = ("class", "section", "item")


@dataclass(frozen=True)
class NarrativeFigure:
    """An amount the prose states, with the page and the words around it."""

    figure_key: str
    label: str
    amount: Decimal
    unit_factor: int
    page: int
    snippet: str
    # Decimals the prose prints the amount with: its rounding, which the check against a table allows for.
    decimals: int = 2


# A page number printed as a line of its own: "3", "- 3 -", "—3—", "第3页", "3/27".
_PAGE_NUMBER = re.compile(r"^[-—–－·\s]*(第\s*)?\d{1,4}(\s*页)?(\s*/\s*\d{1,4})?(\s*页)?[-—–－·\s]*$")
# Blanks a producer leaves inside a printed amount, or between it and its unit: "1, 234. 5 万 元".
_BLANK_IN_AMOUNT = re.compile(r"(?<=[\d,.])\s+(?=[\d,.])|(?<=\d)\s+(?=万|元)|(?<=万)\s+(?=元)")


def line_to_prose(text: str) -> str:
    """One printed line as prose: no blanks at its ends, beside Chinese characters ("预算支出 395.6 万元": Chinese
    sets no spaces, producers do) or inside amounts, so a sentence reads on across lines and patterns need no \\s*."""
    return _BLANK_IN_AMOUNT.sub("", text_to_plain(text))


def pages_to_prose(pages: list[PageContent]) -> tuple[str, list[int]]:
    """Join pages into one string and remember where each page starts.

    Lines wrap mid-sentence and even mid-amount ("887.36万" / "元"), and a page break puts its footer, the page
    number and the next running header inside the sentence: those lines are left out, so an amount is read whole.
    """
    furniture = pages_to_furniture(pages)
    starts, parts, offset = [], [], 0
    for page in pages:
        starts.append(offset)
        kept = [line.text for line in page.lines if line.text.strip() not in furniture and not _PAGE_NUMBER.match(line.text)]
        text = "".join(line_to_prose(line) for line in kept)
        parts.append(text)
        offset += len(text)
    return "".join(parts), starts


def groups_to_label(groups: dict[str, str | None]) -> str:
    """The label a pattern captures: its `label` group, or the 类|款|项 name path."""
    path = [text_to_name(groups.get(key)) for key in _PATH_GROUPS if groups.get(key)]
    return "|".join(path) if path else text_to_name(groups.get("label") or "")


def prose_to_figures(profile: LayoutProfile, pages: list[PageContent]) -> list[NarrativeFigure]:
    """Every narrative figure the profile knows how to find."""
    prose, starts = pages_to_prose(pages)
    figures = []
    for spec in profile.narrative:
        matches = spec.pattern.finditer(prose) if spec.repeats else filter(None, [spec.pattern.search(prose)])
        for match in matches:
            amount = text_to_amount(match.group("amount"))
            if amount is None:
                continue
            groups = match.groupdict()
            if groups.get("sign") in _NEGATIVE_WORDS:
                amount = -amount
            page = pages[bisect.bisect_right(starts, match.start()) - 1].number
            figures.append(
                NarrativeFigure(
                    figure_key=spec.figure_key,
                    label=groups_to_label(groups),
                    amount=amount,
                    unit_factor=10000 if "万元" in match.group(0) else 1,
                    page=page,
                    snippet=match.group(0),
                    decimals=printed_to_decimals(match.group("amount")),
                )
            )
    return figures
