"""上海市信访办公室 2026 单位预算 (Excel 2007, 20 pages: cover, prose, then nine unlabelled tables in 元, codes over
类 | 款 | 项 columns, the 三公 table in 万元)."""

from tests.national_pdfs import (
    TOTAL_BASIC_PROJECT,
    WAN,
    YUAN,
    Facts,
    NationalPdfChecks,
    Printed,
    amount,
    national_pdf,
    side_amounts,
)
from tests.real_pdfs import extract_fixture

CATEGORIES = {
    "total": "84.00", "overseas_travel": "30.00", "reception": "5.00", "vehicle_total": "49.00", "vehicle_operation": "49.00",
    "admin_operation": "1,067.92",
}


class TestShXfbgs2026UnitBudget(NationalPdfChecks):
    PDF = national_pdf("sh_xfbgs_2026_unitbudget.pdf")
    # Cover (p1): 上海市2026年市级单位预算 / 预算单位：上海市信访办公室.
    FACTS = Facts(2026, "budget", "unit", "上海市信访办公室", "上海市")
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
    # 21 function rows (4 类, 6 款, 11 项; 13 + 8 on 收入/支出预算总表, 14 + 7 on 一般公共预算表); 16 + 18 economic rows.
    ROWS = {"revenue": 21, "expenditure": 21, "gpb_function": 21, "gpb_basic_economic": 34}
    HIERARCHY = {
        "revenue": ("total", "fiscal_appropriation"),
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": TOTAL_BASIC_PROJECT,
        "gpb_basic_economic": ("basic", "personnel", "public_use"),
    }
    FUNCTION_TOTALS = {
        "expenditure": {"total": "288,280,739", "basic": "60,046,940", "project": "228,233,799"},
        "gpb_function": {"total": "288,280,739", "basic": "60,046,940", "project": "228,233,799"},
    }
    CLASS_AMOUNTS = {
        ("gpb_function", "total"): {"201": "267,027,339", "208": "8,855,880", "210": "1,996,000", "221": "10,401,520"},
        ("gpb_basic_economic", "basic"): {"301": "47,915,534", "302": "9,979,246", "303": "1,452,160", "310": "700,000"},
    }
    REVENUE = {"total": "288,280,739", "fiscal_appropriation": "288,280,739"}
    ECONOMIC_TOTALS = {"gpb_basic_economic": {"basic": "60,046,940", "personnel": "49,367,694", "public_use": "10,679,246"}}
    # p19, 单位:万元: 三公 84.00 = 30.00 + 5.00 + 49.00, 机关运行经费 1,067.92.
    THREE_PUBLIC = CATEGORIES
    WAREHOUSE_REVENUE = {"fiscal_appropriation": "288,280,739"}
    WAREHOUSE_THREE_PUBLIC = {2026: CATEGORIES}

    def test_the_summary_balances(self, extract):
        """p7: 收入总计 288,280,739 = 支出总计."""
        summary = extract.table("income_expense_summary")
        revenue, spending = side_amounts(summary), side_amounts(summary, "expenditure_item", "expenditure_amount")
        assert revenue["收入总计"] == spending["支出总计"] == amount("288,280,739")


extract = extract_fixture(TestShXfbgs2026UnitBudget.PDF)
