"""深圳市统计局（本级） 2026 部门预算 (iText, 34 pages: 15 of prose, then 表1 … 表11 in 万元 with two decimals, each
page of a table under its repeated 表N and title, captioned 部门名称：… 单位：万元). The tables print the unit's row
where others print 合计, and 三公 a row a year. 本级: the bureau without its units, so scope 'unit'."""

from tests.national_pdfs import (
    CENT,
    TOTAL_BASIC_PROJECT,
    WAN,
    Facts,
    NationalPdfChecks,
    Printed,
    national_pdf,
    rows_by_year,
)
from tests.real_pdfs import extract_fixture

# 表9, all 一般公共预算: 因公出国（境）费 falls from 43.87 to 16.80.
CATEGORIES_2025 = {"total": "59.62", "overseas_travel": "43.87", "reception": "11.56", "vehicle_total": "4.20", "vehicle_operation": "4.20"}
CATEGORIES_2026 = {"total": "32.56", "overseas_travel": "16.80", "reception": "11.56", "vehicle_total": "4.20", "vehicle_operation": "4.20"}


class TestSzTjjb2026Budget(NationalPdfChecks):
    PDF = national_pdf("sz_tjjb_2026_budget.pdf")
    # Cover (p1): 2026 年深圳市统计局（本级）部门预 / 算, wrapped.
    FACTS = Facts(2026, "budget", "unit", "深圳市统计局（本级）", "深圳市")
    SOURCES = "fiscal_year: cover; document_type: cover; scope: cover (本级); entity_name: cover; region: entity name"
    # 表1 starts under the heading 二、表格部分 (p16); 表10 and 表11 print the unit's row of 0.00 and 本表本年无发生额.
    TABLES = {
        "income_expense_summary": Printed(1, (16, 17), WAN, 2),
        "revenue": Printed(2, (18,), WAN, 2),
        "expenditure": Printed(3, (19, 20, 21), WAN, 2),
        "basic_expenditure": Printed(4, (22, 23), WAN, 2),
        "project_expenditure": Printed(5, (24,), WAN, 2),
        "fiscal_summary": Printed(6, (25, 26), WAN, 2),
        "gpb_function": Printed(7, (27, 28), WAN, 2),
        "gpb_economic": Printed(8, (29, 30, 31), WAN, 2),
        "three_public": Printed(9, (32,), WAN, 2),
        "gov_fund": Printed(10, (33,), WAN, None),
        "state_capital": Printed(11, (34,), WAN, None),
    }
    # 21 function rows (5 类, 5 款, 11 项: 9 + 9 + 3 on 表3, 12 + 9 on 表7); 表8 12 + 13 + 12 economic rows.
    ROWS = {"expenditure": 21, "gpb_function": 21, "gpb_economic": 37}
    HIERARCHY = {
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": TOTAL_BASIC_PROJECT,
        "gpb_economic": TOTAL_BASIC_PROJECT,
    }
    # "本套报表金额单位转换时可能存在尾数误差": the 类 of 表3 add to 5,417.79 under a total of 5,417.80.
    TOLERANCE = CENT
    FUNCTION_TOTALS = {
        "expenditure": {"total": "5,417.80", "basic": "4,104.00", "project": "1,313.80"},
        "gpb_function": {"total": "5,417.80", "basic": "4,104.00", "project": "1,313.80"},
    }
    CLASS_AMOUNTS = {
        ("gpb_function", "total"): {"201": "3,478.72", "205": "193.00", "208": "562.39", "210": "86.28", "221": "1,097.40"},
        ("gpb_economic", "total"): {"301": "3,030.73", "302": "1,805.62", "303": "571.04", "310": "10.40"},
        ("gpb_economic", "project"): {"302": "1,313.80"},
    }
    # 表2 (p18): all 一般公共预算拨款.
    REVENUE = {"total": "5,417.80", "general_public_budget": "5,417.80"}
    ECONOMIC_TOTALS = {"gpb_economic": {"total": "5,417.80", "basic": "4,104.00", "project": "1,313.80"}}
    # 表9 (p32); 增减变化金额 prints -27.07 for the total and for 因公出国, although 32.56 - 59.62 = -27.06 (the note's
    # 尾数误差).
    three_public_as_printed = staticmethod(rows_by_year)
    THREE_PUBLIC = {
        "2025年": {f"{key}__gpb": value for key, value in CATEGORIES_2025.items()},
        "2026年": {f"{key}__gpb": value for key, value in CATEGORIES_2026.items()},
        "增减变化金额": {"total__gpb": "-27.07", "overseas_travel__gpb": "-27.07"},
    }
    WAREHOUSE_REVENUE = {"general_public_budget": "5,417.80"}
    # 机关运行经费 from the prose (p13: "机关运行经费财政拨款预算742.77万元").
    WAREHOUSE_THREE_PUBLIC = {2025: CATEGORIES_2025, 2026: CATEGORIES_2026 | {"admin_operation": "742.77"}}


extract = extract_fixture(TestSzTjjb2026Budget.PDF)
