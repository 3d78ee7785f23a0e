"""北京市信访办公室 2026 部门预算, the tables-only PDF (WPS 表格, 17 pages, no cover: Beijing publishes the
explanation as a separate PDF): 预算01表 … 预算13表 in 万元 with six decimals, 支出总表 by function × economic code,
only 项 rows (no 类 or 款 subtotals)."""

from tests.national_pdfs import TOTAL_BASIC_PROJECT, WAN, Facts, NationalPdfChecks, Printed, national_pdf
from tests.real_pdfs import extract_fixture


class TestBjXfbgs2026BudgetTables(NationalPdfChecks):
    PDF = national_pdf("bj_xfbgs_2026_budget_tables.pdf")
    # No cover: the year is printed once, under 预算13表's title (（2026年度）, p17), the entity in its 部门名称 row;
    # 部门 and 预算 only in the table titles (预算NN表, 部门整体支出绩效目标表).
    FACTS = Facts(2026, "budget", "department", "北京市信访办公室", "北京市")
    SOURCES = "fiscal_year: headings; document_type: table titles; scope: table titles; entity_name: caption; region: entity name"
    # One table a page (支出总表 over p3-4), each captioned 金额单位：万元; the two empty tables print only 合计.
    TABLES = {
        "income_expense_summary": Printed(1, (1,), WAN, 6),
        "revenue": Printed(2, (2,), WAN, 6),
        "expenditure": Printed(3, (3, 4), WAN, 6),
        "fiscal_summary": Printed(4, (5,), WAN, 6),
        "gpb_function": Printed(5, (6,), WAN, 6),
        "gpb_basic_economic": Printed(6, (7,), WAN, 6),
        "gov_fund": Printed(7, (8,), WAN, None),
        "state_capital": Printed(8, (9,), WAN, None),
        "three_public": Printed(9, (10,), WAN, 6),
        "procurement": Printed(10, (11,), WAN, 6),
        "purchase_services": Printed(11, (12,), WAN, 6),
    }
    # 支出总表: a row per 项 × 政府/部门经济分类, 27 on p3 and 15 on p4; 一般公共预算支出表: a row per 项; 基本支出表: a
    # row per economic pair (50101-… 30101-…).
    ROWS = {"expenditure": 42, "gpb_function": 15, "gpb_basic_economic": 28}
    # On p4 2080505's name wraps: the text layer prints '2080505-机关事业单位基本养老保险缴费' above the row's figures.
    WRAPPED = ("2080505",)
    HIERARCHY = {}
    # 合计 is the sum of the 项 rows, exactly in the six printed decimals.
    LEAF_TOTALS = {
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": TOTAL_BASIC_PROJECT,
        "gpb_basic_economic": ("basic",),
    }
    FUNCTION_TOTALS = {
        "expenditure": {"total": "9,626.777589", "basic": "7,485.224572", "project": "2,141.553017"},
        "gpb_function": {
            "total": "9,626.777589", "basic": "7,485.224572", "personnel": "6,901.453085", "public_use": "583.771487", "project": "2,141.553017",
        },
    }
    # Codes of 项 only: there is no 类 row to sum.
    CLASS_AMOUNTS = {("gpb_function", "total"): {}}
    # 预算02表: all this year's revenue is 一般公共预算资金; the carry-over is 一般公共预算资金 too.
    REVENUE = {
        "total": "9,626.777589", "current_income": "9,616.338314", "general_public_budget": "9,616.338314",
        "prior_year_carryover": "10.439275", "carryover_detail": "10.439275",
    }
    ECONOMIC_TOTALS = {"gpb_basic_economic": {"basic": "7,485.224572", "personnel": "6,901.453085", "public_use": "583.771487"}}
    # 预算09表: 因公出国（境）费用 and 公务接待费 only.
    THREE_PUBLIC = {"total": "17.700000", "overseas_travel": "14.850000", "reception": "2.850000"}
    WAREHOUSE_REVENUE = {"general_public_budget": "9,616.338314", "prior_year_carryover": "10.439275"}
    WAREHOUSE_THREE_PUBLIC = {2026: THREE_PUBLIC}

    def test_a_tables_only_publication(self, extract):
        assert extract.content == "tables"


extract = extract_fixture(TestBjXfbgs2026BudgetTables.PDF)
