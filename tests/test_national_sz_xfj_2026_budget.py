"""深圳市信访局 2026 部门预算 (iText, 33 pages: 14 of prose, then 表1 … 表11 in 万元 with two decimals, each page of a
table under its repeated 表N and title, captioned 部门名称：… 单位：万元). The tables print the unit's row
(深圳市信访局) where others print 合计, and 三公 a row a year, a column per category × fund."""

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

# 表9 prints 2025 and 2026 alike, all 一般公共预算.
CATEGORIES = {"total": "5.58", "reception": "2.98", "vehicle_total": "2.60", "vehicle_operation": "2.60"}


class TestSzXfj2026Budget(NationalPdfChecks):
    PDF = national_pdf("sz_xfj_2026_budget.pdf")
    # Cover (p1): 2026 年深圳市信访局部门预算.
    FACTS = Facts(2026, "budget", "department", "深圳市信访局", "深圳市")
    SOURCES = "fiscal_year: cover; document_type: cover; scope: cover; entity_name: cover; region: entity name"
    # 表1 starts under the heading 二、表格部分 (p15); 表10 and 表11 print the unit's row of 0.00 and 本表本年无发生额.
    TABLES = {
        "income_expense_summary": Printed(1, (15, 16), WAN, 2),
        "revenue": Printed(2, (17,), WAN, 2),
        "expenditure": Printed(3, (18, 19, 20), WAN, 2),
        "basic_expenditure": Printed(4, (21, 22), WAN, 2),
        "project_expenditure": Printed(5, (23,), WAN, 2),
        "fiscal_summary": Printed(6, (24, 25), WAN, 2),
        "gpb_function": Printed(7, (26, 27), WAN, 2),
        "gpb_economic": Printed(8, (28, 29, 30), WAN, 2),
        "three_public": Printed(9, (31,), WAN, 2),
        "gov_fund": Printed(10, (32,), WAN, None),
        "state_capital": Printed(11, (33,), WAN, None),
    }
    # 19 function rows (5 类, 5 款, 9 项: 9 + 9 + 1 on 表3, 12 + 7 on 表7); 表8 12 + 13 + 7 economic rows, basic and project
    # side by side.
    ROWS = {"expenditure": 19, "gpb_function": 19, "gpb_economic": 32}
    HIERARCHY = {
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": TOTAL_BASIC_PROJECT,
        "gpb_economic": TOTAL_BASIC_PROJECT,
    }
    # "本套报表金额单位转换时可能存在尾数误差": 表8's 301 prints 2,522.02 over 款 adding to 2,522.03.
    TOLERANCE = CENT
    # The unit's row is the total.
    FUNCTION_TOTALS = {
        "expenditure": {"total": "4,684.30", "basic": "3,072.01", "project": "1,612.29"},
        "gpb_function": {"total": "4,684.30", "basic": "3,072.01", "project": "1,612.29"},
    }
    CLASS_AMOUNTS = {
        ("gpb_function", "total"): {"201": "3,459.13", "205": "20.00", "208": "367.54", "210": "84.39", "221": "753.24"},
        ("gpb_economic", "total"): {"301": "2,522.02", "302": "1,969.72", "303": "192.55"},
        ("gpb_economic", "project"): {"302": "1,612.29"},
    }
    # 表2 (p17): 一般公共预算拨款 4,676.96 and 上年结余、结转 7.34.
    REVENUE = {"total": "4,684.30", "general_public_budget": "4,676.96", "prior_year_carryover": "7.34"}
    # 表8: all of 一般公共预算 by economic class, basic and project.
    ECONOMIC_TOTALS = {"gpb_economic": {"total": "4,684.30", "basic": "3,072.01", "project": "1,612.29"}}
    # 表9 (p31); 增减变化金额 is all 0.00.
    three_public_as_printed = staticmethod(rows_by_year)
    THREE_PUBLIC = {year: {f"{key}__gpb": value for key, value in CATEGORIES.items()} for year in ("2025年", "2026年")} | {"增减变化金额": {}}
    WAREHOUSE_REVENUE = {"general_public_budget": "4,676.96", "prior_year_carryover": "7.34"}
    # 机关运行经费 from the prose (p12: "机关运行经费财政拨款预算357.43万元").
    WAREHOUSE_THREE_PUBLIC = {2025: CATEGORIES, 2026: CATEGORIES | {"admin_operation": "357.43"}}


extract = extract_fixture(TestSzXfj2026Budget.PDF)
