"""Every table of the Shenzhen sample PDF, cell by cell, against the reference text."""

from decimal import Decimal

import pytest

from pipelines.extraction.text import text_to_amount, text_to_name
from pipelines.sample.reference_text import is_amount

GRID_TABLES = range(1, 14)


def _table(extract, number):
    found = [t for t in extract.tables if t.number == number]
    assert len(found) == 1, f"表{number} found {len(found)} times"
    return found[0]


def _cells(row) -> list[str]:
    return [text_to_name(cell) for cell in row]


def test_document_metadata_is_read_from_the_document(sample_extract):
    assert sample_extract.layout == "shenzhen_department_budget"
    assert (sample_extract.fiscal_year, sample_extract.document_type, sample_extract.scope) == (2024, "budget", "unit")
    assert sample_extract.entity_name == "深圳市罗湖区科技创新局（本级）"
    assert sample_extract.region == "深圳市罗湖区"


def test_all_fourteen_tables_are_found_by_title(sample_extract):
    assert {t.number for t in sample_extract.tables} == set(range(1, 15))
    assert all(t.unit_factor == 10000 for t in sample_extract.tables if any(c.is_amount for c in t.columns))
    assert sample_extract.expected_tables == 14


@pytest.mark.parametrize("number", GRID_TABLES)
def test_every_row_and_cell_matches_the_reference(sample_extract, reference, number):
    table = _table(sample_extract, number)
    truth = reference.tables[number].rows
    extracted = [[c.printed for c in row.cells] for row in table.rows]
    assert len(extracted) == len(truth), f"表{number}: {len(extracted)} rows extracted, {len(truth)} printed"
    for index, (got, want) in enumerate(zip(extracted, truth), start=1):
        want = list(want) + [""] * (len(got) - len(want))
        assert _cells(got) == _cells(want), f"表{number} row {index}"


@pytest.mark.parametrize("number", GRID_TABLES)
def test_every_printed_amount_parses_exactly(sample_extract, reference, number):
    table = _table(sample_extract, number)
    amount_columns = {c.index for c in table.columns if c.is_amount}
    assert table.unparsed_amounts == 0
    for row, want in zip(table.rows, reference.tables[number].rows):
        for cell in row.cells:
            if cell.column_index in amount_columns and cell.column_index < len(want) and is_amount(want[cell.column_index]):
                assert cell.amount == text_to_amount(want[cell.column_index])


def test_every_amount_column_has_a_meaning(sample_extract):
    unmapped = [(t.number, c.header_label) for t in sample_extract.tables for c in t.columns if c.column_key is None]
    assert unmapped == []


def test_table_three_continues_over_a_page_without_a_header(sample_extract):
    table = _table(sample_extract, 3)
    assert len(table.pages) == 2
    assert [r.cells[1].printed for r in table.rows if r.page == table.pages[1]][0].startswith("2")


def test_every_value_keeps_its_page_and_position(sample_extract):
    for table in sample_extract.tables:
        for row in table.rows:
            assert row.page in table.pages
            assert all(cell.bbox is None or cell.bbox[0] < cell.bbox[2] for cell in row.cells)


def test_narrative_figures(sample_extract, reference):
    figures = {(f.figure_key, f.label): f.amount for f in sample_extract.figures}
    expected = {
        ("revenue_total", ""): "15577.52", ("expenditure_total", ""): "15577.52",
        ("revenue_change", ""): "-2115.67", ("personnel", ""): "1143.79", ("public_use", ""): "94.89",
        ("family_subsidy", ""): "68.52", ("project_total", ""): "14270.33",
        ("three_public_total", ""): "2.65", ("overseas_travel", ""): "0.00", ("reception", ""): "0.00",
        ("vehicle_total", ""): "2.65", ("vehicle_purchase", ""): "0.00", ("vehicle_operation", ""): "2.65",
        ("admin_operation", ""): "168.47", ("procurement_total", ""): "0.00",
    }
    for key, amount in expected.items():
        assert figures.get(key) == Decimal(amount), key
    projects = {label: amount for (key, label), amount in figures.items() if key == "project"}
    # 表五 lists the same seven projects below its two entity rows.
    assert projects == {text_to_name(row[0]): text_to_amount(row[1]) for row in reference.tables[5].rows[2:]}


def _filled_down(rows: list[list[str]]) -> list[list[str]]:
    """Spanned level cells print once; carry them down as the reference text does."""
    filled, previous = [], None
    for row in rows:
        row = [cell or (previous[i] if previous and i < 2 else "") for i, cell in enumerate(row)]
        filled.append(row)
        previous = row
    return filled


def test_performance_targets_match_the_reference(sample_extract, reference):
    tasks = [t for t in sample_extract.tables if t.spec.table_key == "performance"][0]
    got = [[text_to_name(c.printed) for c in row.cells[1:]] for row in tasks.rows if row.cells[3].amount is not None]
    form = reference.tables[14].form
    want = [[text_to_name(t.name), text_to_name(t.content), t.total, t.fiscal, t.other] for t in form.tasks]
    assert got[: len(want)] == want
    assert got[len(want)][2:] == list(form.total)
    indicators = [t for t in sample_extract.tables if t.spec.table_key == "performance_indicators"][0]
    printed = _filled_down([[text_to_name(c.printed) for c in row.cells[1:]] for row in indicators.rows])
    assert printed == [[text_to_name(c) for c in row] for row in reference.tables[14].rows]
