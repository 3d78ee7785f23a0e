"""上海市普陀区人民政府办公室 2025 单位预算 (WPS, 21 landscape pages, 元 with 2 decimals, zero printed blank):
the unit-level variant of the Shanghai budget layout, checked against the PDF's text layer and hierarchy."""

from decimal import Decimal

import pytest

from pipelines.accuracy import name_paths, total_row_amount
from pipelines.extraction.text import text_to_name
from tests.real_pdfs import (
    REAL_PDFS,
    assert_coded_rows_match_text,
    assert_hierarchy,
    assert_tables_complete,
    extract_fixture,
    prose_item_mismatches,
    prose_items,
)

PDF = REAL_PDFS / "shanghai-putuo-government-office-2025-unit-budget.pdf"
extract = extract_fixture(PDF)


def test_a_unit_budget_is_read_as_such_from_the_cover(extract):
    """The cover says 区级单位预算 and 预算单位：…; the layout is the same as the 部门 budgets'."""
    assert extract.layout == "shanghai_department_budget"
    assert (extract.fiscal_year, extract.document_type, extract.scope) == (2025, "budget", "unit")
    assert (extract.entity_name, extract.region) == ("上海市普陀区人民政府办公室", "上海市普陀区")


def test_all_nine_tables_parse_completely(extract):
    assert_tables_complete(extract)


@pytest.mark.parametrize(("key", "rows"), [("revenue", 20), ("expenditure", 20), ("gpb_function", 20), ("gpb_basic_economic", 29)])
def test_every_coded_row_matches_the_text_layer(extract, key, rows):
    assert_coded_rows_match_text(extract, PDF, key, rows, y_tolerance=3)


@pytest.mark.parametrize("key", ["expenditure", "gpb_function"])
@pytest.mark.parametrize("column", ["total", "basic", "project"])
def test_hierarchy_adds_up_exactly(extract, key, column):
    assert_hierarchy(extract, key, column)


def test_names_wrapped_inside_a_cell_are_joined(extract):
    names = [cell.printed for row in extract.table("revenue").rows for cell in row.cells if "办公厅" in cell.printed]
    assert "\n" in "".join(names), "the PDF wraps this name inside its cell"
    assert "其他政府办公厅（室）及相关机构事务支出" in {text_to_name(name) for name in names}


def test_the_wide_summary_splits_spending_into_personnel_public_use_and_projects(extract):
    """This unit prints 合计 | 人员经费 | 公用经费 | 项目支出 on the expense side (blank = 0)."""
    summary = extract.table("income_expense_summary")
    keys = {c.column_key: c.index for c in summary.columns}
    for row in summary.rows:
        amount = {key: next(c.amount for c in row.cells if c.column_index == index) for key, index in keys.items()}
        parts = amount["personnel"] + amount["public_use"] + amount["project"]
        assert amount["expenditure_amount"] == parts, [c.printed for c in row.cells]
    assert total_row_amount(extract.table("gpb_basic_economic"), "basic") == total_row_amount(extract.table("gpb_function"), "basic")


def test_three_public_blank_cells_are_zero_and_match_the_narrative(extract):
    table = extract.table("three_public")
    figures = {f.figure_key: f.amount for f in extract.figures}
    assert total_row_amount(table, "vehicle_total") == 0 and table.rows[0].cells[3].printed == ""
    assert total_row_amount(table, "total") == figures["three_public_total"] == Decimal("867.50")
    assert total_row_amount(table, "total") == sum(total_row_amount(table, k) for k in ("overseas_travel", "reception", "vehicle_total"))
    assert total_row_amount(table, "admin_operation") == figures["admin_operation"]


@pytest.mark.parametrize("key", ["gov_fund", "state_capital"])
def test_empty_tables_say_so(extract, key):
    assert "本单位2025年无" in extract.table(key).empty_statement


def test_each_item_of_the_prose_equals_its_function_row(extract):
    """The prose names every item by 类, 款 and 项 and states it in 万元, rounded to 0.01 (50 元 either way)."""
    items = prose_items(extract)
    assert items and set(items) <= set(name_paths(extract.table("gpb_function"), "total"))
    assert prose_item_mismatches(extract, items) == {}
