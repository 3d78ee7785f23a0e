"""Figures stated in the prose (收入、支出、三公经费 …), found by the layout's regexes."""

import bisect
from dataclasses import dataclass
from decimal import Decimal

from pipelines.extraction.pages import PageContent
from pipelines.extraction.profiles import LayoutProfile
from pipelines.extraction.text import text_to_amount, text_to_name

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


def pages_to_prose(pages: list[PageContent]) -> tuple[str, list[int]]:
    """Join pages into one string (lines wrap mid-sentence) and remember where each page starts."""
    starts, parts, offset = [], [], 0
    for page in pages:
        starts.append(offset)
        text = "".join(line.text for line in page.lines)
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
                )
            )
    return figures
