"""Parse the text rendering of the Shenzhen department budget: the truth the sample PDF is rendered from.

The text came out of a PDF-to-text tool, so it carries that tool's artefacts: cells wrapped with
spaces (`住房公 积金`), rows split over two lines or over a page break (`其他社` / `会保障 缴费`),
a blank line wherever the original page ended, and markup (`<p>`, `$\\geq 5$`) in long cells.
This module undoes those artefacts and nothing else: every name and amount stays as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

Row = tuple[str, ...]

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_AMOUNT = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d{2}")
_HEADING = re.compile(r"^(#+)\s*(.+?)\s*$")
_PART_HEADING = re.compile(r"^(目\s*录|第[一二三四五六七八九十]+部分)")
_TABLE_TITLE = re.compile(r"^(?:#+\s*)?(表([一二三四五六七八九十]+)：.+?)\s*$")
_MATH = re.compile(r"\s*(?:\$(.+?)\$|<math>(.+?)</math>)\s*")
_MATH_SYMBOLS = {r"\geq": "≥", r"\leq": "≤", r"\%": "%"}
_P_TAG = re.compile(r"</?p>")
_P_BLOCK = re.compile(r"<p>(.*?)</p>")
# A paragraph that does not end on one of these was cut by a page break in the original.
_PARAGRAPH_ENDS = tuple("。：:；;！？!?")
_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
_TARGET_FORM = 14
_INDICATOR_BLOCK_LABEL = "年度绩效指标"


@dataclass(frozen=True)
class Subheading:
    """A heading inside a part, e.g. `一、部门职责`."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of running text."""

    text: str


@dataclass(frozen=True)
class ListItem:
    """One line of the table of contents."""

    text: str


@dataclass(frozen=True)
class TextTable:
    """A table printed inside the narrative (the 第七部分 performance table)."""

    header: Row
    rows: tuple[Row, ...]


Block = Subheading | Paragraph | ListItem | TextTable


@dataclass(frozen=True)
class Part:
    """The table of contents or one of the nine 第X部分 parts."""

    heading: str
    blocks: tuple[Block, ...]

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The running text of the part, in order."""
        return tuple(b.text for b in self.blocks if isinstance(b, Paragraph))


@dataclass(frozen=True)
class Task:
    """One 年度主要任务 row of 表十四; amounts as printed."""

    name: str
    content: str
    total: str
    fiscal: str
    other: str


@dataclass(frozen=True)
class TargetForm:
    """The form part of 表十四 that is not the indicator grid."""

    department: str
    supervisor: str
    tasks: tuple[Task, ...]
    total: tuple[str, str, str]
    goals: tuple[str, ...]
    task_page_breaks: tuple[int, ...]
    indicator_page_breaks: tuple[int, ...]


@dataclass(frozen=True)
class Table:
    """One of 表一 … 表十四 with its caption lines, messy header rows and repaired data rows.

    `page_breaks` are the indices of the rows that began a new page in the original.
    For 表十四 `rows` are the 年度绩效指标 rows (一级, 二级, 三级, 目标值) with the spanned
    levels filled in, and `form` holds the rest of the form.
    """

    number: int
    title: str
    entity_line: str
    unit_line: str
    header_rows: tuple[Row, ...]
    rows: tuple[Row, ...]
    page_breaks: tuple[int, ...] = ()
    form: TargetForm | None = None

    @property
    def width(self) -> int:
        """Number of columns of the data rows."""
        return max(len(r) for r in self.rows)


@dataclass(frozen=True)
class ReferenceDocument:
    """The whole department budget as printed."""

    title: str
    preface: str
    parts: tuple[Part, ...]
    tables: dict[int, Table]

    def part(self, prefix: str) -> Part:
        """The part whose heading starts with `prefix`, e.g. `第七部分`."""
        return next(p for p in self.parts if p.heading.startswith(prefix))


def load_reference(path: Path | str) -> ReferenceDocument:
    """Read and parse the reference text file."""
    return parse_reference(Path(path).read_text(encoding="utf-8"))


def parse_reference(text: str) -> ReferenceDocument:
    """Parse the reference text into its narrative parts and its 14 tables."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _TABLE_TITLE.match(line)]
    title, preface, parts = _parse_narrative(lines[: starts[0]])
    tables = [_parse_table(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)])]
    return ReferenceDocument(title, preface, parts, {t.number: t for t in tables})


def normalize(text: str) -> str:
    """Undo wrapping artefacts: markup to plain text, no whitespace next to CJK characters."""
    text = _P_TAG.sub("", _MATH.sub(lambda m: _math_to_text(m.group(1) or m.group(2)), text))
    return re.sub(r"\s+", " ", _SPACE_NEAR_CJK.sub("", text)).strip()


def is_amount(cell: str) -> bool:
    """True for an amount printed the way these tables print them (`15,577.52`, `0.00`)."""
    return bool(_AMOUNT.fullmatch(cell))


def chinese_numeral(text: str) -> int:
    """一 … 九十九 as an int."""
    tens, _, units = text.rpartition("十")
    if "十" not in text:
        return _NUMERALS[text]
    return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[units] if units else 0)


def _math_to_text(math: str) -> str:
    """`\\geq 5` → `≥5`."""
    for latex, symbol in _MATH_SYMBOLS.items():
        math = math.replace(latex, symbol)
    return re.sub(r"\s+", "", math)


def _parse_narrative(lines: list[str]) -> tuple[str, str, tuple[Part, ...]]:
    """Title, preface and parts from the lines before the first table."""
    title = ""
    preface: list[str] = []
    parts: list[Part] = []
    heading: str | None = None
    blocks: list[Block] = []
    table_rows: list[list[str]] = []
    for line in lines:
        if not line.strip():
            continue
        if "\t" in line:
            table_rows.append(line.split("\t"))
            continue
        if table_rows:
            blocks.append(_text_table(table_rows))
            table_rows = []
        match = _HEADING.match(line)
        if match and len(match.group(1)) == 1:
            title = match.group(2)
        elif match and _PART_HEADING.match(match.group(2)):
            if heading is not None:
                parts.append(Part(heading, tuple(blocks)))
            heading, blocks = match.group(2), []
        elif match:
            blocks.append(Subheading(match.group(2)))
        elif line.startswith("- "):
            blocks.append(ListItem(line[2:].strip()))
        elif heading is None:
            preface.append(normalize(line))
        else:
            _add_paragraph(blocks, normalize(line))
    if table_rows:
        blocks.append(_text_table(table_rows))
    if heading is not None:
        parts.append(Part(heading, tuple(blocks)))
    return title, "".join(preface), tuple(parts)


def _add_paragraph(blocks: list[Block], text: str) -> None:
    """Append a paragraph, re-joining one that a page break cut in two."""
    last = blocks[-1] if blocks else None
    if isinstance(last, Paragraph) and not last.text.endswith(_PARAGRAPH_ENDS):
        blocks[-1] = Paragraph(last.text + text)
    else:
        blocks.append(Paragraph(text))


def _text_table(raw_rows: list[list[str]]) -> TextTable:
    """The narrative table; a row starting with empty cells continues the row above."""
    rows: list[list[str]] = []
    for raw in raw_rows:
        cells = [normalize(c) for c in raw]
        if rows and not cells[0]:
            rows[-1] = _merge(rows[-1], cells)
        else:
            rows.append(cells)
    return TextTable(tuple(rows[0]), tuple(tuple(r) for r in rows[1:]))


def _merge(upper: list[str], lower: list[str]) -> list[str]:
    """Cell-wise concatenation of a row and its wrapped continuation."""
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    return [normalize(a + b) for a, b in zip(upper, lower)]


def _parse_table(lines: list[str]) -> Table:
    """One table: title line, caption lines, then tab-separated rows."""
    match = _TABLE_TITLE.match(lines[0])
    if not match:
        raise ValueError(f"not a table title: {lines[0]}")
    number = chinese_numeral(match.group(2))
    captions, body = _split_captions(lines[1:])
    entity_line, unit_line = captions
    if number == _TARGET_FORM:
        header, indicators, form = _parse_target_form(body)
        return Table(number, match.group(1), entity_line, unit_line, (header,), indicators, form=form)
    header_rows, rows, breaks = _parse_grid(body)
    return Table(number, match.group(1), entity_line, unit_line, header_rows, rows, breaks)


def _split_captions(lines: list[str]) -> tuple[list[str], list[str]]:
    """The caption lines above the table (a trailing double space continues a line) and the body."""
    captions: list[str] = []
    joining = False
    for i, line in enumerate(lines):
        if "\t" in line:
            return captions, lines[i:]
        if not line.strip():
            continue
        if joining:
            captions[-1] = normalize(captions[-1] + line)
        else:
            captions.append(normalize(line))
        joining = line.endswith("  ")
    raise ValueError("table without rows")


def _body_rows(body: list[str]) -> list[tuple[list[str], bool]]:
    """Normalised cells of each row, flagged when a page break (blank line) preceded it."""
    rows: list[tuple[list[str], bool]] = []
    after_break = False
    for line in body:
        if not line.strip():
            after_break = True
            continue
        rows.append(([normalize(c) for c in line.split("\t")], after_break))
        after_break = False
    return rows


def _parse_grid(body: list[str]) -> tuple[tuple[Row, ...], tuple[Row, ...], tuple[int, ...]]:
    """Header rows (those before the first amount), data rows and page breaks of a grid table."""
    header: list[list[str]] = []
    rows: list[list[str]] = []
    breaks: list[int] = []
    pending = False
    for cells, after_break in _body_rows(body):
        pending = pending or after_break
        has_amount = any(is_amount(c) for c in cells)
        if not rows and not has_amount:
            header.append(cells)
        elif rows and not has_amount:
            rows[-1] = _merge(rows[-1], cells)
        else:
            if pending and rows:
                breaks.append(len(rows))
            pending = False
            rows.append(cells)
    width = max(len(r) for r in rows)
    padded = tuple(tuple(r + [""] * (width - len(r))) for r in rows)
    return tuple(tuple(h[:width]) for h in header), padded, tuple(breaks)


def _parse_target_form(body: list[str]) -> tuple[Row, tuple[Row, ...], TargetForm]:
    """表十四: header block, 年度主要任务, 金额合计, 年度总体目标 and the 年度绩效指标 grid."""
    raw_goals = next(line for line in body if normalize(line).startswith("年度总体目标"))
    department = supervisor = ""
    tasks: list[Task] = []
    total: tuple[str, str, str] = ("", "", "")
    goals = [normalize(p) for p in _P_BLOCK.findall(raw_goals)]
    indicator_header: Row = ()
    indicators: list[Row] = []
    task_breaks: list[int] = []
    indicator_breaks: list[int] = []
    pending = False
    for cells, after_break in _body_rows(body):
        pending = pending or after_break
        filled = [c for c in cells if c]
        first = filled[0]
        if first == "部门（单位）名称":
            department = filled[1]
            supervisor = filled[filled.index("主管部门") + 1]
        elif first == "年度主要任务" or "总额" in filled or first == "年度总体目标":
            continue
        elif "一级指标" in filled:
            indicator_header = tuple(filled)
            if pending:
                indicator_breaks.append(0)
            pending = False
        elif first == "金额合计":
            total = (filled[1], filled[2], filled[3])
        elif indicator_header:
            if pending:
                indicator_breaks.append(len(indicators))
            pending = False
            indicators.append(_indicator(filled, indicators[-1] if indicators else None))
        elif is_amount(filled[-1]):
            if pending:
                task_breaks.append(len(tasks))
            pending = False
            tasks.append(Task(*filled[-5:]))
        elif not total[0]:  # before 金额合计 a text-only row continues a task, after it the goals
            tasks[-1] = _continue_task(tasks[-1], filled)
        else:
            goals.append("".join(filled))
    form = TargetForm(
        department, supervisor, tuple(tasks), total, tuple(goals), tuple(task_breaks), tuple(indicator_breaks)
    )
    return indicator_header, tuple(indicators), form


def _continue_task(task: Task, filled: list[str]) -> Task:
    """A 主要内容 cell wrapped onto the next page."""
    (more,) = filled
    return Task(task.name, normalize(task.content + more), task.total, task.fiscal, task.other)


def _indicator(filled: list[str], previous: Row | None) -> Row:
    """(一级, 二级, 三级, 目标值) from a row whose cells drifted; missing levels come from above.

    The text puts the cells of one row at varying positions, so positions are ignored: the
    leading cells named `…指标` are the levels (two: 一级 and 二级, one: 二级), the rest are
    the 三级 indicator and its target.
    """
    if filled[0] == _INDICATOR_BLOCK_LABEL:
        filled = filled[1:]
    n_levels = next((i for i, c in enumerate(filled) if not c.endswith("指标")), len(filled))
    levels, rest = filled[:n_levels], filled[n_levels:]
    above = previous or ("", "", "", "")
    level1 = levels[0] if n_levels == 2 else above[0]
    level2 = levels[-1] if levels else above[1]
    if n_levels > 2 or len(rest) > 2 or not (level1 and level2):
        raise ValueError(f"unexpected 年度绩效指标 row: {filled}")
    level3, target = (rest + ["", ""])[:2]
    return (level1, level2, level3, target)
