"""Render the sample PDF of the Shenzhen department budget from its reference text.

Usage: python -m pipelines.sample.render_shenzhen [OUTPUT] [--reference TEXT]

Every name and amount comes from the reference text at run time; this module only knows the
layout: page sizes, column widths and the merged header grids of the multi-level tables.
The tables break over pages where the original did (the blank lines of the text), without
repeating the header, the way published disclosures continue a table.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import textsplit as rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from pipelines.sample.reference_text import (
    ListItem,
    Part,
    ReferenceDocument,
    Subheading,
    TextTable,
    is_amount,
    load_reference,
)
from pipelines.sample.reference_text import Paragraph as TextParagraph
from pipelines.sample.reference_text import Table as ReferenceTable

DEFAULT_OUTPUT = Path("raw/shenzhen-luohu-science-innovation-bureau-2024-budget.pdf")
DEFAULT_REFERENCE = Path("/work/shared/reference/000_5a8eb43ea2156b69.txt")
DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT_NAME = "WenQuanYiZenHei"

PORTRAIT = A4
LANDSCAPE = landscape(A4)
PORTRAIT_MARGIN = 20 * mm
LANDSCAPE_MARGIN = 15 * mm
PORTRAIT_WIDTH_MM = (PORTRAIT[0] - 2 * PORTRAIT_MARGIN) / mm
LANDSCAPE_WIDTH_MM = (LANDSCAPE[0] - 2 * LANDSCAPE_MARGIN) / mm

# Header grids: cells separated by "|"; a run of "<" merges cells into the one on their left,
# a run of "^" into the one above.
LEFT, UP = "<", "^"


@dataclass(frozen=True)
class Layout:
    """How one table is printed."""

    widths_mm: tuple[float, ...]
    header: tuple[str, ...] = ()  # empty: the text's single header row, unmerged
    landscape: bool = False
    font_size: float = 9.0
    padding: float = 3.0  # above and below the text of a row
    span_first_column: bool = False  # a name cell spanning the rows below it that leave it empty


def _widths(fixed: tuple[float, ...], n_rest: int, total: float) -> tuple[float, ...]:
    """Fixed leading column widths, the rest of the width shared equally."""
    return fixed + ((total - sum(fixed)) / n_rest,) * n_rest


# 表一 and 表六 fit one page in the original, hence the tight rows.
_INCOME_EXPENSE = Layout(
    widths_mm=(55.0, 30.0, 55.0, 30.0),
    header=("收入|<|支出|<", "项目|2024年预算数|项目|2024年预算数"),
    font_size=8.5,
    padding=2.0,
)
_FUNCTION_TABLE = Layout(widths_mm=(36.0, 20.0, 54.0, 20.0, 20.0, 20.0))

LAYOUTS: dict[int, Layout] = {
    1: _INCOME_EXPENSE,
    2: Layout(
        widths_mm=_widths((25.0,), 16, LANDSCAPE_WIDTH_MM),
        header=(
            "预算单位|收入总计|本年收入|<<<<<<<<<<<<<|上年结转",
            "^|^|政府预算拨款|<<<<<<<|财政专户管理资金|单位资金|<<<<|^",
            "^|^|一般公共预算拨款|<<<<|政府投资项目拨款|政府性基金预算拨款|国有资本经营预算拨款|^"
            "|事业收入|事业单位经营收入|上级补助收入|附属单位上缴收入|其他收入|^",
            "^|^|小计|基本支出拨款|履职类项目拨款|财政专项资金拨款|政府投资项目拨款|^^^^^^^^^^",
        ),
        landscape=True,
        font_size=7.5,
        padding=5.0,
    ),
    3: Layout(
        widths_mm=_widths((34.0, 24.0, 50.0), 9, LANDSCAPE_WIDTH_MM),
        header=(
            "预算单位|科目编码(按支出功能科目编列至“项”级)|科目名称(按支出功能科目编列至“项”级)|支出总计"
            "|基本支出|项目支出|事业单位经营支出|对附属单位补助支出|上缴上级支出|其中：|<<",
            "^^^^^^^^^|小计|2024年政府采购项目中预留中小企业的项目资金规模"
            "|2024年政府采购项目中预留给小型、微型企业的项目资金规模",
        ),
        landscape=True,
        font_size=8.5,
        padding=6.0,
    ),
    4: Layout(
        widths_mm=_widths((45.0,), 12, LANDSCAPE_WIDTH_MM),
        header=(
            "支出项目类别|总计|政府预算拨款|<<<|财政专户管理资金|单位资金|<<<<|上年结转",
            "^|^|小计|一般公共预算拨款|政府性基金预算拨款|国有资本经营预算拨款|^"
            "|事业收入|事业单位经营收入|上级补助收入|附属单位上缴收入|其他收入|^",
        ),
        landscape=True,
        padding=5.0,
    ),
    5: Layout(
        widths_mm=_widths((37.0,), 15, LANDSCAPE_WIDTH_MM),
        header=(
            "支出项目类别(一级项目)|总计|政府预算拨款|<<<<<<|财政专户管理资金|单位资金|<<<<|上年结转",
            "^|^|一般公共预算拨款|<<<|政府投资项目拨款|政府性基金预算拨款|国有资本经营预算拨款|^"
            "|事业收入|事业单位经营收入|上级补助收入|附属单位上缴收入|其他收入|^",
            "^|^|小计|履职类项目拨款|财政专项资金拨款|政府投资项目拨款|^^^^^^^^^^",
        ),
        landscape=True,
        font_size=7.5,
        padding=5.0,
    ),
    6: _INCOME_EXPENSE,
    7: _FUNCTION_TABLE,
    8: _FUNCTION_TABLE,
    9: Layout(
        widths_mm=_widths((34.0, 24.0), 6, PORTRAIT_WIDTH_MM),
        header=(
            "预算单位|年度|“三公”经费财政拨款预算总额|因公出国(境)费|公务接待费|公务用车购置及运行维护费|<<",
            "^^^^^|小计|公务用车购置费|公务用车运行维护费",
        ),
        span_first_column=True,
    ),
    10: _FUNCTION_TABLE,
    11: _FUNCTION_TABLE,
    12: Layout(widths_mm=(40.0, 24.0, 40.0, 40.0, 26.0)),
    13: Layout(widths_mm=(64.0, 30.0, 46.0, 30.0)),
}

# 表十四 is a form on a 7-column grid; these are its printed labels.
TARGET_FORM_WIDTHS_MM = (14.0, 26.0, 24.0, 50.0, 20.0, 18.0, 18.0)
TARGET_FORM_LABELS = {
    "department": "部门（单位）名称",
    "supervisor": "主管部门",
    "tasks": "年度主要任务",
    "task_name": "任务名称",
    "task_content": "主要内容",
    "budget": "预算金额（万元）",
    "total": "总额",
    "fiscal": "其中：财政拨款",
    "other": "其中：其他资金",
    "sum": "金额合计",
    "goals": "年度总体目标",
    "indicators": "年度绩效指标",
}

PERFORMANCE_TABLE_WIDTHS_MM = (34.0, 24.0, 112.0)
FULL_WIDTH_CLOSING = "，；：！？、。”’》）」』】%"


@dataclass(frozen=True)
class Cell:
    """Text of one grid cell and how it is set: `header`, `text`, `amount` or `label`."""

    text: str
    kind: str = "text"


BLANK = Cell("")


@dataclass(frozen=True)
class Grid:
    """A table before it becomes reportlab flowables: cells, spans (row0, col0, row1, col1), font size."""

    rows: tuple[tuple[Cell, ...], ...]
    spans: tuple[tuple[int, int, int, int], ...]
    font_size: float
    padding: float = 3.0


def cjk_font_path() -> str:
    """The CJK font file: $BUDGET_CJK_FONT or WenQuanYi Zen Hei."""
    return os.environ.get("BUDGET_CJK_FONT", DEFAULT_FONT)


def register_cjk_font() -> str:
    """Register (once) the embedded CJK font and return its name."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, cjk_font_path(), subfontIndex=0))
    return FONT_NAME


def _forbid_line_start_punctuation() -> None:
    """Teach reportlab's CJK wrapping that full-width Chinese punctuation may not start a line."""
    # reportlab's kinsoku list covers Japanese but not the full-width comma, semicolon, colon…
    # of Chinese text; a disclosure never starts a line with them.
    for module in (rl_textsplit, rl_paragraph):
        missing = "".join(c for c in FULL_WIDTH_CLOSING if c not in module.ALL_CANNOT_START)
        module.ALL_CANNOT_START += missing


def _style(name: str, size: float, align: int = TA_LEFT, **extra: float) -> ParagraphStyle:
    """A paragraph style in the CJK font that wraps between any two characters."""
    leading = extra.pop("leading", size * 1.3)
    return ParagraphStyle(
        name, fontName=FONT_NAME, fontSize=size, leading=leading, alignment=align, wordWrap="CJK", **extra
    )


def _cell_style(kind: str, size: float) -> ParagraphStyle:
    """Alignment per cell kind: amounts right, headers and labels centred, text left."""
    align = {"amount": TA_RIGHT, "header": TA_CENTER, "label": TA_CENTER}.get(kind, TA_LEFT)
    style = _style(f"cell-{kind}-{size}", size, align, leading=size * 1.25)
    if kind == "amount":
        style.wordWrap = None  # an amount never breaks; its column is sized to hold it
    return style


def _markup(text: str) -> str:
    """Paragraph mini-markup for plain text; a newline is a line break."""
    return escape(text).replace("\n", "<br/>")


def render(document: ReferenceDocument, output: Path) -> Path:
    """Write the PDF of `document` to `output`."""
    register_cjk_font()
    _forbid_line_start_punctuation()
    output.parent.mkdir(parents=True, exist_ok=True)
    author = document.tables[14].form.supervisor if document.tables[14].form else ""
    doc = BaseDocTemplate(
        str(output),
        pagesize=PORTRAIT,
        title=document.title,
        author=author,
        creator="budget-etl sample renderer",
        invariant=1,
        pageTemplates=_page_templates(),
    )
    doc.build(list(_story(document)))
    return output


def _page_templates() -> list[PageTemplate]:
    """Cover (no folio), portrait and landscape pages with a centred folio."""
    return [
        PageTemplate("cover", [_frame(PORTRAIT, PORTRAIT_MARGIN)], pagesize=PORTRAIT),
        PageTemplate("portrait", [_frame(PORTRAIT, PORTRAIT_MARGIN)], onPage=_folio, pagesize=PORTRAIT),
        PageTemplate("landscape", [_frame(LANDSCAPE, LANDSCAPE_MARGIN)], onPage=_folio, pagesize=LANDSCAPE),
    ]


def _frame(size: tuple[float, float], margin: float) -> Frame:
    """The text area of a page."""
    width, height = size
    return Frame(margin, margin, width - 2 * margin, height - 2 * margin, 0, 0, 0, 0)


def _folio(canvas: Canvas, doc: BaseDocTemplate) -> None:
    """Page number centred in the bottom margin."""
    width, _ = canvas._pagesize
    canvas.setFont(FONT_NAME, 9)
    canvas.drawCentredString(width / 2, 8 * mm, f"- {doc.page} -")


def _story(document: ReferenceDocument) -> Iterator[Flowable]:
    """Cover, contents, the nine parts, then the 14 tables, each on its own page."""
    yield from _cover(document)
    for i, part in enumerate(document.parts):
        # The contents and the first part open a page; the parts then run on.
        if i <= 1:
            yield NextPageTemplate("portrait")
            yield PageBreak()
        yield from _part(part)
    for number in sorted(document.tables):
        yield from _table_pages(document.tables[number])


def _cover(document: ReferenceDocument) -> Iterator[Flowable]:
    """Title in the upper third, the preface sentence beneath it."""
    yield Spacer(0, 70 * mm)
    yield Paragraph(_markup(document.title), _style("cover-title", 20, TA_CENTER, leading=30))
    yield Spacer(0, 30 * mm)
    yield Paragraph(_markup(document.preface), _style("preface", 12, TA_JUSTIFY, leading=22, firstLineIndent=24))


def _part(part: Part) -> Iterator[Flowable]:
    """A part heading and its blocks."""
    heading = _style("part", 16, TA_CENTER, leading=24, spaceBefore=10, spaceAfter=12)
    subheading = _style("sub", 12, leading=20, spaceBefore=8, spaceAfter=4, firstLineIndent=21)
    yield Paragraph(_markup(part.heading), heading)
    for block in part.blocks:
        if isinstance(block, Subheading):
            yield Paragraph(_markup(block.text), subheading)
        elif isinstance(block, ListItem):
            yield Paragraph(_markup(block.text), _style("item", 11, leading=22, leftIndent=42))
        elif isinstance(block, TextParagraph):
            yield _body_paragraph(block.text)
        elif isinstance(block, TextTable):
            yield Spacer(0, 4)
            yield _flowable(_performance_grid(block), PERFORMANCE_TABLE_WIDTHS_MM)
            yield Spacer(0, 6)


def _body_paragraph(text: str) -> Paragraph:
    """Running text; narrowed by a hair when a line would otherwise start with punctuation."""
    # reportlab hangs at most one closing mark into the margin, so a pair like `）。` at a line
    # end still pushes the second mark to the next line; a slightly narrower measure avoids it.
    style = _style("body", 10.5, TA_JUSTIFY, leading=19, firstLineIndent=21, spaceAfter=2)
    for _ in range(20):
        paragraph = Paragraph(_markup(text), style)
        paragraph.wrap(PORTRAIT_WIDTH_MM * mm, PORTRAIT[1])
        # Plain text wraps into (extra space, [text]) lines.
        starts = [line[1][0][:1] for line in paragraph.blPara.lines[1:]]
        if not any(c in FULL_WIDTH_CLOSING for c in starts):
            break
        style = _with_style(style, rightIndent=style.rightIndent + 1)
    return Paragraph(_markup(text), style)


def _with_style(style: ParagraphStyle, **changes: float) -> ParagraphStyle:
    """A copy of `style` with some attributes changed."""
    return ParagraphStyle(style.name, parent=style, **changes)


def _performance_grid(table: TextTable) -> Grid:
    """The 第七部分 project table: name, amount, wrapped target text."""
    header = tuple(Cell(h, "header") for h in table.header)
    rows = tuple(tuple(_data_cell(c) for c in row) for row in table.rows)
    return Grid((header, *rows), (), 9.0)


def _data_cell(text: str) -> Cell:
    """Amounts are set right-aligned, everything else left."""
    return Cell(text, "amount" if is_amount(text) else "text")


def _table_pages(table: ReferenceTable) -> Iterator[Flowable]:
    """A table on a new page: centred title, caption line, then the grid in page-sized pieces."""
    is_landscape = table.number in LAYOUTS and LAYOUTS[table.number].landscape
    if table.number == 14:
        grid, breaks, widths = _target_form_grid(table), _target_form_breaks(table), TARGET_FORM_WIDTHS_MM
    else:
        layout = LAYOUTS[table.number]
        grid, widths = _table_grid(table, layout), layout.widths_mm
        n_header = len(grid.rows) - len(table.rows)
        breaks = tuple(n_header + b for b in table.page_breaks)
    yield NextPageTemplate("landscape" if is_landscape else "portrait")
    yield PageBreak()
    yield Paragraph(_markup(table.title), _style("table-title", 16, TA_CENTER, leading=24, spaceAfter=8))
    yield _caption(table, sum(widths))
    for i, piece in enumerate(_split(grid, breaks)):
        if i:
            yield PageBreak()
        yield _flowable(piece, widths)


def _caption(table: ReferenceTable, width_mm: float) -> Flowable:
    """`单位名称:…` on the left and `单位：万元` on the right of one unruled line."""
    style = _style("caption", 10)
    right = _style("caption-right", 10, TA_RIGHT)
    line = Table(
        [[Paragraph(_markup(table.entity_line), style), Paragraph(_markup(table.unit_line), right)]],
        colWidths=[width_mm * 0.7 * mm, width_mm * 0.3 * mm],
    )
    line.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return line


# A year is four digits standing alone (never part of an amount such as 2,024.00).
_YEAR = re.compile(r"(?<![\d.,])20\d{2}(?![\d.,])")


def _years_moved(lines: tuple[str, ...], table: ReferenceTable) -> tuple[str, ...]:
    """The layout's header lines with their years moved to those the table's own header prints: the merged grids
    are the reference's, which print its budget year; a variant of another year prints its own."""
    printed = [int(y) for row in table.header_rows for cell in row for y in _YEAR.findall(cell or "")]
    laid_out = [int(y) for line in lines for y in _YEAR.findall(line)]
    if not printed or not laid_out:
        return lines
    shift = max(printed) - max(laid_out)
    return tuple(_YEAR.sub(lambda m: str(int(m.group()) + shift), line) for line in lines)


def _table_grid(table: ReferenceTable, layout: Layout) -> Grid:
    """Header grid (merged per layout, or the text's own header row) above the data rows."""
    header_rows = [_expand(line) for line in _years_moved(layout.header, table)] or [list(table.header_rows[-1])]
    if any(len(h) != table.width for h in header_rows) or len(layout.widths_mm) != table.width:
        raise ValueError(f"表{table.number}: header or widths do not match {table.width} data columns")
    header = [[BLANK if c in (LEFT, UP) else Cell(c, "header") for c in row] for row in header_rows]
    data = [[_data_cell(c) for c in row] for row in table.rows]
    spans = _header_spans(header_rows)
    if layout.span_first_column:
        spans += _first_column_spans(table.rows, offset=len(header))
    return Grid(tuple(tuple(r) for r in header + data), tuple(spans), layout.font_size, layout.padding)


def _expand(line: str) -> list[str]:
    """One header grid line into cells; a run of merge markers is one marker per cell."""
    cells: list[str] = []
    for cell in line.split("|"):
        is_run = set(cell) in ({LEFT}, {UP})
        cells.extend(list(cell) if is_run else [cell])
    return cells


def _header_spans(rows: Sequence[Sequence[str]]) -> list[tuple[int, int, int, int]]:
    """SPAN rectangles of a header grid written with merge markers."""
    spans = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell in (LEFT, UP):
                continue
            c1 = c
            while c1 + 1 < len(row) and row[c1 + 1] == LEFT:
                c1 += 1
            r1 = r
            while r1 + 1 < len(rows) and rows[r1 + 1][c] == UP:
                r1 += 1
            if (r1, c1) != (r, c):
                spans.append((r, c, r1, c1))
    return spans


def _first_column_spans(rows: Sequence[Sequence[str]], offset: int) -> list[tuple[int, int, int, int]]:
    """A first-column name spans the following rows that leave the first column empty."""
    spans = []
    for r, row in enumerate(rows):
        if not row[0]:
            continue
        end = r
        while end + 1 < len(rows) and not rows[end + 1][0]:
            end += 1
        if end > r:
            spans.append((r + offset, 0, end + offset, 0))
    return spans


def _target_form_grid(table: ReferenceTable) -> Grid:
    """表十四 on its 7-column grid: header block, tasks, total, goals and indicators."""
    form = table.form
    assert form is not None
    label = {key: Cell(text, "label") for key, text in TARGET_FORM_LABELS.items()}
    rows: list[tuple[Cell, ...]] = [
        (label["department"], BLANK, Cell(form.department), BLANK, label["supervisor"], Cell(form.supervisor), BLANK),
        (label["tasks"], label["task_name"], label["task_content"], BLANK, label["budget"], BLANK, BLANK),
        (BLANK, BLANK, BLANK, BLANK, label["total"], label["fiscal"], label["other"]),
    ]
    spans = [(0, 0, 0, 1), (0, 2, 0, 3), (0, 5, 0, 6), (1, 1, 2, 1), (1, 2, 2, 3), (1, 4, 1, 6)]
    for task in form.tasks:
        amounts = (Cell(a, "amount") for a in (task.total, task.fiscal, task.other))
        spans.append((len(rows), 2, len(rows), 3))
        rows.append((BLANK, Cell(task.name), Cell(task.content), BLANK, *amounts))
    spans.append((1, 0, len(rows) - 1, 0))
    spans.append((len(rows), 0, len(rows), 3))
    rows.append((label["sum"], BLANK, BLANK, BLANK, *(Cell(a, "amount") for a in form.total)))
    spans.append((len(rows), 1, len(rows), 6))
    rows.append((label["goals"], Cell("\n".join(form.goals)), BLANK, BLANK, BLANK, BLANK, BLANK))
    indicators = len(rows)
    rows.append((label["indicators"], *(Cell(h, "label") for h in _indicator_cells(table.header_rows[0]))))
    kinds = ("label", "label", "text", "text", "text", "text")
    for (level1, level2), (_, _, level3, target) in zip(_printed_levels(table.rows), table.rows):
        cells = _indicator_cells((level1, level2, level3, target))
        rows.append((BLANK, *(Cell(c, k) for c, k in zip(cells, kinds))))
    spans.append((indicators, 0, len(rows) - 1, 0))
    spans += _indicator_spans(table.rows, indicators + 1)
    spans += [(indicators, 3, indicators, 4), (indicators, 5, indicators, 6)]
    return Grid(tuple(rows), tuple(spans), 8.5, 4.0)


def _indicator_cells(row: Sequence[str]) -> tuple[str, ...]:
    """(一级, 二级, 三级, 目标值) on columns 1-6: 三级 and 目标值 take two columns each."""
    level1, level2, level3, target = row
    return (level1, level2, level3, "", target, "")


def _printed_levels(rows: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """一级 and 二级 as printed: on the first row of their run only, the cell then spans the run."""
    printed = []
    for i, (level1, level2, *_) in enumerate(rows):
        above = rows[i - 1] if i else ("", "")
        new1 = level1 != above[0]
        new2 = new1 or level2 != above[1]
        printed.append((level1 if new1 else "", level2 if new2 else ""))
    return printed


def _indicator_spans(rows: Sequence[Sequence[str]], offset: int) -> list[tuple[int, int, int, int]]:
    """Runs of equal 一级 / 二级 labels merged vertically; 三级 and 目标值 merged across."""
    spans: list[tuple[int, int, int, int]] = []
    for level in (0, 1):
        start = 0
        for r in range(1, len(rows) + 1):
            if r == len(rows) or rows[r][: level + 1] != rows[start][: level + 1]:
                if r - 1 > start:
                    spans.append((start + offset, level + 1, r - 1 + offset, level + 1))
                start = r
    for r in range(len(rows)):
        spans += [(r + offset, 3, r + offset, 4), (r + offset, 5, r + offset, 6)]
    return spans


def _target_form_breaks(table: ReferenceTable) -> tuple[int, ...]:
    """Grid rows of 表十四 that began a new page in the original."""
    form = table.form
    assert form is not None
    task0 = 3
    indicators_header = task0 + len(form.tasks) + 2
    return tuple(task0 + b for b in form.task_page_breaks) + tuple(
        indicators_header + (b + 1 if b else 0) for b in form.indicator_page_breaks
    )


def _split(grid: Grid, breaks: Sequence[int]) -> Iterator[Grid]:
    """The grid cut at `breaks`; a span crossing a cut continues, blank, on the next piece."""
    bounds = [0, *breaks, len(grid.rows)]
    for start, end in zip(bounds, bounds[1:]):
        spans = []
        for r0, c0, r1, c1 in grid.spans:
            lo, hi = max(r0, start), min(r1, end - 1)
            if lo <= hi and (hi > lo or c1 > c0):
                spans.append((lo - start, c0, hi - start, c1))
        yield replace(grid, rows=grid.rows[start:end], spans=tuple(spans))


def _flowable(grid: Grid, widths_mm: Sequence[float]) -> Table:
    """A fully ruled reportlab table; long cell text wraps inside fixed column widths."""
    styles = {kind: _cell_style(kind, grid.font_size) for kind in ("header", "text", "amount", "label")}
    data = [[Paragraph(_markup(c.text), styles[c.kind]) if c.text else "" for c in row] for row in grid.rows]
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), grid.padding),
        # CJK glyphs sit high in their em box; a little more room below centres them visually.
        ("BOTTOMPADDING", (0, 0), (-1, -1), grid.padding + 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        *(("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in grid.spans),
    ]
    return Table(data, colWidths=[w * mm for w in widths_mm], repeatRows=0, style=TableStyle(commands))


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: render the reference text to OUTPUT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    reference = os.environ.get("BUDGET_REFERENCE_TEXT", DEFAULT_REFERENCE)
    parser.add_argument("--reference", type=Path, default=Path(reference))
    args = parser.parse_args(argv)
    print(render(load_reference(args.reference), args.output))


if __name__ == "__main__":
    main()
