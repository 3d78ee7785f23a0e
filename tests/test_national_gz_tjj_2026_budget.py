"""广州市统计局 2026 部门预算 (27 pages: cover, contents, 概况, then 表1 … 表12 in 万元 with two decimals, each captioned
单位名称：… 单位：万元 and labelled 表N above its title, then the explanation). The bureau and two centres; 表3 spends
50.00 of 其他收入 that the 一般公共预算 tables do not hold."""

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


class TestGzTjj2026Budget(NationalPdfChecks):
    PDF = national_pdf("gz_tjj_2026_budget.pdf")
    # Cover (p1): 2026年 / 广州市统计局部门预算.
    FACTS = Facts(2026, "budget", "department", "广州市统计局", "广州市")
    SOURCES = "fiscal_year: cover; document_type: cover; scope: cover; entity_name: cover; region: entity name"
    TABLES = {
        "income_expense_summary": Printed(1, (6, 7), WAN, 2),
        "revenue": Printed(2, (8,), WAN, 2),
        "expenditure": Printed(3, (9, 10), WAN, 2),
        "fiscal_summary": Printed(4, (11, 12), WAN, 2),
        "gpb_function": Printed(5, (13,), WAN, 2),
        "gpb_basic_economic": Printed(6, (14, 15), WAN, 2),
        "gpb_project_economic": Printed(7, (16,), WAN, 2),
        "three_public": Printed(8, (17,), WAN, 2),
        "gov_fund": Printed(9, (18,), WAN, None),
        "state_capital": Printed(10, (19,), WAN, None),
        "basic_expenditure": Printed(11, (20,), WAN, 2),
        "project_expenditure": Printed(12, (21, 22), WAN, 2),
    }
    # 表3 21 + 5 function rows: 表5's 23 and 229 其他支出 (3 rows of 50.00); 表6 24 + 13 economic rows, 表7 14.
    ROWS = {"expenditure": 26, "gpb_function": 23, "gpb_basic_economic": 37, "gpb_project_economic": 14}
    HIERARCHY = {
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": TOTAL_BASIC_PROJECT,
        "gpb_basic_economic": ("basic",),
        "gpb_project_economic": ("total",),
    }
    # 表6's 302 prints 556.47 over items adding to 556.46.
    TOLERANCE = CENT
    FUNCTION_TOTALS = {
        "expenditure": {"total": "9,483.72", "basic": "8,401.67", "project": "1,082.05"},
        "gpb_function": {"total": "9,433.72", "basic": "8,401.67", "project": "1,032.05"},
    }
    CLASS_AMOUNTS = {
        ("expenditure", "total"): {"201": "8,295.28", "208": "370.17", "210": "4.15", "221": "764.12", "229": "50.00"},
        ("gpb_function", "total"): {"201": "8,295.28", "208": "370.17", "210": "4.15", "221": "764.12"},
        ("gpb_basic_economic", "basic"): {"301": "7,131.66", "302": "556.47", "303": "701.04", "310": "12.50"},
        ("gpb_project_economic", "total"): {"302": "1,032.05"},
    }
    # 表2 (p8): 合计, then the bureau and its two centres; the 50.00 is 其他资金收入/其他收入.
    REVENUE = {"total": "9,483.72", "general_public_budget": "9,433.72", "other_income": "50.00"}
    ECONOMIC_TOTALS = {"gpb_basic_economic": {"basic": "8,401.67"}, "gpb_project_economic": {"total": "1,032.05"}}
    # 表8 (p17), one item a row: 行政经费 (机关运行经费, p24) 839.21; “三公”经费 19.86 = 出国 5.00 + 车 6.70 + 接待 8.16.
    three_public_as_printed = staticmethod(item_amounts)
    THREE_PUBLIC = {
        "行政经费": "839.21", "“三公”经费": "19.86", "其中:（一）因公出国（境）支出": "5.00", "（二）公务用车购置及运行维护支出": "6.70",
        "2.公务用车运行维护费": "6.70", "（三）公务接待费支出": "8.16",
    }
    WAREHOUSE_REVENUE = {"general_public_budget": "9,433.72", "other_income": "50.00"}
    # 表2's units: their 一般公共预算 add up to 9,433.73, a cent above the 合计 as each is rounded (within tolerance).
    WAREHOUSE_REVENUE_UNITS = {
        "广州市统计局": {"general_public_budget": "6,698.28", "other_income": "50.00"},
        "广州市统计普查中心": {"general_public_budget": "1,373.74"},
        "广州市统计监测中心（广州市统计发展中心）": {"general_public_budget": "1,361.71"},
    }
    WAREHOUSE_THREE_PUBLIC = {
        2026: {
            "total": "19.86", "overseas_travel": "5.00", "vehicle_total": "6.70", "vehicle_operation": "6.70", "reception": "8.16",
            "admin_operation": "839.21",
        },
    }


extract = extract_fixture(TestGzTjj2026Budget.PDF)
