"""Turn grids into the standard tables: titles and header words read by meaning, tables stitched over pages.

A grid is what pdfplumber's table finder saw on one page. Its header rows are the rows above the first data
row; a header cell spanning several grid columns makes them one column (office producers split a column
wherever one row needs it). A grid without a title above it continues the open table, its cells placed by
their x position under the table's columns, so a continuation page may differ in its ruling.
"""

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from pipelines.extraction.pages import BBox, Grid, PageContent, TextLine, pages_to_furniture
from pipelines.extraction.profiles import LayoutProfile, TableSpec
from pipelines.extraction.text import looks_like_printed_amount, printed_to_decimals, text_to_amount, text_to_name
from pipelines.extraction.vocabulary import TitleLabels, label_to_number, line_to_label, line_to_title, text_to_flat, title_to_rule

UNIT_FACTORS = {"元": 1, "万元": 10000}
# 单位：万元, 金额单位：万元, 单位:元, (单位：万元), 单位：万 元.
_UNIT = re.compile(r"单位[：:]?[（(]?(万元|元)")
# A caption printed inside the grid, above the header: the entity, the unit, the date.
_CAPTION = re.compile(r"^(?:部门|单位|编制单位|预算单位|单位名称|部门名称|预算主管部门)[：:]|单位[：:]\s*(?:万元|元)|^[（(]?20\d{2}年度?[）)]?$")
# The row numbering a final account prints under its header ("栏次 1 2 3", "行次").
_SERIAL = re.compile(r"^(?:栏次|行次|栏号)$")
# A year in a header label: the document's own year reads 本年, the one before 上年, so words alone say which.
_YEAR = re.compile(r"(20\d{2})年度?")
# A line of prose is longer than a title, a label or a caption.
_PROSE_LINE = 25
_MAX_TITLE_PART = 30
# Tables whose rows are classification subjects (by function or economic code).
_CODED_KINDS = ("expenditure", "revenue")
_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")
_SPLIT_CODE = re.compile(r"\d{3}(?:\s+\d{1,2}){1,2}")
# The words of a header row set beside a table's first total row (决算: 类 | 款 | 项 | 合计 | 2,940.05 …).
_CODE_PART_WORDS = {"类", "款", "项"}
# A code printed before the name in the same cell: "[201]一般公共服务支出", "2010601-行政运行", "201 一般公共服务支出".
_CODE_BEFORE_NAME = re.compile(r"^[\[【（(]?(\d{3}(?:\d{2}){0,2})[\]】）)]?(?:\s*[-－—.、:：]\s*|\s+|(?=[^\d.,]))(?P<name>.*)$")
# The meaning the vocabulary gives a figure column that its header does not name (项目 | 金额): each figure means what
# the label of its row says (a 收入总表 printing its fund sources one a row).
ROW_NAMED = "row_named"


@dataclass
class Column:
    """A table column: its joined header label, the meaning the vocabulary gives it, and where it is printed."""

    index: int
    header_label: str
    column_key: str | None
    is_amount: bool
    x0: float = 0.0
    x1: float = 0.0
    # Place of the vocabulary row that gave the meaning: when two columns claim one meaning, the more specific
    # row (the earlier one) keeps it.
    rank: int = 0


@dataclass
class Cell:
    """One printed cell with its page position, so every number can be traced."""

    column_index: int
    printed: str
    amount: Decimal | None
    bbox: BBox | None
    # Text of a cell merged down over this row from a row above: printed once, meant for each row it spans.
    carried: str | None = None
    # The page it is printed on, when not its row's: a table printing its figures one a row is read as one row.
    page: int | None = None

    @property
    def text(self) -> str:
        """What the cell says: its own print, or the text of the cell merged down over it."""
        return self.printed if self.carried is None else self.carried


@dataclass
class Row:
    """One printed data row."""

    row_number: int
    page: int
    bbox: BBox
    cells: list[Cell]
    # The classification code the row is printed for (its code column, its 类|款|项 columns joined, or the
    # code printed before its name: "[201]…", "2010301-…"), and its name without that code.
    code: str | None = None
    name: str | None = None


@dataclass
class Table:
    """A standard table, stitched over all the pages it is printed on."""

    spec: TableSpec
    title: str
    title_page: int
    # The table's printed number (表3, 公开03表, 三、), else its place among the document's tables.
    number: int = 0
    # The label it prints (表3, 公开03表, 三、); empty when it prints none or is a sub-table of the table around it.
    label: str = ""
    unit_factor: int | None = None
    # Where the unit was read: "caption" (printed with the table), "header" (a column label), "document".
    unit_source: str | None = None
    empty_statement: str | None = None
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    # Columns as first printed; a table printed as side-by-side blocks has len(columns) × blocks.
    printed_width: int = 0
    # 2 for the second time the document prints this standard table (somewhere else, not as a continuation).
    occurrence: int = 1
    # Header words (each header row's texts) as first printed: a continuation page may print them again.
    header_words: frozenset[str] = frozenset()

    @property
    def key(self) -> str:
        """The table's key in the warehouse: the standard key, marked when the table is printed again."""
        return self.spec.table_key if self.occurrence == 1 else f"{self.spec.table_key}#{self.occurrence}"

    @property
    def decimals(self) -> int | None:
        """Decimals the table prints its amounts with (the most any non-zero amount shows; a zero printed as 0.00
        in a table of whole 元 says nothing of its rounding); None when it prints no non-zero amount."""
        printed = [c.printed for r in self.rows for c in r.cells if c.amount]
        return max((printed_to_decimals(text) for text in printed), default=None)

    @property
    def unparsed_amounts(self) -> int:
        amounts = {c.index for c in self.columns if c.is_amount}
        return sum(1 for r in self.rows for c in r.cells if c.column_index in amounts and c.amount is None and c.printed.strip())


# ---------------------------------------------------------------------------------------------- grid geometry


def _covering_cell(grid: Grid, row: int, column: int) -> int | None:
    """Grid column of the cell covering (row, column), following horizontal merges leftwards."""
    if grid.cells[row][column] is not None:
        return column
    center = grid.column_center(column)
    for left in range(column - 1, -1, -1):
        box = grid.cells[row][left]
        if box is not None:
            return left if box[2] >= center else None
    return None


def grid_to_merged_down(grid: Grid, row: int, column: int) -> tuple[str, BBox] | None:
    """Text and box of the cell merged down over (row, column) from a row above, if one spans it."""
    top, bottom = grid.row_boxes[row][1], grid.row_boxes[row][3]
    center = grid.column_center(column)
    for above in range(row - 1, -1, -1):
        box = grid.cells[above][column]
        if box is not None:
            return (grid.texts[above][column] or "", box) if box[3] >= (top + bottom) / 2 and box[0] <= center <= box[2] else None
    return None


def row_to_texts(grid: Grid, row: int) -> list[str]:
    """The non-empty texts of a grid row, normalised."""
    return [t for t in (text_to_name(x) for x in grid.texts[row]) if t]


def grid_to_first_data_row(grid: Grid, spec: TableSpec, start: int = 0) -> int:
    """The first row printing an amount (a decimal point or thousands separator) or led by a code or an ordinal;
    in a table printing neither (blank or '-' zeros, no codes), the first 合计 or 无 row; else the end. The rows
    above are header."""
    if spec.header_rows is not None:
        return min(start + spec.header_rows, len(grid.texts))
    rows = range(start, len(grid.texts))
    with_amount = next((i for i in rows if any(looks_like_printed_amount(t) for t in grid.texts[i][1:])), None)
    coded = next((i for i in rows if (texts := row_to_texts(grid, i)) and spec.data_row_pattern.search(texts[0])), None)
    found = [i for i in (with_amount, coded) if i is not None]
    if found:
        return min(found)
    # A total row prints 合计 at its left, or alone (an empty table); a header may print 合计 over an amount column.
    def is_total(i: int) -> bool:
        texts = row_to_texts(grid, i)
        left = text_to_name(" ".join(t or "" for t in grid.texts[i][:2]))
        return bool(spec.total_row_pattern.search(left) or len(texts) == 1 and spec.total_row_pattern.search(texts[0]))

    return next((i for i in rows if is_total(i)), len(grid.texts))


def _is_furniture_row(texts: list[str], title: str, labels) -> bool:
    """A header row that names no column: the title, its label or a caption printed inside the grid, a row
    numbering (栏次 1 2 3), nothing."""
    if not texts:
        return True
    flat = re.sub(r"[“”\"（）()]", "", text_to_flat("".join(texts)))
    if len(texts) == 1 and title and (flat in title or title in flat) and len(flat) >= 4:
        return True
    if len(texts) == 1 and labels and line_to_label(flat, labels)[0] and not line_to_label(flat, labels)[1]:
        return True
    # A caption row may carry the tail of a wrapped entity name ("部门名称：江苏省高级人民法" / "院 | 单位：万元").
    return any(_CAPTION.search(t) for t in texts) or all(_SERIAL.match(t) or re.fullmatch(r"\d{1,2}", t) for t in texts) or bool(_SERIAL.match(texts[0]))


def grid_to_header_rows(grid: Grid, start: int, end: int, title: str = "", labels=None) -> list[int]:
    """The rows between `start` and the first data row that print column headers."""
    return [r for r in range(start, end) if not _is_furniture_row(row_to_texts(grid, r), title, labels)]


def grid_to_spans(grid: Grid, header_rows: list[int]) -> list[tuple[int, int]]:
    """Runs of grid columns under one header cell in every header row: each run is one column of the table."""
    width = len(grid.column_edges) - 1
    if not header_rows:
        return [(c, c) for c in range(width)]
    starts = [0] + [c for c in range(1, width) if any(grid.cells[r][c] is not None for r in header_rows)]
    return [(a, b - 1) for a, b in zip(starts, starts[1:] + [width])]


# A grid column this far outside a cell's box is still under it: one ruling's edges differ by fractions of a point.
_EDGE_SLACK = 1.0


def _spans_under_box(grid: Grid, spans: list[tuple[int, int]], box: BBox) -> list[int]:
    """Indexes of the spans lying wholly under a cell's box."""
    return [
        i for i, (a, b) in enumerate(spans)
        if box[0] - _EDGE_SLACK <= grid.column_edges[a] and grid.column_edges[b + 1] <= box[2] + _EDGE_SLACK
    ]


def _is_group_of(label: str, labels: list[str]) -> bool:
    """A label that is only the group header above another's ('支出预算' of '支出预算/合计'): a sliver under a group
    header reads the group's text and nothing of its own."""
    return any(other.startswith(label + "/") for other in labels)


def spans_to_padded_cells(
    grid: Grid, blank_rows: list[int], spans: list[tuple[int, int]], labels: list[str]
) -> tuple[list[tuple[int, int]], list[str]]:
    """The spans (and labels) one cell of a blank header row covers, at most one of them labelled (beyond a group
    header over them all), as one column.

    Word and WPS may draw a header cell's padding as empty cells of their own beside its text (公开03表's 合计
    between two slivers) while the blank row above and the data rows below print the whole cell: the slivers name
    no column, and the figures under the cell may sit under any of them."""
    spans, labels = list(spans), list(labels)
    for row in blank_rows:
        for box in filter(None, grid.cells[row]):
            inside = _spans_under_box(grid, spans, box)
            named = [labels[i] for i in inside if labels[i] and not _is_group_of(labels[i], [labels[j] for j in inside])]
            if len(inside) > 1 and len(named) <= 1:
                first, last = inside[0], inside[-1]
                spans[first : last + 1] = [(spans[first][0], spans[last][1])]
                labels[first : last + 1] = ["".join(named)]
    return spans, labels


def spans_to_labels(grid: Grid, header_rows: list[int], spans: list[tuple[int, int]]) -> list[str]:
    """One label per column: its header texts, top to bottom, joined by '/'."""
    labels = []
    for first, _ in spans:
        parts: list[str] = []
        for row in header_rows:
            covering = _covering_cell(grid, row, first)
            text = text_to_name(grid.texts[row][covering]) if covering is not None else ""
            if text and not looks_like_printed_amount(text) and (not parts or parts[-1] != text):
                parts.append(text)
        labels.append("/".join(parts))
    return labels


def label_to_relative_years(label: str, fiscal_year: int | None) -> str:
    """The document's year as 本年 and the year before as 上年: '2026年预算数' in a 2026 budget is 本年预算数."""
    if fiscal_year is None:
        return label

    def relative(match: re.Match) -> str:
        year = int(match.group(1))
        return "本年" if year == fiscal_year else "上年" if year == fiscal_year - 1 else match.group(0)

    return _YEAR.sub(relative, label)


def _group_of(label: str) -> str:
    return label.rpartition("/")[0]


def labels_to_readings(spec: TableSpec, labels: list[str]) -> list[str]:
    """The labels as their meanings are read: a figure word naming no meaning of its own (金额: ROW_NAMED) under
    another group header than the text column to its left is the figure of that column's items, read under its
    label (Word draws 支出用途 over 功能分类's 金额: 功能科目名称 | 金额 | 项目名称 | 金额); any other label as printed."""
    readings = list(labels)
    for index in range(1, len(labels)):
        label, left = labels[index], labels[index - 1]
        word = label.rpartition("/")[2]
        named, beside = spec.column_for(word) if "/" in label else None, spec.column_for(left) if left else None
        if named and named.column_key == ROW_NAMED and beside and not beside.is_amount and _group_of(left) != _group_of(label):
            readings[index] = f"{left}/{word}"
    return readings


def labels_to_columns(spec: TableSpec, labels: list[str], fiscal_year: int | None) -> list[Column]:
    """Give each header label the meaning the vocabulary assigns to it (as labels_to_readings reads it)."""
    columns = []
    for index, (label, reading) in enumerate(zip(labels, labels_to_readings(spec, labels))):
        found = spec.column_for(label_to_relative_years(reading, fiscal_year)) if label else None
        rank = spec.columns.index(found) if found else 0
        columns.append(Column(index, label, found.column_key if found else None, bool(found and found.is_amount), rank=rank))
    return columns


def columns_to_block_width(columns: list[Column]) -> int:
    """Width of one block when the same mapped columns are printed again side by side (决算 基本支出: 人员经费
    on the left, 公用经费 on the right), else the full width."""
    keys = [c.column_key for c in columns]
    for width in range(2, len(keys) // 2 + 1):
        if keys[0] is not None and len(keys) % width == 0 and keys == keys[:width] * (len(keys) // width):
            return width
    return len(keys)


def columns_to_distinct_keys(columns: list[Column]) -> list[Column]:
    """One column per meaning: of two columns claiming one meaning, the one named by the more specific vocabulary
    row keeps it ("“三公”经费/小计" over a 合计 that adds 会议费 and 培训费), else the first; the other stays unmapped."""
    keeper: dict[str, Column] = {}
    for column in columns:
        if column.column_key is not None and (column.column_key not in keeper or column.rank < keeper[column.column_key].rank):
            keeper[column.column_key] = column
    kept = {id(c) for c in keeper.values()}
    return [c if c.column_key is None or id(c) in kept else Column(c.index, c.header_label, None, False, c.x0, c.x1) for c in columns]


# ---------------------------------------------------------------------------------------------- rows


def _span_cell(grid: Grid, row: int, span: tuple[int, int], column: Column) -> Cell:
    """The cell of one table column in one grid row: the texts printed across its grid columns, joined."""
    first, last = span
    printed = [(grid.texts[row][c] or "", grid.cells[row][c]) for c in range(first, last + 1) if grid.cells[row][c] is not None]
    with_text = [(t, b) for t, b in printed if t.strip()]
    if not printed and not column.is_amount and (merged := grid_to_merged_down(grid, row, first)):
        return Cell(column.index, "", None, merged[1], carried=merged[0])
    if column.is_amount and with_text:
        # An amount is one printed number; an office producer may set it in any grid column under its header.
        text, box = with_text[0]
        return Cell(column.index, text, text_to_amount(text), box)
    text = " ".join(t.strip() for t, _ in with_text)
    box = with_text[0][1] if with_text else (printed[0][1] if printed else None)
    return Cell(column.index, text, text_to_amount(text) if column.is_amount else None, box)


def _append_rows(table: Table, grid: Grid, rows: range, spans: list[tuple[int, int] | None]) -> None:
    """Data rows of a grid, each span under its table column; side-by-side blocks become consecutive rows."""
    width = len(table.columns)
    if grid.page not in table.pages:
        table.pages.append(grid.page)
    if columns_are_row_named(table.columns):
        _append_named_rows(table, grid, rows, spans[:width])
        return
    blocks = [spans[i : i + width] for i in range(0, len(spans), width)] if len(spans) > width else [spans]
    for index in rows:
        if _SERIAL.match(text_to_name(next((t for t in grid.texts[index] if t and t.strip()), ""))):
            continue
        for block in blocks:
            placed = [(span, table.columns[i]) for i, span in enumerate(block) if span is not None and i < width]
            if not any((grid.texts[index][c] or "").strip() for span, _ in placed for c in range(span[0], span[1] + 1)):
                continue
            cells = _carried_across_blocks(grid, index, placed, [_span_cell(grid, index, span, column) for span, column in placed])
            if _continues_row_above(table, grid, cells):
                _merge_into_last(table, cells)
                continue
            table.rows.append(Row(len(table.rows) + 1, grid.page, grid.row_boxes[index], cells))


def _carried_across_blocks(grid: Grid, row: int, placed: list[tuple[tuple[int, int], Column]], cells: list[Cell]) -> list[Cell]:
    """A label printed from one block's text column across its figures into the next block's text column (收入 |
    功能分类 | 支出用途: 当年支出小计 over the 功能科目名称, 金额 and 项目名称 columns) names the row in that block too;
    a label merged over text columns only (合计 over 编码 | 名称) stays the first column's."""
    amount_starts = [span[0] for span, column in placed if column.is_amount]
    carried = []
    for (span, column), cell in zip(placed, cells):
        left = None if column.is_amount or cell.text.strip() else _covering_cell(grid, row, span[0])
        if left is not None and left < span[0] and any(left < a < span[0] for a in amount_starts) and (text := (grid.texts[row][left] or "").strip()):
            cell = replace(cell, carried=text)
        carried.append(cell)
    return carried


def columns_are_row_named(columns: list[Column]) -> bool:
    """True when the table's one figure column takes its meaning from its rows' labels (项目 | 金额)."""
    figures = [c for c in columns if c.is_amount]
    return len(figures) == 1 and figures[0].column_key == ROW_NAMED


def grid_to_band_label(grid: Grid, band: range, columns: list[int]) -> str:
    """The words naming a row printed over the grid rows `band`: in each label grid column, left to right, the text
    of a group cell merged down over the band from above, else the texts printed in the band; joined by '/' as a
    column's header rows are, so a row label reads like the header label of the same figure ("一般公共预算资金/小计")."""
    parts: list[str] = []
    for column in columns:
        merged = grid.cells[band[0]][column] is None and grid_to_merged_down(grid, band[0], column)
        texts = [merged[0]] if merged else [grid.texts[r][column] or "" for r in band if grid.cells[r][column] is not None]
        for text in map(text_to_name, texts):
            if text and (not parts or parts[-1] != text):
                parts.append(text)
    return "/".join(parts)


def _append_named_rows(table: Table, grid: Grid, rows: range, spans: list[tuple[int, int] | None]) -> None:
    """Rows of a table whose figures are named by their row labels: a row is a figure cell and the grid rows down to
    the next one (Word prints a nested item cell over grid rows of its own beside one figure cell), labelled by
    grid_to_band_label."""
    figure = next(i for i, c in enumerate(table.columns) if c.is_amount)
    if spans[figure] is None:
        return
    first, last = spans[figure]
    labels = [c for i, span in enumerate(spans) if span is not None and i != figure for c in range(span[0], span[1] + 1)]
    label_index = next((c.index for c in table.columns if not c.is_amount), None)
    starts = [r for r in rows if any(grid.cells[r][c] is not None for c in range(first, last + 1))]
    for start, end in zip(starts, [*starts[1:], rows.stop]):
        band = range(start, end)
        label = grid_to_band_label(grid, band, labels)
        figures = _span_cell(grid, start, spans[figure], table.columns[figure])
        if not label and not figures.printed.strip():
            continue
        boxes = [grid.row_boxes[r] for r in band]
        bbox = (boxes[0][0], boxes[0][1], boxes[-1][2], boxes[-1][3])
        cells = [figures] if label_index is None else [Cell(label_index, label, None, bbox), figures]
        table.rows.append(Row(len(table.rows) + 1, grid.page, bbox, sorted(cells, key=lambda c: c.column_index)))


def row_named_to_columns(table: Table, fiscal_year: int | None) -> None:
    """A table whose figures are named by their row labels, read as the one-row table printing the same figures one a
    column under the same words as headers: the labels take the meanings the vocabulary gives those headers, so a
    收入总表 listing its fund sources one a row gives the facts of one printing them one a column."""
    figure = next(c.index for c in table.columns if c.is_amount)
    labelled = [(next((c.text for c in row.cells if c.column_index != figure), ""), row) for row in table.rows]
    columns = labels_to_columns(table.spec, [label for label, _ in labelled], fiscal_year)
    # Only a figure's meaning: a label the vocabulary reads as a text header ("项目") names no figure.
    columns = columns_to_distinct_keys([c if c.is_amount else replace(c, column_key=None) for c in columns])
    cells = [replace(c, column_index=column.index, page=row.page) for column, (_, row) in zip(columns, labelled) for c in row.cells if c.column_index == figure]
    first = table.rows[0]
    on_first = [r.bbox for r in table.rows if r.page == first.page]
    bbox = (min(b[0] for b in on_first), on_first[0][1], max(b[2] for b in on_first), on_first[-1][3])
    table.columns, table.printed_width = columns, len(columns)
    table.rows = [Row(1, first.page, bbox, cells)]


def _continues_row_above(table: Table, grid: Grid, cells: list[Cell]) -> bool:
    """A row an office producer printed over two grid rows: the text above, its amounts below (the texts merged
    down over both), so this one prints amounts and no text of its own while the one above prints no amount."""
    if not table.rows or table.rows[-1].page != grid.page:
        return False
    own_text = any(c.printed.strip() for c in cells if not table.columns[c.column_index].is_amount)
    carried = any(c.carried for c in cells)
    above_amounts = any(c.printed.strip() for c in table.rows[-1].cells if table.columns[c.column_index].is_amount)
    return carried and not own_text and not above_amounts and any(c.printed.strip() for c in cells)


def _merge_into_last(table: Table, cells: list[Cell]) -> None:
    last = table.rows[-1]
    by_column = {c.column_index: c for c in cells if table.columns[c.column_index].is_amount and c.printed.strip()}
    last.cells = [by_column.get(c.column_index, c) for c in last.cells]


def _span_x(grid: Grid, span: tuple[int, int]) -> tuple[float, float]:
    return grid.column_edges[span[0]], grid.column_edges[span[1] + 1]


def _start_table(table: Table, grid: Grid, start: int, fiscal_year: int | None, labels: TitleLabels) -> None:
    first_data = grid_to_first_data_row(grid, table.spec, start)
    title = re.sub(r"[“”\"（）()]", "", text_to_flat(table.title))
    header_rows = grid_to_header_rows(grid, start, first_data, title, labels)
    if first_data < len(grid.texts) and _CODE_PART_WORDS <= set(row_to_texts(grid, first_data)):
        header_rows.append(first_data)
    spans = grid_to_spans(grid, header_rows)
    blank_rows = [r for r in range(start, first_data) if not row_to_texts(grid, r)]
    spans, header_labels = spans_to_padded_cells(grid, blank_rows, spans, spans_to_labels(grid, header_rows, spans))
    columns = labels_to_columns(table.spec, header_labels, fiscal_year)
    for column, span in zip(columns, spans):
        column.x0, column.x1 = _span_x(grid, span)
    table.printed_width = len(columns)
    table.columns = columns_to_distinct_keys(columns[: columns_to_block_width(columns)])
    table.header_words = frozenset(t for r in header_rows for t in row_to_texts(grid, r))
    # A header row that prints amounts is a total row set inside the header (决算 收入/支出决算表).
    amount_spans = [span for span, c in zip(spans, columns) if c.is_amount]
    for index in header_rows:
        if index < first_data and any(looks_like_printed_amount(grid.texts[index][a]) for a, _ in amount_spans):
            _append_rows(table, grid, range(index, index + 1), spans)
    _append_rows(table, grid, range(first_data, len(grid.texts)), spans)


def _span_to_column(columns: list[Column], x0: float, x1: float) -> int | None:
    """The table column a continuation grid's span from x0 to x1 is read under.

    A span covering the middles of several columns is a merged cell (合计 over the code and name columns of a
    合计 row printed alone on a page): read in the first mapped column it covers, as the first page reads a merged
    cell in the column it starts in, not under its middle (the name column). Any other span goes under the
    column holding its middle, so a page ruled a little differently still lines up."""
    covered = [c for c in columns if x0 <= (c.x0 + c.x1) / 2 < x1]
    if len(covered) > 1:
        first = next((c.index for c in covered if c.column_key is not None), None)
        if first is not None:
            return first
    return next((c.index for c in columns if c.x0 <= (x0 + x1) / 2 < c.x1), None)


def _continuation_spans(table: Table, grid: Grid, spans: list[tuple[int, int]]) -> list[tuple[int, int] | None] | None:
    """The grid's spans in the table's column order, placed by x position under the table's columns (a page
    ruled differently, a lone 合计 row, a spacer column the first page had); else by position when the grid
    prints as many columns; None when its printed cells do not sit under the table's columns."""
    if table.printed_width > len(table.columns):
        # Side-by-side blocks: the same columns again to the right, so only their order places them.
        return list(spans) if len(spans) == table.printed_width else None
    placed: list[tuple[int, int] | None] = [None] * len(table.columns)
    stray = 0
    for span in spans:
        target = _span_to_column(table.columns, *_span_x(grid, span))
        if target is None:
            stray += any((grid.texts[r][s] or "").strip() for r in range(len(grid.texts)) for s in range(span[0], span[1] + 1))
            continue
        placed[target] = span if placed[target] is None else (placed[target][0], span[1])
    if stray == 0 and any(placed):
        return placed
    return list(spans) if len(spans) == table.printed_width else None


def _continue_table(table: Table, grid: Grid, labels: TitleLabels, until: int | None = None) -> None:
    """A grid with no title above it continues the open table (up to row `until`, where a sub-table's header
    row opens another table); a header printed again is skipped."""
    first_data = grid_to_first_data_row(grid, table.spec)
    title = re.sub(r"[“”\"（）()]", "", text_to_flat(table.title))
    repeated = first_data > 0 and all(
        set(row_to_texts(grid, r)) <= table.header_words or _is_furniture_row(row_to_texts(grid, r), title, labels) for r in range(first_data)
    )
    start = first_data if repeated else 0
    header_rows = grid_to_header_rows(grid, 0, start, title, labels)
    spans = _continuation_spans(table, grid, grid_to_spans(grid, header_rows))
    if spans is not None:
        _append_rows(table, grid, range(start, len(grid.texts) if until is None else until), spans)


# ---------------------------------------------------------------------------------------------- titles


@dataclass(frozen=True)
class TitleEvent:
    """A table title on a page: where it opens the table, what it says, which canonical table it names."""

    top: float
    line: TextLine
    text: str
    words: str
    spec: TableSpec | None
    label: str
    # A sub-table opened by its header row: the grid and the row the header is printed on.
    grid: Grid | None = None
    grid_row: int = 0


def _grid_around(page: PageContent, top: float) -> Grid | None:
    return next((g for g in page.grids if g.top - 1 <= top <= g.bottom), None)


def _grid_row_at(grid: Grid, top: float) -> int:
    return next((i for i, box in enumerate(grid.row_boxes) if box[1] - 1 <= top < box[3]), 0)


def _label_above(page: PageContent, index: int, profile: LayoutProfile) -> str:
    """A table label printed on its own line just above the title (表1 / 收支总体情况表)."""
    for line in page.lines[max(0, index - 2) : index][::-1]:
        label, rest = line_to_label(text_to_flat(line.text), profile.labels)
        if label and not rest:
            return label
    return ""


def page_to_title_events(profile: LayoutProfile, page: PageContent, furniture: set[str]) -> list[TitleEvent]:
    """Title lines of canonical tables (and of tables the vocabulary does not know: they end the open table);
    a header row that titles a sub-table opens the grid it is printed in."""
    events = []
    skip = False
    for index, line in enumerate(page.lines):
        if skip:
            skip = False
            continue
        if line.text.strip() in furniture:
            continue
        text, words = line.text, line_to_title(line.text, profile.labels)
        following = page.lines[index + 1] if index + 1 < len(page.lines) else None
        if words is None and following and len(text_to_flat(text)) <= _MAX_TITLE_PART and len(text_to_flat(following.text)) <= _MAX_TITLE_PART:
            # A long title wrapped over two lines.
            joined = line_to_title(text + following.text, profile.labels)
            if joined and title_to_rule(joined, [s.rule for s in profile.tables]):
                text, words, skip = text + following.text, joined, True
        around = _grid_around(page, line.top)
        if words is None:
            header = title_to_rule(text_to_flat(text), [s.rule for s in profile.tables], match="header")
            if header and around:
                events.append(TitleEvent(line.top, line, text, text_to_flat(text), profile.spec(header.table_key), "", around, _grid_row_at(around, line.top)))
            continue
        rule = title_to_rule(words, [s.rule for s in profile.tables])
        if rule is None and around is not None:
            continue
        label, _ = line_to_label(text_to_flat(text), profile.labels)
        spec = profile.spec(rule.table_key) if rule else None
        events.append(TitleEvent(around.top if around else line.top, line, text, words, spec, label or _label_above(page, index, profile)))
    return events


def _read_caption(profile: LayoutProfile, table: Table, lines: list[TextLine]) -> None:
    """The unit, and any 'this table is empty' statement, are printed with the title."""
    for line in lines:
        flat = text_to_flat(line.text)
        unit = _UNIT.search(flat.replace("（", "(").replace("）", ")"))
        if unit and table.unit_factor is None:
            table.unit_factor, table.unit_source = UNIT_FACTORS[unit.group(1)], "caption"
        if table.empty_statement is None and profile.empty_table_pattern.search(flat):
            table.empty_statement = text_to_name(line.text)


def _header_unit(table: Table) -> None:
    """A unit printed in the column labels ("预算数（万元）") when the caption prints none."""
    if table.unit_factor is None:
        found = {m.group(1) for c in table.columns for m in [re.search(r"[（(](万元|元)[）)]", c.header_label)] if m}
        if len(found) == 1:
            table.unit_factor, table.unit_source = UNIT_FACTORS[found.pop()], "header"


def _continues_under_repeated_title(table: Table | None, spec: TableSpec, page: int, label: str) -> bool:
    """The open table's title printed again: atop the next page (a continuation), or twice before its grid. Not when
    the two print labels of other numbers (表十一, then 表十二): two tables of one kind, such as two project lists."""
    if table is None or table.spec is not spec:
        return False
    numbers = {label_to_number(table.label), label_to_number(label)}
    if None not in numbers and len(numbers) == 2:
        return False
    return not table.columns and table.title_page == page or bool(table.columns) and max(table.pages, default=0) == page - 1


def _prose_above(page: PageContent, grid: Grid, furniture: set[str]) -> bool:
    """Prose printed above a grid: then it starts something new, it does not continue the table of the page before."""
    for line in page.lines:
        flat = text_to_flat(line.text)
        if line.bottom <= grid.top + 1 and line.text.strip() not in furniture and len(flat) > _PROSE_LINE and not _UNIT.search(flat) and not _CAPTION.search(flat):
            return True
    return False


def pages_to_tables(profile: LayoutProfile, pages: list[PageContent], fiscal_year: int | None = None) -> list[Table]:
    """Find every canonical table by its title and stitch its grids across pages.

    A title with no grid before the next title (a contents page) names no table; a title the vocabulary does
    not know ends the open table, so its grids are never read as another table's rows.
    """
    tables: list[Table] = []
    open_table: Table | None = None
    # (table, rows read) where a table's title is printed again atop the next page.
    titled_again: list[tuple[Table, int]] = []
    furniture = pages_to_furniture(pages)
    for page in pages:
        events: list[tuple[float, int, object]] = [(e.top, 0, e) for e in page_to_title_events(profile, page, furniture)]
        events += [(grid.top, 1, grid) for grid in page.grids]
        events.sort(key=lambda e: (e[0], e[1]))
        for position, (_, kind, payload) in enumerate(events):
            if kind == 0:
                event = payload
                until = next((e[0] for e in events[position + 1 :] if e[1] == 0), float("inf"))
                captions = [ln for ln in page.lines if event.line.top <= ln.top < until]
                if event.spec is not None and _continues_under_repeated_title(open_table, event.spec, page.number, event.label):
                    _read_caption(profile, open_table, captions)
                    if open_table.rows:
                        titled_again.append((open_table, len(open_table.rows)))
                    continue
                if open_table is not None and not open_table.columns and open_table.empty_statement is None:
                    tables.remove(open_table)
                if event.spec is None:
                    open_table = None
                    continue
                occurrence = 1 + sum(1 for t in tables if t.spec.table_key == event.spec.table_key)
                # A sub-table opened by its header row is part of the table printed around it (表十四's 绩效指标).
                number = (open_table.number if event.grid is not None and open_table else 0) or label_to_number(event.label) or 0
                open_table = Table(spec=event.spec, title=text_to_name(event.text), title_page=page.number,
                                   number=number, label=event.label, occurrence=occurrence)
                tables.append(open_table)
                _read_caption(profile, open_table, captions)
                if event.grid is not None:
                    _start_table(open_table, event.grid, event.grid_row, fiscal_year, profile.labels)
            elif open_table is not None:
                grid = payload
                sub_table = next((e[2].grid_row for e in events[position + 1 :] if e[1] == 0 and e[2].grid is grid), None)
                if not open_table.columns:
                    _start_table(open_table, grid, 0, fiscal_year, profile.labels)
                elif grid.page != open_table.title_page and _prose_above(page, grid, furniture):
                    open_table = None
                else:
                    _continue_table(open_table, grid, profile.labels, sub_table)
    kept = _split_second_printings([t for t in tables if t.columns or t.empty_statement is not None], titled_again)
    for table in kept:
        _header_unit(table)
        if table.rows and columns_are_row_named(table.columns):
            row_named_to_columns(table, fiscal_year)
        names_coded = table.spec.kind in _CODED_KINDS
        for row in table.rows:
            row.code, row.name = row_to_code_and_name(row, table.columns, names_coded)
    _number_unlabelled(kept)
    return kept


def row_to_code_and_name(row: Row, columns: list[Column], names_coded: bool) -> tuple[str | None, str | None]:
    """The code a row is printed for and its name (see Row); `names_coded` when the table lists classification
    subjects, whose names may carry their code (a project list's "110指挥中心" does not)."""
    text = {columns[c.column_index].column_key: text_to_name(c.text) for c in row.cells if columns[c.column_index].column_key}
    name = text.get("name") or text.get("project_name")
    code = text.get("code", "").strip("[]【】")
    if _CODE.fullmatch(code):
        return code, name
    # 类 | 款 | 项 printed in one column ("201 06 01"), or in three.
    parts = code.split() if _SPLIT_CODE.fullmatch(code) else [text.get(k, "") for k in ("code_class", "code_section", "code_item")]
    if parts[0].isdigit():
        # 款 and 项 are two digits even where the PDF drops the leading zero ("301" | "2" → 30102).
        joined = parts[0] + "".join(p.zfill(2) for p in parts[1:] if p.isdigit())
        if _CODE.fullmatch(joined):
            return joined, name
    for printed in (text.get("code", ""), name or "") if names_coded else ():
        match = _CODE_BEFORE_NAME.match(printed)
        if match and match.group("name").strip():
            return match.group(1), match.group("name").strip()
    return None, name


def _split_second_printings(tables: list[Table], titled_again: list[tuple[Table, int]]) -> list[Table]:
    """A title printed again atop the next page heads a continuation, unless the rows under it start over with
    the table's first rows: then the document prints the table a second time, and it is split off as such."""
    for table, start in reversed(titled_again):
        again, shared = table.rows[start:], min(start, len(table.rows) - start)
        if not again or list(map(_row_texts, again[:shared])) != list(map(_row_texts, table.rows[:shared])):
            continue
        copy = replace(table, rows=[replace(r, row_number=i) for i, r in enumerate(again, start=1)],
                       pages=sorted({r.page for r in again}), title_page=again[0].page)
        table.rows, table.pages = table.rows[:start], sorted({r.page for r in table.rows[:start]})
        tables.insert(tables.index(table) + 1, copy)
    for table in tables:
        table.occurrence = 1 + sum(1 for t in tables[: tables.index(table)] if t.spec.table_key == table.spec.table_key)
    return tables


def _row_texts(row: Row) -> list[str]:
    return [c.text for c in row.cells]


def _number_unlabelled(tables: list[Table]) -> None:
    """Tables printed without a label are numbered by their place among the document's tables."""
    for place, table in enumerate(tables, start=1):
        if not table.number:
            table.number = place
