"""上海市审计局 2026 单位预算 (WPS 表格, 20 pages: cover, prose, then nine unlabelled tables in 元, codes over
类 | 款 | 项 columns, the 三公 table in 万元). The 财务收支预算总表 prints 收入总计 without its figure."""

from tests.national_pdfs import (
    TOTAL_BASIC_PROJECT,
    WAN,
    YUAN,
    Facts,
    NationalPdfChecks,
    Printed,
    national_pdf,
    side_amounts,
)
from tests.real_pdfs import extract_fixture

CATEGORIES = {
    "total": "237.92", "overseas_travel": "201.80", "reception": "8.12", "vehicle_total": "28.00", "vehicle_operation": "28.00",
    "admin_operation": "2,180.26",
}


class TestShSjj2026UnitBudget(NationalPdfChecks):
    PDF = national_pdf("sh_sjj_2026_unitbudget.pdf")
    # Cover (p1): 上海市2026年市级单位预算 / 预算单位：上海市审计局.
    FACTS = Facts(2026, "budget", "unit", "上海市审计局", "上海市")
    SOURCES = "fiscal_year: cover; document_type: cover; scope: cover; entity_name: caption; region: cover"
    # No label: the tables are numbered by their place; each is captioned 编制单位：… 单位：元 (三公: 单位:万元).
    TABLES = {
        "income_expense_summary": Printed(1, (7,), YUAN, 0),
        "revenue": Printed(2, (8, 9), YUAN, 0),
        "expenditure": Printed(3, (10, 11), YUAN, 0),
        "fiscal_summary": Printed(4, (12,), YUAN, 0),
        "gpb_function": Printed(5, (13, 14), YUAN, 0),
        "gov_fund": Printed(6, (15,), YUAN, None),
        "state_capital": Printed(7, (16,), YUAN, None),
        "gpb_basic_economic": Printed(8, (17, 18), YUAN, 0),
        "three_public": Printed(9, (19,), WAN, 2),
    }
    # 23 function rows (4 类, 7 款, 12 项; 12 + 11 on 收入/支出预算总表, 14 + 9 on 一般公共预算表); 14 + 18 economic rows.
    ROWS = {"revenue": 23, "expenditure": 23, "gpb_function": 23, "gpb_basic_economic": 32}
    # 元 figures: every 类 = Σ 款 = Σ 项 and 合计 = Σ 类 to the yuan.
    HIERARCHY = {
        "revenue": ("total", "fiscal_appropriation"),
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": TOTAL_BASIC_PROJECT,
        "gpb_basic_economic": ("basic", "personnel", "public_use"),
    }
    FUNCTION_TOTALS = {
        "expenditure": {"total": "195,774,300", "basic": "175,071,300", "project": "20,703,000"},
        "gpb_function": {"total": "195,774,300", "basic": "175,071,300", "project": "20,703,000"},
    }
    CLASS_AMOUNTS = {
        ("gpb_function", "total"): {"201": "134,339,860", "208": "23,992,440", "210": "6,142,000", "221": "31,300,000"},
        ("gpb_basic_economic", "basic"): {"301": "148,274,340", "302": "21,019,560", "303": "4,994,400", "310": "783,000"},
    }
    # 收入预算总表 prints 财政拨款收入, 事业收入, 事业单位经营收入, 其他收入: all of it 财政拨款收入.
    REVENUE = {"total": "195,774,300", "fiscal_appropriation": "195,774,300"}
    ECONOMIC_TOTALS = {"gpb_basic_economic": {"basic": "175,071,300", "personnel": "153,268,740", "public_use": "21,802,560"}}
    # p19, 单位:万元: 三公 237.92 = 201.80 + 8.12 + 28.00, 机关运行经费 2,180.26.
    THREE_PUBLIC = CATEGORIES
    WAREHOUSE_REVENUE = {"fiscal_appropriation": "195,774,300"}
    WAREHOUSE_THREE_PUBLIC = {2026: CATEGORIES}
    # The PDF's own omission, a warning only.
    FAILED_CHECKS = (("amounts_readable", "warning", "T1 p.7 收入总计 prints no amount", None, None, "7"),)

    def test_the_summary_prints_no_revenue_total(self, extract):
        """p7: 收入总计 has no figure, while 支出总计 prints 195,774,300 and 一、财政拨款收入 the same."""
        summary = extract.table("income_expense_summary")
        revenue, spending = side_amounts(summary), side_amounts(summary, "expenditure_item", "expenditure_amount")
        assert "收入总计" not in revenue
        assert revenue["一、财政拨款收入"] == spending["支出总计"]


extract = extract_fixture(TestShSjj2026UnitBudget.PDF)
