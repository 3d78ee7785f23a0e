"""福州市仓山生态环境局 2026 单位预算 (WPS 文字, 31 pages: cover, contents, 单位概况, then 一、… 十、 tables in 万元
with two decimals and no thousands separators, then the explanation). The economic tables print every subject of
the classification, most of them blank; 三公 is a list of items, one a row."""

from tests.national_pdfs import TOTAL_BASIC_PROJECT, WAN, Facts, NationalPdfChecks, Printed, item_amounts, national_pdf
from tests.real_pdfs import extract_fixture


class TestFzCssthjj2026UnitBudget(NationalPdfChecks):
    PDF = national_pdf("fz_cssthjj_2026_unitbudget.pdf")
    # Cover (p1): 2026 年度 / 福州市仓山生态环境局 / 单位预算.
    FACTS = Facts(2026, "budget", "unit", "福州市仓山生态环境局", "福州市")
    SOURCES = "fiscal_year: cover; document_type: cover; scope: cover; entity_name: cover; region: entity name"
    # Labelled 一、… 十、 above a title repeating the year (2026 年度收支预算总表); 六、七、 print 合计 0.00 only.
    TABLES = {
        "income_expense_summary": Printed(1, (9,), WAN, 2),
        "revenue": Printed(2, (10,), WAN, 2),
        "expenditure": Printed(3, (11,), WAN, 2),
        "fiscal_summary": Printed(4, (12,), WAN, 2),
        "gpb_function": Printed(5, (13,), WAN, 2),
        "gov_fund": Printed(6, (14,), WAN, None),
        "state_capital": Printed(7, (15,), WAN, None),
        "gpb_economic": Printed(8, (16,), WAN, 2),
        "gpb_basic_economic": Printed(9, (17, 18, 19), WAN, 2),
        "three_public": Printed(10, (20,), WAN, 2),
    }
    # 17 function rows (3 类, 5 款, 9 项) in 三、 and 五、; 八、 the ten economic 类; 九、 36 + 43 + 29 economic rows, blank
    # ones included (30106 伙食补助费).
    ROWS = {"expenditure": 17, "gpb_function": 17, "gpb_economic": 10, "gpb_basic_economic": 108}
    HIERARCHY = {"expenditure": TOTAL_BASIC_PROJECT, "gpb_function": TOTAL_BASIC_PROJECT, "gpb_basic_economic": ("basic",)}
    FUNCTION_TOTALS = {
        "expenditure": {"total": "1338.13", "basic": "990.13", "project": "348.00"},
        "gpb_function": {"total": "1338.13", "basic": "990.13", "project": "348.00"},
    }
    # 八、 is all of 一般公共预算 by 类 (302 takes the 348.00 of projects), 九、 its 基本支出.
    CLASS_AMOUNTS = {
        ("gpb_function", "total"): {"208": "189.51", "211": "1039.00", "221": "109.62"},
        ("gpb_economic", "total"): {"301": "838.03", "302": "406.33", "303": "93.77"},
        ("gpb_basic_economic", "basic"): {"301": "838.03", "302": "58.33", "303": "93.77"},
    }
    # 二、 lists the unit under a 合计 row printing 0.00 in every other column: all 一般公共预算拨款收入.
    REVENUE = {"total": "1338.13", "general_public_budget": "1338.13"}
    ECONOMIC_TOTALS = {"gpb_economic": {"total": "1338.13"}, "gpb_basic_economic": {"basic": "990.13"}}
    # 十、 (p20): 合计 17.00, 因公出国（境）费用 0.00, 公务接待费 1.00, 公务用车购置及运行费 16.00 of which 运行费 16.00.
    three_public_as_printed = staticmethod(item_amounts)
    THREE_PUBLIC = {"合计": "17.00", "2、公务接待费": "1.00", "3、公务用车购置及运行费": "16.00", "（2）公务用车运行费": "16.00"}
    WAREHOUSE_REVENUE = {"general_public_budget": "1338.13"}
    # 机关运行经费 from the prose (p27: "机关运行经费支出12.08万元").
    WAREHOUSE_THREE_PUBLIC = {2026: {"total": "17.00", "reception": "1.00", "vehicle_total": "16.00", "vehicle_operation": "16.00", "admin_operation": "12.08"}}


extract = extract_fixture(TestFzCssthjj2026UnitBudget.PDF)
