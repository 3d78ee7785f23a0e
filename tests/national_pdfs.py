"""Checks shared by the one-file-per-document tests of the 17 real national disclosures (real-pdfs-national/).

Each test file holds one subclass of `NationalPdfChecks` stating what its PDF prints, read from the PDF itself (its
cover, titles, tables and text layer), plus the tests only that PDF needs; the checks compare the extraction, and
the warehouse built once from all 17 PDFs, with it. Figures are written as printed ('1,234.56') in the unit the
table prints.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb

from pipelines.accuracy import column_values, pdf_to_coded_lines, table_to_coded_rows, total_row_amount
from pipelines.extraction.text import text_to_name
from pipelines.paths import REPO_ROOT, BudgetPaths, file_to_document_id
from tests.real_pdfs import assert_hierarchy

NATIONAL_PDFS = REPO_ROOT.parent / "shared" / "reference" / "real-pdfs-national"
# Tables of words (performance targets) are not among the standard tables whose figures the tests pin.
_TEXT_KINDS = ("performance", "project_performance", "performance_indicators")
WAN, YUAN = 10000, 1
# Figures in 万元 are rounded to 0.01 one by one, so a parent may differ from the sum of its children by a cent.
CENT = Decimal("0.01")
_TOTAL = re.compile(r"^(?:合计|总计)$")
TOTAL_BASIC_PROJECT = ("total", "basic", "project")


def national_pdf(name: str) -> Path:
    path = NATIONAL_PDFS / name
    assert path.exists(), f"reference PDF missing: {path}"
    return path


@dataclass(frozen=True)
class Facts:
    fiscal_year: int
    document_type: str
    scope: str
    entity_name: str
    region: str


@dataclass(frozen=True)
class Printed:
    """A standard table as the PDF prints it: its number (表3, 公开03表, 三、, else its place), pages, unit and decimals
    (None when it prints no non-zero amount)."""

    number: int
    pages: tuple[int, ...]
    unit: int
    decimals: int | None


def amount(printed: str) -> Decimal:
    """A printed figure ('1,234.56') as the decimal it states."""
    return Decimal(printed.replace(",", ""))


def amounts(printed: dict) -> dict:
    """Printed figures as decimals, in dictionaries nested to any depth."""
    return {key: amounts(value) if isinstance(value, dict) else amount(value) for key, value in printed.items()}


# ---------------------------------------------------------------------------------------------- reading the extract


def tables_as_printed(extract) -> dict[str, Printed]:
    """Every standard table found (performance tables aside), by key."""
    return {t.key: Printed(t.number, tuple(t.pages), t.unit_factor, t.decimals) for t in extract.tables if t.spec.kind not in _TEXT_KINDS}


def text_layer_rows(pdf: Path, pages: list[int], y_tolerance: float, wrapped: tuple[str, ...] = ()) -> dict[int, list[tuple[str, ...]]]:
    """The coded lines of the PDF's text layer (accuracy.pdf_to_coded_lines), page by page; a row whose name wraps
    so that the text layer prints its code alone on one line and its figures on the next (`wrapped`: codes seen
    so in the PDF) is joined again."""
    joined: dict[int, list[tuple[str, ...]]] = {}
    for page, lines in pdf_to_coded_lines(pdf, pages, y_tolerance).items():
        rows: list[tuple[str, ...]] = []
        for line in lines:
            if rows and len(rows[-1]) == 1 and rows[-1][0] in wrapped:
                rows[-1] += line
            else:
                rows.append(line)
        joined[page] = rows
    return joined


def total_row(table) -> dict[str, Decimal]:
    """The non-zero amounts of the table's total row, by column meaning: the row printing 合计 or 总计, else (a table
    of one data row, or one whose unit's row is its total) its last row printed without a code."""
    uncoded = [row for row in table.rows if not row.code]
    total = next((row for row in uncoded if any(_TOTAL.match(re.sub(r"\s", "", cell.text)) for cell in row.cells)), uncoded[-1])
    return {
        table.columns[cell.column_index].column_key: cell.amount
        for cell in total.cells
        if table.columns[cell.column_index].is_amount and cell.amount
    }


def item_amounts(table) -> dict[str, Decimal]:
    """A table printing one item a row (项目 | 预算数): the item as printed → its non-zero amount."""
    found = {}
    for row in table.rows:
        item = next((text_to_name(c.text) for c in row.cells if not table.columns[c.column_index].is_amount and c.text.strip()), "")
        figure = next((c.amount for c in row.cells if table.columns[c.column_index].is_amount and c.amount), None)
        if figure:
            found[item] = figure
    return found


def rows_by_year(table) -> dict[str, dict[str, Decimal]]:
    """A table printing a row a year (年度: '2025年', '2026年', '增减变化金额'): each row's non-zero amounts by meaning."""
    found = {}
    for row in table.rows:
        keys = {c.column_index: table.columns[c.column_index] for c in row.cells}
        label = next(text_to_name(c.text) for c in row.cells if keys[c.column_index].column_key == "year_label")
        found[label] = {keys[c.column_index].column_key: c.amount for c in row.cells if keys[c.column_index].is_amount and c.amount}
    return found


def side_amounts(table, item: str = "revenue_item", amount_key: str = "revenue_amount") -> dict[str, Decimal]:
    """One side of a 收支总表 (收入 by default): item as printed → its non-zero amount."""
    index = {c.column_key: c.index for c in table.columns}
    found = {}
    for row in table.rows:
        cells = {c.column_index: c for c in row.cells}
        named, valued = cells.get(index[item]), cells.get(index[amount_key])
        if named and named.text.strip() and valued and valued.amount:
            found[text_to_name(named.text)] = valued.amount
    return found


def class_amounts(table, column: str) -> dict[str, Decimal]:
    """类 (three-digit code) → its non-zero amount in `column`."""
    return {code: figure for code, figure in column_values(table, column) if len(code) == 3 and figure}


def leaf_sum(table, column: str) -> Decimal:
    """The sum of the coded rows that have no printed child (a table printing only 项 rows sums them all)."""
    codes = [code for code, _ in column_values(table, column) if code]
    return sum(
        (figure or 0 for code, figure in column_values(table, column) if code and not any(c != code and c.startswith(code) for c in codes)),
        Decimal(0),
    )


def assert_parts_add_up(figures: dict[str, Decimal], parts: dict[str, str], total: tuple[str, str], tolerance: Decimal) -> None:
    """The items `parts` and `total` (item, printed figure) are read as printed, and the parts add up to the total."""
    assert {item: figures.get(item) for item in [*parts, total[0]]} == amounts({**parts, total[0]: total[1]})
    assert abs(sum(amounts(parts).values()) - amount(total[1])) <= tolerance


# ---------------------------------------------------------------------------------------------- reading the warehouse


def _query(paths: BudgetPaths, sql: str, pdf: Path) -> list[tuple]:
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute(sql, [file_to_document_id(pdf)]).fetchall()


def warehouse_document(paths: BudgetPaths, pdf: Path) -> dict:
    """The document's row of marts.dim_document."""
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        cursor = con.execute("select * from marts.dim_document where document_id = ?", [file_to_document_id(pdf)])
        found = cursor.fetchall()
        names = [column[0] for column in cursor.description]
    assert len(found) == 1, f"{pdf.name} is not in the warehouse"
    return dict(zip(names, found[0]))


def warehouse_revenue(paths: BudgetPaths, pdf: Path, unit: int) -> dict[str, Decimal]:
    """marts.fct_revenue of the document: fund source → non-zero amount, in `unit`."""
    rows = _query(paths, "select fund_source_code, amount_yuan from marts.fct_revenue where document_id = ?", pdf)
    return {code: figure / unit for code, figure in rows if figure}


def warehouse_revenue_units(paths: BudgetPaths, pdf: Path, unit: int) -> dict[str, dict[str, Decimal]]:
    """marts.fct_revenue_unit of the document: unit → fund source → non-zero amount, in `unit`."""
    found: dict[str, dict[str, Decimal]] = {}
    for name, code, figure in _query(paths, "select unit_name, fund_source_code, amount_yuan from marts.fct_revenue_unit where document_id = ?", pdf):
        if figure:
            found.setdefault(name, {})[code] = figure / unit
    return found


def warehouse_three_public(paths: BudgetPaths, pdf: Path, unit: int) -> dict[int, dict[str, Decimal]]:
    """marts.fct_three_public of the document: year of the figure → category → non-zero amount, in `unit`."""
    found: dict[int, dict[str, Decimal]] = {}
    rows = _query(paths, "select fiscal_year, category, amount_yuan from marts.fct_three_public where document_id = ?", pdf)
    for year, category, figure in rows:
        if figure:
            found.setdefault(year, {})[category] = figure / unit
    return found


def failed_checks(paths: BudgetPaths, pdf: Path) -> list[tuple]:
    """(check_id, severity, subject, expected_yuan, actual_yuan, pages) of every failed check on the document."""
    return _query(
        paths,
        "select check_id, severity, subject, expected_yuan, actual_yuan, pages from marts.reconciliation_result "
        "where document_id = ? and status = 'fail' order by all",
        pdf,
    )


def leave_out(figures: dict[int, dict[str, Decimal]], omitted: set) -> dict[int, dict[str, Decimal]]:
    """三公 figures without the years and categories in `omitted`."""
    return {year: {c: v for c, v in by.items() if c not in omitted} for year, by in figures.items() if year not in omitted}


# ---------------------------------------------------------------------------------------------- the checks


class NationalPdfChecks:
    """What every national PDF is checked for. A subclass states what its PDF prints:

    PDF, FACTS, SOURCES (DocumentExtract.fact_sources: where each fact was read), TABLES (key → Printed), ROWS
    (table key → coded rows, counted in the PDF), HIERARCHY (table → the columns whose printed 类 = Σ 款 = Σ 项 and
    合计 = Σ 类), FUNCTION_TOTALS and ECONOMIC_TOTALS (table → its total row), CLASS_AMOUNTS ((table, column) → 类 →
    amount), REVENUE (收入总表's total row by column meaning), THREE_PUBLIC (as `three_public_as_printed` reads the
    table), WAREHOUSE_REVENUE, WAREHOUSE_REVENUE_UNITS (unit → fund source → amount, for a 收入总表 listing the
    department's units under its total row) and WAREHOUSE_THREE_PUBLIC (year → category → amount), in the tables' units.
    """

    WRAPPED: tuple[str, ...] = ()
    TEXT_Y_TOLERANCE = 3
    TOLERANCE = Decimal(0)
    # Table → columns, of a table printing only 项 rows: its 合计 is their sum.
    LEAF_TOTALS: dict[str, tuple[str, ...]] = {}
    # Checks the warehouse fails the document on (a warning about what the PDF itself prints, say).
    FAILED_CHECKS: tuple[tuple, ...] = ()
    # A 收入总表 printing no unit under its total row (or only the body itself again) has no unit rows.
    WAREHOUSE_REVENUE_UNITS: dict[str, dict[str, str]] = {}
    # Expected tables the PDF leaves out of its numbered tables (DocumentExtract.not_printed).
    NOT_PRINTED: tuple[str, ...] = ()
    three_public_as_printed = staticmethod(total_row)

    def test_facts_and_where_each_was_read(self, extract):
        assert Facts(extract.fiscal_year, extract.document_type, extract.scope, extract.entity_name, extract.region) == self.FACTS
        assert extract.fact_sources == self.SOURCES

    def test_the_standard_tables_as_printed(self, extract):
        assert tables_as_printed(extract) == self.TABLES

    def test_every_expected_table_is_found(self, extract):
        """The profile's tables, less those the PDF leaves out (not expected of it, so not missing)."""
        assert (extract.not_printed, extract.tables_found) == (self.NOT_PRINTED, extract.expected_tables)

    def test_every_coded_row_matches_the_text_layer(self, extract):
        """Each coded row's codes and amounts, in print order, equal the same row re-read from the text layer, page by
        page (so one wrong digit, a shifted column or a lost row fails), and each table has the rows the PDF prints."""
        tables = {key: extract.table(key) for key in self.ROWS}
        extracted = {key: table_to_coded_rows(table) for key, table in tables.items()}
        assert extracted == {key: text_layer_rows(self.PDF, table.pages, self.TEXT_Y_TOLERANCE, self.WRAPPED) for key, table in tables.items()}
        assert {key: sum(len(rows) for rows in by_page.values()) for key, by_page in extracted.items()} == self.ROWS

    def test_parents_add_up(self, extract):
        for key, columns in self.HIERARCHY.items():
            for column in columns:
                assert_hierarchy(extract, key, column, self.TOLERANCE)
        leaves = [(key, column) for key, columns in self.LEAF_TOTALS.items() for column in columns]
        assert {(key, column): leaf_sum(extract.table(key), column) for key, column in leaves} == {
            (key, column): total_row_amount(extract.table(key), column) for key, column in leaves
        }

    def test_function_totals(self, extract):
        assert {key: total_row(extract.table(key)) for key in self.FUNCTION_TOTALS} == amounts(self.FUNCTION_TOTALS)

    def test_class_amounts(self, extract):
        assert {pair: class_amounts(extract.table(pair[0]), pair[1]) for pair in self.CLASS_AMOUNTS} == amounts(self.CLASS_AMOUNTS)

    def test_revenue_by_fund_source(self, extract):
        assert total_row(extract.table("revenue")) == amounts(self.REVENUE)

    def test_economic_classification(self, extract):
        assert {key: total_row(extract.table(key)) for key in self.ECONOMIC_TOTALS} == amounts(self.ECONOMIC_TOTALS)

    def test_three_public(self, extract):
        assert self.three_public_as_printed(extract.table("three_public")) == amounts(self.THREE_PUBLIC)

    def test_revenue_in_the_warehouse(self, national_warehouse):
        assert warehouse_revenue(national_warehouse, self.PDF, self.TABLES["revenue"].unit) == amounts(self.WAREHOUSE_REVENUE)

    def test_revenue_units_in_the_warehouse(self, national_warehouse):
        units = warehouse_revenue_units(national_warehouse, self.PDF, self.TABLES["revenue"].unit)
        assert units == amounts(self.WAREHOUSE_REVENUE_UNITS)

    def test_three_public_in_the_warehouse(self, national_warehouse):
        self.assert_three_public_in_the_warehouse(national_warehouse)

    def assert_three_public_in_the_warehouse(self, national_warehouse, omitted: set = frozenset()):
        figures = warehouse_three_public(national_warehouse, self.PDF, self.TABLES["three_public"].unit)
        assert leave_out(figures, omitted) == leave_out(amounts(self.WAREHOUSE_THREE_PUBLIC), omitted)

    def test_loaded(self, national_warehouse):
        """Status 'loaded' (every error-level check passes) with the facts the PDF prints."""
        document = warehouse_document(national_warehouse, self.PDF)
        assert (document["status"], document["status_reason"]) == ("loaded", None)
        assert Facts(*(document[f] for f in ("fiscal_year", "document_type", "scope", "entity_name", "region"))) == self.FACTS

    def test_failed_checks(self, national_warehouse):
        assert failed_checks(national_warehouse, self.PDF) == list(self.FAILED_CHECKS)
