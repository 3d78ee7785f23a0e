"""Turn grids into the standard tables of a layout: titles, merged headers, continuation pages."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from pipelines.extraction.pages import BBox, Grid, PageContent, TextLine
from pipelines.extraction.profiles import LayoutProfile, TableSpec
from pipelines.extraction.text import looks_like_printed_amount, printed_to_decimals, text_to_amount, text_to_name

UNIT_FACTORS = {"元": 1, "万元": 10000}
_UNIT = re.compile(r"单位[：:]\s*(万元|元)")


@dataclass
class Column:
    """A table column: its joined header label and the meaning the profile gives it."""

    index: int
    header_label: str
    column_key: str | None
    is_amount: bool


@dataclass
class Cell:
    """One printed cell with its page position, so every number can be traced."""

    column_index: int
    printed: str
    amount: Decimal | None
    bbox: BBox | None
    # Text of a cell merged down over this row from a row above: printed once, meant for each row it spans.
    carried: str | None = None

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


@dataclass
class Table:
    """A standard table, stitched over all the pages it is printed on."""

    spec: TableSpec
    title: str
    title_page: int
    unit_factor: int | None = None
    empty_statement: str | None = None
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    # Grid columns as first printed; a table printed as side-by-side blocks has len(columns) × blocks.
    printed_width: int = 0
    # 2 for the second time the document prints this standard table (somewhere else, not as a continuation).
    occurrence: int = 1

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
        return sum(1 for r in self.rows for c in r.cells if c.column_index in amounts and c.amount is None)


def grid_to_header_rows(grid: Grid, spec: TableSpec) -> int:
    """The profile's header row count, else the rows above the first one that prints an amount.

    An empty table prints no amount: its first code, 合计 or 无 row (the layout's data_row_pattern) ends the header.
    """
    if spec.header_rows is not None:
        return min(spec.header_rows, len(grid.texts))
    with_amount = (i for i, row in enumerate(grid.texts) if any(looks_like_printed_amount(text) for text in row))
    first = next(with_amount, None)
    if first is None and spec.data_row_pattern:
        first = next((i for i, row in enumerate(grid.texts) if spec.data_row_pattern.search(text_to_name(row[0]))), None)
    return len(grid.texts) if first is None else first


def _covering_text(grid: Grid, row: int, column: int) -> str | None:
    """Text of the cell covering (row, column), following horizontal merges leftwards."""
    if grid.cells[row][column] is not None:
        return grid.texts[row][column]
    center = grid.column_center(column)
    for left in range(column - 1, -1, -1):
        box = grid.cells[row][left]
        if box is not None:
            return grid.texts[row][left] if box[2] >= center else None
    return None


def grid_to_header_labels(grid: Grid, header_rows: int) -> list[str]:
    """One label per column: the header texts above it, top to bottom, joined by '/'."""
    labels = []
    for column in range(len(grid.column_edges) - 1):
        parts: list[str] = []
        for row in range(header_rows):
            text = text_to_name(_covering_text(grid, row, column))
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        labels.append("/".join(parts))
    return labels


def labels_to_columns(spec: TableSpec, labels: list[str]) -> list[Column]:
    """Give each header label the meaning the layout profile assigns to it."""
    columns = []
    for index, label in enumerate(labels):
        column_spec = spec.column_for(label)
        columns.append(
            Column(index, label, column_spec.column_key if column_spec else None, bool(column_spec and column_spec.is_amount))
        )
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
    """One column per meaning: a later column whose label maps to a meaning already taken stays unmapped."""
    seen: set[str] = set()
    distinct = []
    for column in columns:
        if column.column_key in seen:
            column = Column(column.index, column.header_label, None, False)
        seen.add(column.column_key)
        distinct.append(column)
    return distinct


def widths_to_column_map(printed: int, width: int) -> list[int]:
    """Table column of each printed cell: the same when all are printed; else the label stays first and
    the amounts align right (a page holding only the 合计 row merges the code and name cells)."""
    if printed >= width:
        return list(range(width))
    return [0] + list(range(width - printed + 1, width))


def grid_to_merged_down(grid: Grid, row: int, column: int) -> tuple[str, BBox] | None:
    """Text and box of the cell merged down over (row, column) from a row above, if one spans it."""
    top, bottom = grid.row_boxes[row][1], grid.row_boxes[row][3]
    center = grid.column_center(column)
    for above in range(row - 1, -1, -1):
        box = grid.cells[above][column]
        if box is not None:
            return (grid.texts[above][column] or "", box) if box[3] >= (top + bottom) / 2 and box[0] <= center <= box[2] else None
    return None


def _row_cells(grid: Grid, index: int, start: int, width: int, amount_columns: set[int]) -> list[Cell]:
    """The cells of one printed row; a text cell merged down from above carries its text to this row."""
    cells = []
    texts, boxes = grid.texts[index][start : start + width], grid.cells[index][start : start + width]
    for offset, (col, text, box) in enumerate(zip(widths_to_column_map(len(texts), width), texts, boxes)):
        merged = grid_to_merged_down(grid, index, start + offset) if box is None and col not in amount_columns else None
        if merged:
            cells.append(Cell(col, "", None, merged[1], carried=merged[0]))
        else:
            cells.append(Cell(col, text or "", text_to_amount(text) if col in amount_columns else None, box))
    return cells


def _append_rows(table: Table, grid: Grid, first_row: int, last_row: int | None = None) -> None:
    amount_columns = {c.index for c in table.columns if c.is_amount}
    width = len(table.columns)
    grid_width = len(grid.column_edges) - 1
    # Side-by-side blocks become consecutive rows, left block first.
    starts = range(0, grid_width, width) if grid_width >= table.printed_width else [0]
    for index in range(first_row, len(grid.texts) if last_row is None else last_row):
        for start in starts:
            texts = grid.texts[index][start : start + width]
            if not any((t or "").strip() for t in texts):
                continue
            cells = _row_cells(grid, index, start, width, amount_columns)
            table.rows.append(Row(len(table.rows) + 1, grid.page, grid.row_boxes[index], cells))
    if grid.page not in table.pages:
        table.pages.append(grid.page)


def _start_table(table: Table, grid: Grid) -> None:
    header_rows = grid_to_header_rows(grid, table.spec)
    columns = labels_to_columns(table.spec, grid_to_header_labels(grid, header_rows))
    table.printed_width = len(columns)
    table.columns = columns_to_distinct_keys(columns[: columns_to_block_width(columns)])
    # A header row that prints amounts is a total row set inside the header (决算 收入/支出决算表).
    amount_columns = [c.index for c in columns if c.is_amount]
    with_totals = [i for i in range(header_rows) if any(looks_like_printed_amount(grid.texts[i][c]) for c in amount_columns)]
    for index in with_totals:
        _append_rows(table, grid, index, index + 1)
    _append_rows(table, grid, header_rows)


def _continue_table(table: Table, grid: Grid) -> None:
    """A grid with no title above it continues the open table; skip a repeated header if printed.

    A narrower grid is accepted only when it is a lone row of amounts (the 合计 row on a page of its own).
    """
    grid_width = len(grid.column_edges) - 1
    if grid_width > table.printed_width or (grid_width < table.printed_width and not _is_lone_total(grid)):
        return
    header_rows = grid_to_header_rows(grid, table.spec)
    repeats_header = header_rows and grid_to_header_labels(grid, header_rows) == [
        c.header_label for c in table.columns
    ] * (table.printed_width // len(table.columns))
    _append_rows(table, grid, header_rows if repeats_header else 0)


def _is_lone_total(grid: Grid) -> bool:
    return len(grid.texts) == 1 and all(text_to_amount(text) is not None for text in grid.texts[0][1:])


def _title_events(profile: LayoutProfile, page: PageContent) -> list[tuple[float, TextLine, TableSpec]]:
    """Title lines; a title printed inside a grid's first row (a sub-table's header) opens that grid."""
    events = []
    for line in page.lines:
        flat = text_to_name(line.text)
        spec = next((s for s in profile.tables if s.title_pattern.search(flat)), None)
        if spec is None:
            continue
        around = next((g for g in page.grids if g.top <= line.top <= g.bottom), None)
        events.append((around.top if around else line.top, line, spec))
    return events


def _read_caption(profile: LayoutProfile, table: Table, lines: list[TextLine]) -> None:
    """The unit, and any 'this table is empty' statement, are printed below the title."""
    for line in lines:
        flat = text_to_name(line.text)
        unit = _UNIT.search(flat.replace("（", "(").replace("）", ")"))
        if unit and table.unit_factor is None:
            table.unit_factor = UNIT_FACTORS[unit.group(1)]
        if table.empty_statement is None and profile.empty_table_pattern.search(flat):
            table.empty_statement = flat


def _continues_under_repeated_title(table: Table | None, spec: TableSpec, page: int) -> bool:
    """The open table's title printed again atop the next page: a continuation, not a second table."""
    return table is not None and table.spec is spec and bool(table.columns) and max(table.pages, default=0) == page - 1


def pages_to_tables(profile: LayoutProfile, pages: list[PageContent]) -> list[Table]:
    """Find every standard table by its title and stitch its grids across pages."""
    tables: list[Table] = []
    open_table: Table | None = None
    for page in pages:
        events = [(top, "title", (line, spec)) for top, line, spec in _title_events(profile, page)]
        events += [(grid.top, "grid", grid) for grid in page.grids]
        events.sort(key=lambda e: (e[0], e[1] == "grid"))
        for position, (_, kind, payload) in enumerate(events):
            if kind == "title":
                line, spec = payload
                if _continues_under_repeated_title(open_table, spec, page.number):
                    continue
                occurrence = 1 + sum(1 for t in tables if t.spec.table_key == spec.table_key)
                open_table = Table(spec=spec, title=text_to_name(line.text), title_page=page.number, occurrence=occurrence)
                tables.append(open_table)
                until = next((e[0] for e in events[position + 1 :] if e[1] == "title"), float("inf"))
                _read_caption(profile, open_table, [ln for ln in page.lines if line.top < ln.top < until])
            elif open_table is not None:
                if open_table.columns:
                    _continue_table(open_table, payload)
                else:
                    _start_table(open_table, payload)
    return tables
