"""Checks shared by the one-file-per-document tests of the real Shanghai PDFs."""

from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.accuracy import column_values, hierarchy_mismatches, name_paths, pdf_to_coded_lines, table_to_coded_rows, total_row_amount
from pipelines.extraction import extract_document
from pipelines.paths import REPO_ROOT

REAL_PDFS = REPO_ROOT.parent / "shared" / "reference" / "real-pdfs"


def extract_fixture(pdf: Path):
    """A module-scoped fixture extracting `pdf` once."""

    @pytest.fixture(scope="module")
    def extract():
        assert pdf.exists(), f"reference PDF missing: {pdf}"
        return extract_document(pdf)

    return extract


def assert_tables_complete(extract, expected: int = 9) -> None:
    """Every standard table found, every amount parsed, every column given a meaning."""
    assert len({t.number for t in extract.tables}) == extract.expected_tables == expected
    assert [(t.spec.table_key, t.unparsed_amounts) for t in extract.tables if t.unparsed_amounts] == []
    assert [(t.spec.table_key, c.header_label) for t in extract.tables for c in t.columns if c.column_key is None] == []


def assert_coded_rows_match_text(extract, pdf: Path, key: str, rows: int, y_tolerance: float) -> None:
    """Each row's codes and amounts, in print order, equal the same row re-read by extract_text(), page by page."""
    table = extract.table(key)
    extracted = table_to_coded_rows(table)
    assert extracted == pdf_to_coded_lines(pdf, table.pages, y_tolerance=y_tolerance)
    assert sum(len(page_rows) for page_rows in extracted.values()) == rows


def class_total(table, column: str) -> Decimal:
    return sum(amount for code, amount in column_values(table, column) if len(code) == 3)


def assert_hierarchy(extract, key: str, column: str, tolerance: Decimal = Decimal(0)) -> None:
    """Every 类 = Σ 款, every 款 = Σ 项, and the 合计 row = Σ 类, within `tolerance` (0 for 元 figures)."""
    table = extract.table(key)
    assert hierarchy_mismatches(table, column, tolerance) == []
    assert abs(total_row_amount(table, column) - class_total(table, column)) <= tolerance


def prose_items(extract, figure_key: str = "item") -> dict[tuple[str, ...], Decimal]:
    """Items the prose names by 类|款|项, in the printed unit."""
    return {tuple(f.label.split("|")): f.amount for f in extract.figures if f.figure_key == figure_key}


def prose_item_mismatches(extract, items: dict, yuan_tolerance: int = 50) -> dict:
    """Items (in 万元) whose gpb_function row differs by more than the prose's rounding (0.01 万元 = ±50 元)."""
    rows = name_paths(extract.table("gpb_function"), "total")
    return {path: (rows[path], amount * 10000) for path, amount in items.items() if abs(rows[path] - amount * 10000) > yuan_tolerance}


def assert_empty_table(extract, key: str, statement: str) -> None:
    """An empty table keeps the statement printed with it and contributes no amount."""
    table = extract.table(key)
    assert statement in table.empty_statement
    assert all(cell.amount in (None, 0) for row in table.rows for cell in row.cells)
