"""Document facts (year, budget or final account, 部门 or 单位, entity, region) read wherever they are printed.

In order: the cover (first two pages, a title or a caption wrapped over lines included), a caption or header
naming the entity (预算单位：…, 部门名称 …), the table titles, and only as a last resort the file name. Each fact
records where it was read; a fact found nowhere is listed as missing, never guessed. The patterns are data
(seed `document_facts.csv`).
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.extraction.pages import PageContent, TextLine
from pipelines.extraction.text import text_to_name
from pipelines.extraction.vocabulary import read_seed

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_FILE_KIND = {"final": ("final", "决算", "juesuan"), "budget": ("budget", "预算", "yusuan")}
# An entity is an organisation's name: CJK (and brackets), not a fragment of a sentence or a heading.
_ENTITY = re.compile(r"^[\u4e00-\u9fff（）()·XxＸｘ×＊*]{3,40}$")
_NOT_ENTITY = re.compile(r"^(?:[年度部门单位预算决算]|目录|第.部分)|(?:情况|说明|公开|如下)$")
# Templates name their entity XX局, ××单位, ＊＊部门 or 某某局 until someone fills them in.
PLACEHOLDER = re.compile(r"[XxＸｘ×＊*]{2,}|某某|〇〇")
FACTS = ("fiscal_year", "document_type", "scope", "entity_name", "region")
# A heading or caption is a short line; a sentence is longer.
_HEADING = 30
# A cover caption's name wraps onto two more lines at most, set in the caption's size (give or take a tenth).
_WRAPPED_LINES = 2
_SAME_SIZE = 0.1


@dataclass(frozen=True)
class FactPatterns:
    cover: tuple[re.Pattern, ...]
    entity: tuple[re.Pattern, ...]
    kind: re.Pattern
    central: re.Pattern
    region: re.Pattern
    organisation: re.Pattern

    @classmethod
    def load(cls, seed_dir: Path) -> "FactPatterns":
        rows = read_seed(seed_dir, "document_facts.csv")
        by_source = lambda source: tuple(re.compile(r["pattern"]) for r in rows if r["source"] == source)  # noqa: E731
        return cls(by_source("cover"), by_source("entity"), *by_source("kind"), *by_source("central"), *by_source("region"),
                   *by_source("organisation"))


@dataclass
class DocumentFacts:
    """What the document says about itself, and where it says it."""

    fiscal_year: int | None = None
    document_type: str | None = None
    scope: str | None = None
    entity_name: str | None = None
    region: str | None = None
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        return [f for f in FACTS if getattr(self, f) in (None, "")]

    def set(self, fact: str, value, source: str) -> None:
        if getattr(self, fact) in (None, "") and value not in (None, ""):
            setattr(self, fact, value)
            self.sources[fact] = source

    def sources_text(self) -> str:
        """e.g. 'fiscal_year: cover; entity_name: caption; region: entity name'."""
        return "; ".join(f"{fact}: {self.sources[fact]}" for fact in FACTS if fact in self.sources)


def kind_to_facts(kind: str) -> tuple[str, str]:
    """部门预算 → (budget, department); 单位决算 → (final_account, unit)."""
    return ("final_account" if "决算" in kind else "budget"), ("unit" if kind.startswith("单位") else "department")


def is_entity(text: str) -> bool:
    return bool(_ENTITY.match(text)) and not _NOT_ENTITY.search(text)


def is_organisation(name: str, patterns: FactPatterns) -> bool:
    """Whether a name ends the way an organisation's does (…局, …办事处, …局（本级）): one cut short mostly does not."""
    return is_entity(name) and bool(patterns.organisation.search(name))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def caption_at_line_end(text: str, patterns: FactPatterns) -> str | None:
    """The name a caption gives when it runs to the end of its line (预算单位：…), the only place it can wrap on."""
    for pattern in patterns.entity:
        for match in pattern.finditer(text):
            if match.end() == len(text):
                return text_to_name(match.group("entity"))
    return None


def continues(first: TextLine, above: TextLine, following: TextLine) -> bool:
    """Whether `following` goes on with the paragraph `first` begins (`above` is its line so far): on the same page,
    as tall, right below, and within the first line's width (a wrapped line is as wide as the paragraph allows; the
    rest is left-aligned, centred or right-aligned under it)."""
    height = first.bottom - first.top
    slack = _SAME_SIZE * height
    return (
        following.page == first.page
        and abs((following.bottom - following.top) - height) <= slack
        and -slack <= following.top - above.bottom <= height
        and following.x0 >= first.x0 - slack
        and following.x1 <= first.x1 + slack
    )


def wrapped_caption(lines: list[TextLine], index: int, printed: dict[int, str], patterns: FactPatterns) -> tuple[str, int]:
    """Line `index`, with its caption's name joined to the lines it wraps onto, and how many lines that takes.

    A following line is joined while it continues the paragraph (see `continues`). The longest join whose name the
    document prints on another page (`printed`: each page's text, lines run on) is taken; failing that, the longest
    that reads as an organisation's name, when the name on the caption's own line does not (so a complete name is
    never lengthened by a line that only sits under it).
    """
    text = _flat(lines[index].text)
    name = caption_at_line_end(text, patterns)
    if name is None:
        return text, 1
    joins = []
    joined, last = text, lines[index]
    for taken, following in enumerate(lines[index + 1: index + 1 + _WRAPPED_LINES], start=2):
        if not continues(lines[index], last, following):
            break
        joined, last = joined + _flat(following.text), following
        longer = caption_at_line_end(joined, patterns)
        if longer is not None and is_organisation(longer, patterns):
            joins.append((joined, taken, longer))
    elsewhere = [page_text for number, page_text in printed.items() if number != lines[index].page]
    confirmed = [(j, taken) for j, taken, longer in joins if any(longer in page_text for page_text in elsewhere)]
    if confirmed:
        return confirmed[-1]
    if joins and not is_organisation(name, patterns):
        return joins[-1][:2]
    return text, 1


def cover_lines(cover: list[TextLine], printed: dict[int, str], patterns: FactPatterns) -> list[str]:
    """The cover's lines without spaces, a caption wrapped over lines as one line."""
    out, index = [], 0
    while index < len(cover):
        text, taken = wrapped_caption(cover, index, printed, patterns)
        out.append(text)
        index += taken
    return out


def cover_to_facts(facts: DocumentFacts, cover: str, patterns: FactPatterns) -> None:
    """The cover's title, the first one printed: with its line breaks (a title printed over lines), else with the
    lines joined (a title wrapped mid-word)."""
    for text in (cover, cover.replace("\n", "")):
        candidates = []
        for order, pattern in enumerate(patterns.cover):
            for match in pattern.finditer(text):
                groups = {k: v for k, v in match.groupdict().items() if v}
                if "entity" not in groups or is_entity(text_to_name(groups["entity"])):
                    candidates.append((match.start(), order, groups))
                    break
        if candidates:
            groups = min(candidates, key=lambda c: c[:2])[2]
            document_type, scope = kind_to_facts(groups["kind"])
            facts.set("fiscal_year", int(groups["year"]), "cover")
            facts.set("document_type", document_type, "cover")
            facts.set("scope", scope, "cover")
            facts.set("entity_name", text_to_name(groups.get("entity", "")), "cover")
            facts.set("region", text_to_name(groups.get("region", "")), "cover")
            return


def lines_to_entities(lines: list[str], patterns: FactPatterns) -> Counter:
    """The entities the captions and headers name (预算单位：…, 部门：…, 部门名称 …), with how often."""
    return Counter(
        name
        for line in lines
        for pattern in patterns.entity
        for match in pattern.finditer(line)
        if is_entity(name := text_to_name(match.group("entity")))
    )


def lines_to_entity(lines: list[str], patterns: FactPatterns) -> str | None:
    """The entity a caption or header names most often."""
    found = lines_to_entities(lines, patterns)
    return found.most_common(1)[0][0] if found else None


def completed_entity(name: str, named: Counter, patterns: FactPatterns) -> str | None:
    """The name the captions and headers give in full when `name` was cut short: it does not end as an
    organisation's name does, and the name they print most often starts with it. Only the most often printed: a
    table may caption one of the entity's own units (…街道社区事务受理服务中心), which is not the entity."""
    if is_organisation(name, patterns):
        return None
    others = [n for n, _ in named.most_common() if n != name]
    return others[0] if others and others[0].startswith(name) and is_organisation(others[0], patterns) else None


def entity_to_region(entity: str, patterns: FactPatterns) -> str | None:
    """The issuing government: 中央 for a central body, else the entity name's 省/市/区/县 prefix."""
    if patterns.central.search(entity):
        return "中央"
    match = patterns.region.match(entity)
    return match.group("region") if match and match.group("region") else None


def titles_to_facts(facts: DocumentFacts, titles: list[str], patterns: FactPatterns) -> None:
    """What the table titles say: their year, 决算 or 预算, 部门 or 单位 (部门收支总表, 预算单位收入预算总表)."""
    years = Counter(int(m.group(1)) for title in titles for m in _YEAR.finditer(title))
    if years:
        facts.set("fiscal_year", years.most_common(1)[0][0], "table titles")
    if titles:
        facts.set("document_type", "final_account" if any("决算" in t for t in titles) else "budget", "table titles")
    scopes = Counter("unit" if "单位" in t else "department" for t in titles if re.search(r"(?:部门|单位)[^。]*表", t))
    if scopes:
        facts.set("scope", scopes.most_common(1)[0][0], "table titles")


def file_name_to_facts(facts: DocumentFacts, name: str) -> None:
    """The last resort: a year and 'budget'/'final' in the file's name."""
    year = _FILE_YEAR.search(name)
    facts.set("fiscal_year", int(year.group(1)) if year else None, "file name")
    lowered = name.lower()
    for document_type, words in _FILE_KIND.items():
        if any(w in lowered for w in words):
            facts.set("document_type", "final_account" if document_type == "final" else "budget", "file name")
            break


def pages_to_facts(pages: list[PageContent], titles: list[str], file_name: str, patterns: FactPatterns) -> DocumentFacts:
    """Every document fact from wherever the document prints it (see the module's docstring)."""
    facts = DocumentFacts()
    lines = [_flat(line.text) for page in pages for line in page.lines]
    # Each page's lines run on, for a name wrapped in prose too: what a wrapped cover caption is checked against.
    printed = {page.number: "".join(_flat(line.text) for line in page.lines) for page in pages}
    cover = cover_lines([line for page in pages[:2] for line in page.lines], printed, patterns)
    cover_to_facts(facts, "\n".join(cover), patterns)
    facts.set("entity_name", lines_to_entity(cover, patterns) or lines_to_entity(lines, patterns), "caption")
    if facts.entity_name and (full := completed_entity(facts.entity_name, lines_to_entities(lines, patterns), patterns)):
        facts.entity_name = full
        facts.sources["entity_name"] += " (completed by the captions)"
    # Headings and captions, not sentences: prose mentions other years and other kinds of disclosure.
    headings = [line for line in lines if len(line) <= _HEADING]
    titles_to_facts(facts, titles, patterns)
    kinds = Counter(m.group("kind") for line in headings for m in patterns.kind.finditer(line))
    if kinds:
        document_type, scope = kind_to_facts(kinds.most_common(1)[0][0])
        facts.set("document_type", document_type, "headings")
        facts.set("scope", scope, "headings")
    years = Counter(int(m.group(1)) for line in headings for m in _YEAR.finditer(line))
    if years:
        facts.set("fiscal_year", years.most_common(1)[0][0], "headings")
    file_name_to_facts(facts, file_name)
    if facts.entity_name:
        facts.set("region", entity_to_region(facts.entity_name, patterns), "entity name")
        if "本级" in facts.entity_name and facts.scope == "department":
            # 本级 is the department's own unit, without its subordinate units (WAREHOUSE.md: scope 'unit').
            facts.scope = "unit"
            facts.sources["scope"] += " (本级)"
    return facts
