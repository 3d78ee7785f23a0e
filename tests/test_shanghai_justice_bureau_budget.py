"""上海市普陀区司法局 2026 部门预算 (WPS, 23 landscape pages, 元 with 2 decimals and no thousands commas in
the code tables, a blank page with an empty grid, shrunk pages): checked against the PDF's text layer."""

from decimal import Decimal

import pytest
from pipelines.accuracy import name_paths, total_row_amount
from tests.real_pdfs import (
    REAL_PDFS,
    assert_coded_rows_match_text,
    assert_empty_table,
    assert_hierarchy,
    assert_tables_complete,
    extract_fixture,
    prose_item_mismatches,
    prose_items,
)

PDF = REAL_PDFS / "shanghai-putuo-justice-bureau-2026-department-budget.pdf"
extract = extract_fixture(PDF)


def test_metadata_comes_from_the_cover(extract):
    assert extract.layout == "shanghai_department_budget"
    assert (extract.fiscal_year, extract.document_type, extract.scope) == (2026, "budget", "department")
    assert (extract.entity_name, extract.region) == ("上海市普陀区司法局", "上海市普陀区")


def test_all_nine_tables_parse_completely_and_skip_the_blank_grid_page(extract):
    assert_tables_complete(extract)
    assert min(page for t in extract.tables for page in t.pages) == 10


@pytest.mark.parametrize(("key", "rows"), [("revenue", 21), ("expenditure", 21), ("gpb_function", 21), ("gpb_basic_economic", 29)])
def test_every_coded_row_matches_the_text_layer(extract, key, rows):
    assert_coded_rows_match_text(extract, PDF, key, rows, y_tolerance=3)


@pytest.mark.parametrize("key", ["expenditure", "gpb_function"])
@pytest.mark.parametrize("column", ["total", "basic", "project"])
def test_hierarchy_adds_up_exactly(extract, key, column):
    assert_hierarchy(extract, key, column)


def test_amounts_without_thousands_separators_keep_their_cents(extract):
    assert total_row_amount(extract.table("revenue"), "total") == Decimal("96282213.44")
    assert extract.table("revenue").rows[-1].cells[4].printed == "96282213.44"


def test_admin_operation_equals_the_economic_public_usetotal_row_amount(extract):
    """Here every unit is a 机关 or 参公 unit, so 机关运行经费 (万元) is the 公用经费 of the economic table (元)."""
    admin = total_row_amount(extract.table("three_public"), "admin_operation")
    public_use = total_row_amount(extract.table("gpb_basic_economic"), "public_use")
    assert abs(admin * 10000 - public_use) <= 50
    assert admin == {f.figure_key: f.amount for f in extract.figures}["admin_operation"]


def test_three_public_parts(extract):
    table = extract.table("three_public")
    assert total_row_amount(table, "total") == sum(total_row_amount(table, k) for k in ("overseas_travel", "reception", "vehicle_total"))
    assert total_row_amount(table, "total") == Decimal("10.81")


@pytest.mark.parametrize("key", ["gov_fund", "state_capital"])
def test_an_empty_table_with_a_no_row_is_empty(extract, key):
    assert_empty_table(extract, key, "故本表为空表")


def test_each_item_of_the_prose_equals_its_function_row(extract):
    """The prose names items as 类（204类）款（06款）项（01项）; one item uses the class's old name
    医疗卫生与计划生育支出 where the tables print 卫生健康支出, so it finds no row."""
    items = prose_items(extract)
    rows = name_paths(extract.table("gpb_function"), "total")
    assert [path[0] for path in items if path not in rows] == ["医疗卫生与计划生育支出"]
    matched = {path: amount for path, amount in items.items() if path in rows}
    assert len(matched) == 12 and prose_item_mismatches(extract, matched) == {}
