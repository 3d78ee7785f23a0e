"""北京市财政局 2026 部门预算, the tables-only PDF (WPS 表格, 48 pages, no cover): 预算01表 … 预算14表 in 万元 with six
decimals, only 项 rows. The department's own 行政 unit and its 事业 units print the same 项 twice, without naming
the unit (2010601 行政运行 on rows 1 and 11 of 预算05表), so a code is not a key of these tables."""

from pipelines.accuracy import column_values
from tests.national_pdfs import TOTAL_BASIC_PROJECT, WAN, Facts, NationalPdfChecks, Printed, amount, national_pdf
from tests.real_pdfs import extract_fixture


class TestBjCzj2026BudgetTables(NationalPdfChecks):
    PDF = national_pdf("bj_czj_2026_budget_tables.pdf")
    # No cover: （2026年度） and 部门名称 北京市财政局 are printed under 预算13表's title (p44).
    FACTS = Facts(2026, "budget", "department", "北京市财政局", "北京市")
    SOURCES = "fiscal_year: headings; document_type: table titles; scope: table titles; entity_name: caption; region: entity name"
    # 收支总表 and 财政拨款收支总表 continue on a page without a title (p2, p8); the two empty tables print only 合计.
    TABLES = {
        "income_expense_summary": Printed(1, (1, 2), WAN, 6),
        "revenue": Printed(2, (3,), WAN, 6),
        "expenditure": Printed(3, (4, 5, 6), WAN, 6),
        "fiscal_summary": Printed(4, (7, 8), WAN, 6),
        "gpb_function": Printed(5, (9,), WAN, 6),
        "gpb_basic_economic": Printed(6, (10, 11), WAN, 6),
        "gov_fund": Printed(7, (12,), WAN, None),
        "state_capital": Printed(8, (13,), WAN, None),
        "three_public": Printed(9, (14,), WAN, 6),
        "procurement": Printed(10, (15,), WAN, 6),
        "purchase_services": Printed(11, (16,), WAN, 6),
    }
    # 支出总表: 31 + 38 + 17 rows of 项 × economic pair (p4-6); 预算05表: 20 项 rows; 预算06表: 23 + 27 economic pairs.
    ROWS = {"expenditure": 86, "gpb_function": 20, "gpb_basic_economic": 50}
    HIERARCHY = {}
    LEAF_TOTALS = {
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": TOTAL_BASIC_PROJECT,
        "gpb_basic_economic": ("basic",),
    }
    FUNCTION_TOTALS = {
        "expenditure": {"total": "44,169.357532", "basic": "28,016.258321", "project": "16,153.099211"},
        "gpb_function": {
            "total": "44,169.357532", "basic": "28,016.258321", "personnel": "25,934.649992", "public_use": "2,081.608329",
            "project": "16,153.099211",
        },
    }
    CLASS_AMOUNTS = {("gpb_function", "total"): {}}
    # 预算02表: this year's revenue and the carry-over are all 一般公共预算资金.
    REVENUE = {
        "total": "44,169.357532", "current_income": "44,156.640120", "general_public_budget": "44,156.640120",
        "prior_year_carryover": "12.717412", "carryover_detail": "12.717412",
    }
    ECONOMIC_TOTALS = {"gpb_basic_economic": {"basic": "28,016.258321", "personnel": "25,934.649992", "public_use": "2,081.608329"}}
    THREE_PUBLIC = {
        "total": "223.799250", "overseas_travel": "127.737000", "reception": "11.642250",
        "vehicle_total": "84.420000", "vehicle_purchase": "44.920000", "vehicle_operation": "39.500000",
    }
    WAREHOUSE_REVENUE = {"general_public_budget": "44,156.640120", "prior_year_carryover": "12.717412"}
    WAREHOUSE_THREE_PUBLIC = {2026: THREE_PUBLIC}

    def test_a_tables_only_publication(self, extract):
        assert extract.content == "tables"

    def test_a_code_printed_twice_keeps_both_rows(self, extract):
        """预算05表 p9: 2010601 行政运行 10,096.054007 (the 行政 unit) and 7,239.974050 (the 事业 units)."""
        rows = [figure for code, figure in column_values(extract.table("gpb_function"), "total") if code == "2010601"]
        assert rows == [amount("10,096.054007"), amount("7,239.974050")]


extract = extract_fixture(TestBjCzj2026BudgetTables.PDF)
