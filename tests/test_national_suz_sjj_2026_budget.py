"""苏州市审计局 2026 部门预算 (Aspose.Words, 33 pages: cover, contents, 部门概况, then 公开01表 … 公开13表 in 万元 with
two decimals, each captioned 部门：… 单位：万元 under a running title, then the explanation). Jiangsu's set: 财政拨款
支出表 by function and by economic class beside the 一般公共预算 ones, 三公 with 会议费 and 培训费, 机关运行经费."""

from tests.national_pdfs import TOTAL_BASIC_PROJECT, WAN, Facts, NationalPdfChecks, Printed, national_pdf
from tests.real_pdfs import extract_fixture


class TestSuzSjj2026Budget(NationalPdfChecks):
    PDF = national_pdf("suz_sjj_2026_budget.pdf")
    # Cover (p1): 2026 年度苏州市审计局部门预算公开.
    FACTS = Facts(2026, "budget", "department", "苏州市审计局", "苏州市")
    SOURCES = "fiscal_year: cover; document_type: cover; scope: cover; entity_name: cover; region: entity name"
    # 公开NN表 on its own line above the title; 公开10表 and 公开11表 print 合计 and 故本表无数据 only.
    TABLES = {
        "income_expense_summary": Printed(1, (9,), WAN, 2),
        "revenue": Printed(2, (10,), WAN, 2),
        "expenditure": Printed(3, (11,), WAN, 2),
        "fiscal_summary": Printed(4, (12, 13), WAN, 2),
        "fiscal_function": Printed(5, (14,), WAN, 2),
        "fiscal_basic_economic": Printed(6, (15,), WAN, 2),
        "gpb_function": Printed(7, (16,), WAN, 2),
        "gpb_basic_economic": Printed(8, (17,), WAN, 2),
        "three_public": Printed(9, (18,), WAN, 2),
        "gov_fund": Printed(10, (19,), WAN, None),
        "state_capital": Printed(11, (20,), WAN, None),
        "admin_operation": Printed(12, (21,), WAN, 2),
        "procurement": Printed(13, (22,), WAN, 2),
    }
    # 14 function rows (3 类, 3 款, 8 项; 公开03表 wraps 2080505's name under its figures); 30 economic rows.
    ROWS = {"expenditure": 14, "gpb_function": 14, "gpb_basic_economic": 30}
    HIERARCHY = {
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": TOTAL_BASIC_PROJECT,
        "gpb_basic_economic": ("basic", "personnel", "public_use"),
    }
    FUNCTION_TOTALS = {
        "expenditure": {"total": "4,651.67", "basic": "4,312.17", "project": "339.50"},
        "gpb_function": {"total": "4,651.67", "basic": "4,312.17", "personnel": "3,916.57", "public_use": "395.60", "project": "339.50"},
    }
    CLASS_AMOUNTS = {
        ("gpb_function", "total"): {"201": "2,906.63", "208": "442.09", "221": "1,302.95"},
        ("gpb_basic_economic", "basic"): {"301": "3,584.70", "302": "395.60", "303": "331.87"},
    }
    # 公开02表 (p10): 合计, the department (024) and its one unit (024001), all 本年收入/一般公共预算.
    REVENUE = {"total": "4,651.67", "current_income": "4,651.67", "general_public_budget": "4,651.67"}
    ECONOMIC_TOTALS = {"gpb_basic_economic": {"basic": "4,312.17", "personnel": "3,916.57", "public_use": "395.60"}}
    # 公开09表 (p18): 三公 10.00, all 公务接待费; 会议费 10.00 and 培训费 43.00 beside them.
    THREE_PUBLIC = {"total": "10.00", "reception": "10.00", "meeting": "10.00", "training": "43.00"}
    WAREHOUSE_REVENUE = {"general_public_budget": "4,651.67"}
    # 机关运行经费: 公开12表 (p21) and the prose (p30).
    WAREHOUSE_THREE_PUBLIC = {2026: {"total": "10.00", "reception": "10.00", "admin_operation": "395.60"}}

    def test_the_empty_tables_say_so(self, extract):
        assert all("故本表无数据" in extract.table(key).empty_statement for key in ("gov_fund", "state_capital"))


extract = extract_fixture(TestSuzSjj2026Budget.PDF)
