"""上海市普陀区人民政府万里街道办事处 2024 部门预算 (WPS, 33 landscape pages, 元): every table, row by row,
against the PDF's own text layer and its printed hierarchy."""

from decimal import Decimal

import pytest
from pipelines.accuracy import column_values, hierarchy_mismatches, name_paths, total_row_amount
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

PDF = REAL_PDFS / "shanghai-putuo-wanli-subdistrict-2024-department-budget.pdf"
FUNCTION_TABLES = ["revenue", "expenditure", "gpb_function"]
HIERARCHY_COLUMNS = [("revenue", "total"), ("revenue", "fiscal_appropriation")] + [
    (key, column) for key in ("expenditure", "gpb_function") for column in ("total", "basic", "project")
]


extract = extract_fixture(PDF)


def test_metadata_comes_from_the_cover(extract):
    assert extract.layout == "shanghai_department_budget"
    assert (extract.fiscal_year, extract.document_type, extract.scope) == (2024, "budget", "department")
    assert extract.entity_name == "上海市普陀区人民政府万里街道办事处"
    assert extract.region == "上海市普陀区"


def test_all_nine_tables_are_found_by_title_with_their_units(extract):
    assert_tables_complete(extract)
    units = {t.spec.table_key: t.unit_factor for t in extract.tables}
    assert units.pop("three_public") == 10000
    assert set(units.values()) == {1}


@pytest.mark.parametrize(("key", "rows"), [("revenue", 66), ("expenditure", 66), ("gpb_function", 66), ("gpb_basic_economic", 31)])
def test_every_coded_row_matches_the_text_layer(extract, key, rows):
    """Each row's codes and amounts, in print order, equal the same row re-read by extract_text(), page by page."""
    assert_coded_rows_match_text(extract, PDF, key, rows, y_tolerance=3)


@pytest.mark.parametrize(("key", "column"), HIERARCHY_COLUMNS)
def test_function_hierarchy_adds_up_exactly(extract, key, column):
    """元 figures are exact: every 类 = Σ 款, every 款 = Σ 项, and the 合计 row = Σ 类."""
    assert_hierarchy(extract, key, column)


def test_the_three_function_tables_agree_row_by_row(extract):
    """All revenue is 一般公共预算 here, so the three tables print the same codes and totals."""
    revenue, expenditure, gpb = (column_values(extract.table(key), "total") for key in FUNCTION_TABLES)
    assert revenue == expenditure == gpb


def test_a_page_holding_only_the_total_row_is_aligned_right(extract):
    """p15 and p20 print just ['合计', amounts…] with fewer columns: the amounts go to the amount columns."""
    for key, page in (("revenue", 15), ("expenditure", 20)):
        last = extract.table(key).rows[-1]
        assert (last.page, last.cells[0].printed) == (page, "合计")
        assert total_row_amount(extract.table(key), "total") == Decimal("156211123")
    assert total_row_amount(extract.table("expenditure"), "basic") == Decimal("99706020")


def test_economic_table_is_basic_spending_by_personnel_and_public_use(extract):
    economic = extract.table("gpb_basic_economic")
    assert hierarchy_mismatches(economic, "basic") == []
    assert total_row_amount(economic, "basic") == total_row_amount(economic, "personnel") + total_row_amount(economic, "public_use")
    assert total_row_amount(economic, "basic") == total_row_amount(extract.table("gpb_function"), "basic")
    # 津贴补贴 is printed with 款 '2', not '02': the code is still 30102.
    assert "30102" in dict(column_values(economic, "basic"))


@pytest.mark.parametrize("key", ["gov_fund", "state_capital"])
def test_empty_tables_keep_their_statement_and_print_no_amount(extract, key):
    assert_empty_table(extract, key, "故本表为空表")


def test_three_public_figures_add_up_and_match_the_narrative(extract):
    """The table (万元) and the prose on p32 state the same 三公 and 机关运行经费 figures, although a false
    '本表为空表' note is printed under the filled table."""
    table = extract.table("three_public")
    figures = {f.figure_key: (f.amount, f.page) for f in extract.figures}
    assert (total_row_amount(table, "total"), 32) == figures["three_public_total"]
    assert (total_row_amount(table, "admin_operation"), 32) == figures["admin_operation"]
    assert total_row_amount(table, "total") == sum(total_row_amount(table, key) for key in ("overseas_travel", "reception", "vehicle_total"))
    assert total_row_amount(table, "vehicle_total") == total_row_amount(table, "vehicle_purchase") + total_row_amount(table, "vehicle_operation")
    assert total_row_amount(table, "total") == Decimal("47.91")


def test_summary_totals_match_the_tables_and_the_narrative(extract):
    last = [c.printed for c in extract.table("income_expense_summary").rows[-1].cells]
    assert last == ["收入总计", "156,211,123", "支出总计", "156,211,123"]
    figures = {f.figure_key: f.amount for f in extract.figures}
    # The prose rounds to 0.01 万元 (100 元).
    assert abs(figures["revenue_total"] * 10000 - total_row_amount(extract.table("revenue"), "total")) <= 100


def test_each_item_of_the_prose_equals_its_function_row(extract):
    """The prose names every item by 类, 款 and 项 and states it in 万元, rounded to 0.01 (50 元 either way)."""
    items = prose_items(extract)
    assert items and set(items) <= set(name_paths(extract.table("gpb_function"), "total"))
    assert prose_item_mismatches(extract, items) == {}
