"""广州市信访局 2026 部门预算 (25 pages: cover, contents, 概况, then 表1 … 表12 in 万元 with two decimals, each captioned
单位名称：… 单位：万元 and labelled 表N above its title, then the explanation). Zeros print as 0.00; 表5 … 表7 print
the code before the name in one cell ([2014001]行政运行); 三公 is a list of items beside 行政经费."""

from tests.national_pdfs import (
    CENT,
    TOTAL_BASIC_PROJECT,
    WAN,
    Facts,
    NationalPdfChecks,
    Printed,
    item_amounts,
    national_pdf,
)
from tests.real_pdfs import extract_fixture


class TestGzXfj2026Budget(NationalPdfChecks):
    PDF = national_pdf("gz_xfj_2026_budget.pdf")
    # Cover (p1): 2026年 / 广州市信访局部门预算.
    FACTS = Facts(2026, "budget", "department", "广州市信访局", "广州市")
    SOURCES = "fiscal_year: cover; document_type: cover; scope: cover; entity_name: cover; region: entity name"
    # Guangzhou's twelve: 表7 is 项目支出 by economic class, 表11/表12 基本/项目支出 by fund source.
    TABLES = {
        "income_expense_summary": Printed(1, (5, 6), WAN, 2),
        "revenue": Printed(2, (7,), WAN, 2),
        "expenditure": Printed(3, (8,), WAN, 2),
        "fiscal_summary": Printed(4, (9, 10), WAN, 2),
        "gpb_function": Printed(5, (11,), WAN, 2),
        "gpb_basic_economic": Printed(6, (12, 13), WAN, 2),
        "gpb_project_economic": Printed(7, (14,), WAN, 2),
        "three_public": Printed(8, (15,), WAN, 2),
        "gov_fund": Printed(9, (16,), WAN, None),
        "state_capital": Printed(10, (17,), WAN, None),
        "basic_expenditure": Printed(11, (18,), WAN, 2),
        "project_expenditure": Printed(12, (19, 20), WAN, 2),
    }
    # 17 function rows (4 类, 4 款, 9 项) in 表3 and 表5; 表6 24 + 11 economic rows, 表7 20.
    ROWS = {"expenditure": 17, "gpb_function": 17, "gpb_basic_economic": 35, "gpb_project_economic": 20}
    HIERARCHY = {
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": TOTAL_BASIC_PROJECT,
        "gpb_basic_economic": ("basic",),
        "gpb_project_economic": ("total",),
    }
    # 20805 prints 419.35 over 123.54 + 199.06 + 96.76 = 419.36.
    TOLERANCE = CENT
    FUNCTION_TOTALS = {
        "expenditure": {"total": "3,944.08", "basic": "3,204.78", "project": "739.30"},
        "gpb_function": {"total": "3,944.08", "basic": "3,204.78", "project": "739.30"},
    }
    CLASS_AMOUNTS = {
        ("gpb_function", "total"): {"201": "2,570.71", "208": "419.35", "210": "3.97", "221": "950.05"},
        ("gpb_basic_economic", "basic"): {"301": "2,577.42", "302": "272.21", "303": "352.35", "310": "2.80"},
        ("gpb_project_economic", "total"): {"302": "730.00", "310": "9.30"},
    }
    # 表2: 合计 and the one unit, all 财政拨款收入/一般公共预算; every other column 0.00.
    REVENUE = {"total": "3,944.08", "general_public_budget": "3,944.08"}
    ECONOMIC_TOTALS = {"gpb_basic_economic": {"basic": "3,204.78"}, "gpb_project_economic": {"total": "739.30"}}
    # 表8 (p15), one item a row: 行政经费 (机关运行经费, p22) 444.39, “三公”经费 4.80 = 车 2.50 + 接待 2.30.
    three_public_as_printed = staticmethod(item_amounts)
    THREE_PUBLIC = {
        "行政经费": "444.39", "“三公”经费": "4.80", "（二）公务用车购置及运行维护支出": "2.50", "2.公务用车运行维护费": "2.50", "（三）公务接待费支出": "2.30",
    }
    WAREHOUSE_REVENUE = {"general_public_budget": "3,944.08"}
    WAREHOUSE_THREE_PUBLIC = {
        2026: {"total": "4.80", "vehicle_total": "2.50", "vehicle_operation": "2.50", "reception": "2.30", "admin_operation": "444.39"},
    }


extract = extract_fixture(TestGzXfj2026Budget.PDF)
