"""国家信访局 2026 部门预算, a central ministry (WPS 文字, 37 pages: cover, contents, 基本情况, then 部门公开表1 … 9 in
万元 with two decimals, then the explanation and project targets). 部门公开表5 sets 2025 执行数 and the change beside
the 2026 budget; 部门公开表7's label is printed at the foot of the page before its title."""

from tests.national_pdfs import CENT, TOTAL_BASIC_PROJECT, WAN, Facts, NationalPdfChecks, Printed, national_pdf
from tests.real_pdfs import extract_fixture

CATEGORIES = {"total": "112.61", "overseas_travel": "68.50", "vehicle_total": "38.60", "vehicle_operation": "38.60", "reception": "5.51"}


class TestZyXfj2026Budget(NationalPdfChecks):
    PDF = national_pdf("zy_xfj_2026_budget.pdf")
    # Cover (p1): 国家信访局 2026 年度部门预算; a central body, so the region is 中央.
    FACTS = Facts(2026, "budget", "department", "国家信访局", "中央")
    SOURCES = "fiscal_year: cover; document_type: cover; scope: cover; entity_name: cover; region: entity name"
    # 部门公开表N printed above each title; 7 and 8 print 合计 and a note only.
    TABLES = {
        "income_expense_summary": Printed(1, (5,), WAN, 2),
        "revenue": Printed(2, (6,), WAN, 2),
        "expenditure": Printed(3, (7, 8), WAN, 2),
        "fiscal_summary": Printed(4, (9,), WAN, 2),
        "gpb_function": Printed(5, (10, 11), WAN, 2),
        "gpb_basic_economic": Printed(6, (12, 13), WAN, 2),
        "gov_fund": Printed(7, (14,), WAN, None),
        "state_capital": Printed(8, (15,), WAN, None),
        "three_public": Printed(9, (16,), WAN, 2),
    }
    # 部门公开表3 15 + 7 function rows; 表5 13 + 12 (210 卫生健康支出 printed with 2025 执行数 only, and every row's change
    # in 万元 and %); 表6 18 + 21 economic rows.
    ROWS = {"expenditure": 22, "gpb_function": 25, "gpb_basic_economic": 39}
    HIERARCHY = {
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": (*TOTAL_BASIC_PROJECT, "prior_year"),
        "gpb_basic_economic": ("basic", "personnel", "public_use"),
    }
    # 2025 执行数 of 20140 prints 33,586.67 over items adding to 33,586.68.
    TOLERANCE = CENT
    FUNCTION_TOTALS = {
        "expenditure": {"total": "50,616.94", "basic": "11,056.07", "project": "39,560.87"},
        "gpb_function": {"prior_year": "37,241.42", "total": "16,474.82", "basic": "9,880.88", "project": "6,593.94"},
    }
    CLASS_AMOUNTS = {
        ("expenditure", "total"): {"201": "47,179.30", "205": "118.01", "208": "2,208.19", "221": "1,111.44"},
        ("gpb_function", "total"): {"201": "13,144.37", "205": "118.01", "208": "2,156.86", "221": "1,055.58"},
        ("gpb_basic_economic", "basic"): {"301": "6,620.08", "302": "2,336.26", "303": "884.54", "310": "40.00"},
    }
    # 部门公开表2 (p6): 上年结转 2,254.12, 一般公共预算拨款收入 16,474.82, 其他收入 31,888.00.
    REVENUE = {"total": "50,616.94", "prior_year_carryover": "2,254.12", "general_public_budget": "16,474.82", "other_income": "31,888.00"}
    ECONOMIC_TOTALS = {"gpb_basic_economic": {"basic": "9,880.88", "personnel": "7,504.62", "public_use": "2,376.26"}}
    THREE_PUBLIC = CATEGORIES
    WAREHOUSE_REVENUE = {"prior_year_carryover": "2,254.12", "general_public_budget": "16,474.82", "other_income": "31,888.00"}
    # 机关运行经费 from the prose (p25: "机关运行经费财政拨款预算2,376.26万元").
    WAREHOUSE_THREE_PUBLIC = {2026: CATEGORIES | {"admin_operation": "2,376.26"}}


extract = extract_fixture(TestZyXfj2026Budget.PDF)
