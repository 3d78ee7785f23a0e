"""苏州市水务局 2026 单位预算 (Aspose.Words, 41 pages: cover, contents, 单位概况, then 公开01表 … 公开13表 in 万元 with
two decimals, each captioned 单位：… 单位：万元 under a running title, then the explanation). 政府性基金 pays the
城乡社区支出 (44,003.26)."""

from tests.national_pdfs import TOTAL_BASIC_PROJECT, WAN, Facts, NationalPdfChecks, Printed, national_pdf
from tests.real_pdfs import extract_fixture


class TestSuzSwj2026UnitBudget(NationalPdfChecks):
    PDF = national_pdf("suz_swj_2026_unitbudget.pdf")
    # Cover (p1): 2026 年度苏州市水务局单位预算公开.
    FACTS = Facts(2026, "budget", "unit", "苏州市水务局", "苏州市")
    SOURCES = "fiscal_year: cover; document_type: cover; scope: cover; entity_name: cover; region: entity name"
    # 公开NN表 on its own line above the title; 公开11表 prints 合计 and 故本表无数据 only.
    TABLES = {
        "income_expense_summary": Printed(1, (11,), WAN, 2),
        "revenue": Printed(2, (12,), WAN, 2),
        "expenditure": Printed(3, (13, 14), WAN, 2),
        "fiscal_summary": Printed(4, (15, 16), WAN, 2),
        "fiscal_function": Printed(5, (17, 18), WAN, 2),
        "fiscal_basic_economic": Printed(6, (19,), WAN, 2),
        "gpb_function": Printed(7, (20,), WAN, 2),
        "gpb_basic_economic": Printed(8, (21,), WAN, 2),
        "three_public": Printed(9, (22,), WAN, 2),
        "gov_fund": Printed(10, (23,), WAN, 2),
        "state_capital": Printed(11, (24,), WAN, None),
        "admin_operation": Printed(12, (25,), WAN, 2),
        "procurement": Printed(13, (26, 27), WAN, 2),
    }
    # 公开03表 17 + 3 function rows: 公开07表's 15 (3 类, 3 款, 9 项) and 公开10表's 5 of 212 城乡社区支出 (政府性基金);
    # 24 economic rows.
    ROWS = {"expenditure": 20, "gpb_function": 15, "gpb_basic_economic": 24, "gov_fund": 5}
    HIERARCHY = {
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": TOTAL_BASIC_PROJECT,
        "gpb_basic_economic": ("basic", "personnel", "public_use"),
        "gov_fund": ("total", "project"),
    }
    FUNCTION_TOTALS = {
        "expenditure": {"total": "92,596.24", "basic": "2,147.85", "project": "90,448.39"},
        "gpb_function": {"total": "48,592.98", "basic": "2,147.85", "personnel": "1,941.88", "public_use": "205.97", "project": "46,445.13"},
    }
    CLASS_AMOUNTS = {
        ("expenditure", "total"): {"208": "205.39", "212": "44,003.26", "213": "47,731.51", "221": "656.08"},
        ("gpb_function", "total"): {"208": "205.39", "213": "47,731.51", "221": "656.08"},
        ("gpb_basic_economic", "basic"): {"301": "1,709.98", "302": "205.97", "303": "231.90"},
    }
    # 公开02表 (p12): 合计 and the unit (105001): 一般公共预算 48,592.98 and 政府性基金预算 44,003.26.
    REVENUE = {"total": "92,596.24", "current_income": "92,596.24", "general_public_budget": "48,592.98", "government_fund": "44,003.26"}
    ECONOMIC_TOTALS = {"gpb_basic_economic": {"basic": "2,147.85", "personnel": "1,941.88", "public_use": "205.97"}}
    # 公开09表 (p22): 三公 15.00, all 公务接待费; 会议费 10.05 and 培训费 22.10 beside them.
    THREE_PUBLIC = {"total": "15.00", "reception": "15.00", "meeting": "10.05", "training": "22.10"}
    WAREHOUSE_REVENUE = {"general_public_budget": "48,592.98", "government_fund": "44,003.26"}
    # 机关运行经费: 公开12表 (p25) and the prose (p38).
    WAREHOUSE_THREE_PUBLIC = {2026: {"total": "15.00", "reception": "15.00", "admin_operation": "205.97"}}

    def test_the_empty_table_says_so(self, extract):
        assert "故本表无数据" in extract.table("state_capital").empty_statement


extract = extract_fixture(TestSuzSwj2026UnitBudget.PDF)
