"""上海市普陀区财政局 2024 部门决算 (ONLYOFFICE, 25 pages, portrait and landscape mixed, 万元): a final
account read as first-class data, checked against the PDF's text layer, its printed hierarchy and its prose."""

from decimal import Decimal

import pytest
from pipelines.accuracy import column_values, hierarchy_mismatches, name_paths, total_row_amount
from tests.real_pdfs import (
    REAL_PDFS,
    assert_coded_rows_match_text,
    assert_hierarchy,
    assert_tables_complete,
    extract_fixture,
    prose_items,
)

PDF = REAL_PDFS / "shanghai-putuo-finance-bureau-2024-department-final-account.pdf"
# 万元 figures are rounded to 0.01 independently, so a parent may differ from Σ children by a cent or two.
CENTS = Decimal("0.02")


extract = extract_fixture(PDF)


def test_a_final_account_is_recognised_from_its_cover(extract):
    """The cover prints the entity, then 年度部门决算, then the year on its own line."""
    assert extract.layout == "shanghai_department_final_account"
    assert (extract.fiscal_year, extract.document_type, extract.scope) == (2024, "final_account", "department")
    assert (extract.entity_name, extract.region) == ("上海市普陀区财政局", "上海市普陀区")


def test_all_nine_tables_on_portrait_and_landscape_pages_are_in_wan_yuan(extract):
    assert_tables_complete(extract)
    assert {t.unit_factor for t in extract.tables} == {10000}
    # p8 (revenue) is landscape, p15 (gpb_function) portrait.
    assert (extract.table("revenue").pages, extract.table("gpb_function").pages) == ([8, 9], [15])


@pytest.mark.parametrize(("key", "rows"), [("revenue", 19), ("expenditure", 19), ("gpb_function", 19), ("gpb_basic_economic", 38)])
def test_every_coded_row_matches_the_text_layer(extract, key, rows):
    """Digits sit below the Chinese baseline here, so the text is re-read with the profile's looser tolerance;
    the 基本支出 table prints two blocks per line, which the comparison joins again."""
    assert_coded_rows_match_text(extract, PDF, key, rows, y_tolerance=8)


@pytest.mark.parametrize(("key", "column"), [("revenue", "total"), ("expenditure", "total"), ("expenditure", "basic"),
                                             ("expenditure", "project"), ("gpb_function", "total")])
def test_hierarchy_adds_up_within_rounding(extract, key, column):
    assert_hierarchy(extract, key, column, CENTS)


def test_the_total_printed_inside_the_header_is_a_row(extract):
    """收入决算表 / 支出决算表 print 合计 on the 类|款|项 header row."""
    revenue, expenditure = extract.table("revenue"), extract.table("expenditure")
    assert [c.printed for c in revenue.rows[0].cells[:5]] == ["类", "款", "项", "合计", "2,946.25"]
    assert total_row_amount(revenue, "total") == total_row_amount(revenue, "fiscal_appropriation") + total_row_amount(revenue, "other_income")
    assert total_row_amount(expenditure, "total") == total_row_amount(expenditure, "basic") + total_row_amount(expenditure, "project")


def test_the_two_block_economic_table_is_personnel_then_public_use(extract):
    """Left block 301/303 (人员经费合计), right block 302/310 (公用经费合计); together the function table's 基本支出."""
    economic = extract.table("gpb_basic_economic")
    assert hierarchy_mismatches(economic, "basic", CENTS) == []
    rows = column_values(economic, "basic")
    subtotals = [amount for code, amount in rows if code == ""]
    personnel = sum(a for code, a in rows if code in ("301", "303"))
    public_use = sum(a for code, a in rows if code in ("302", "310"))
    assert subtotals == [personnel, public_use] == [Decimal("2152.26"), Decimal("184.65")]
    assert personnel + public_use == total_row_amount(extract.table("gpb_function"), "basic")


def test_three_public_keeps_budget_and_actual_side_by_side(extract):
    table = extract.table("three_public")
    keys = [c.column_key for c in table.columns]
    assert keys[:2] == ["total__budget", "total"] and len(keys) == 12
    figures = {f.figure_key: f.amount for f in extract.figures}
    assert total_row_amount(table, "total__budget") == figures["three_public_budget"] == Decimal("0.95")
    assert total_row_amount(table, "total") == figures["three_public_total"] == 0
    assert total_row_amount(table, "reception__budget") == Decimal("0.95")


def test_narrative_digits_are_read_despite_the_lowered_baseline(extract):
    figures = {f.figure_key: (f.amount, f.page) for f in extract.figures}
    assert figures["grand_total"] == (Decimal("2995.39"), 21)
    assert figures["admin_operation"] == (Decimal("184.65"), 24)
    summary = extract.table("income_expense_summary")
    assert [c.printed for c in summary.rows[-1].cells] == ["总计", "2,995.39", "总计", "2,995.39"]


def test_the_pdf_contradicts_itself_on_the_fiscal_grandtotal_row_amount(extract):
    """A real inconsistency, so the document is loaded as 'flagged': the prose on p21 says
    财政拨款收入支出总计 0.3 万元 while 财政拨款收入支出决算总表 prints 总计 2,961.68 on p13."""
    stated = next(f for f in extract.figures if f.figure_key == "fiscal_grand_total")
    assert (stated.amount, stated.page) == (Decimal("0.3"), 21)
    fiscal = extract.table("fiscal_summary")
    grand = [row for row in fiscal.rows if row.cells[0].printed == "总计"]
    assert [(row.page, row.cells[1].printed) for row in grand] == [(13, "2,961.68")]


@pytest.mark.parametrize("key", ["gov_fund", "state_capital"])
def test_empty_tables_say_there_is_no_data(extract, key):
    assert "故本表无数据" in extract.table(key).empty_statement


def test_the_prose_gives_each_items_initial_budget_and_its_actual_matches_the_table(extract):
    """年初预算 exists only in the prose, one sentence per 项 named 类（类）款（款）项（项) and labelled 类|款|项;
    its 支出决算 must be the gpb_function row reached by those three names."""
    table = extract.table("gpb_function")
    actual = prose_items(extract, "item_actual")
    initial = set(prose_items(extract, "item_budget_initial"))
    assert len(actual) == len(name_paths(table, "total")) == 11 and initial == set(actual)
    assert actual.items() <= name_paths(table, "total").items()
    figures = {f.figure_key: f.amount for f in extract.figures}
    assert figures["gpb_actual"] == total_row_amount(table, "total")
    assert figures["gpb_budget_initial"] == Decimal("2993.92")
