"""重庆市水利局 2026 部门预算 (WPS 文字, 33 pages: 11 of prose, then 表一 … 表十二 in 万元 with two decimals; page
numbers '— 12 —' under each page). No 国有资本经营预算支出表; a filled 政府性基金预算支出表 (44,134.59). 表四 prints
收入合计 below 上年结转: the grand total there, not this year's revenue."""

from tests.national_pdfs import (
    CENT,
    TOTAL_BASIC_PROJECT,
    WAN,
    Facts,
    NationalPdfChecks,
    Printed,
    assert_parts_add_up,
    national_pdf,
    side_amounts,
)
from tests.real_pdfs import extract_fixture

CATEGORIES = {"total": "308.00", "overseas_travel": "20.00", "vehicle_total": "248.50", "vehicle_operation": "248.50", "reception": "39.50"}


class TestCqSlj2026Budget(NationalPdfChecks):
    PDF = national_pdf("cq_slj_2026_budget.pdf")
    # Cover line (p1): 重庆市水利局 2026 年部门预算情况说明.
    FACTS = Facts(2026, "budget", "department", "重庆市水利局", "重庆市")
    SOURCES = "fiscal_year: cover; document_type: cover; scope: cover; entity_name: cover; region: entity name"
    # 表一 … 表十二 without a gap, none a 国有资本经营预算支出表.
    NOT_PRINTED = ("state_capital",)
    # 收入总体情况表 runs over five pages, its header repeated on each, its title not.
    TABLES = {
        "income_expense_summary": Printed(1, (12,), WAN, 2),
        "revenue": Printed(2, (13, 14, 15, 16, 17), WAN, 2),
        "expenditure": Printed(3, (18, 19, 20), WAN, 2),
        "fiscal_summary": Printed(4, (21,), WAN, 2),
        "gpb_function": Printed(5, (22, 23), WAN, 2),
        "gpb_basic_economic": Printed(6, (24, 25, 26), WAN, 2),
        "gov_fund": Printed(7, (27,), WAN, 2),
        "three_public": Printed(8, (28,), WAN, 2),
        "procurement": Printed(9, (29,), WAN, 2),
    }
    # 表三 13 + 19 + 17 function rows, 表五 16 + 22, 表六 11 + 18 + 18 economic rows, 表七 11. (表二 sets each 项 code below
    # its wrapped name and figures, so its text lines do not carry code and figures together; its sums are checked.)
    ROWS = {"expenditure": 49, "gpb_function": 38, "gpb_basic_economic": 47, "gov_fund": 11}
    HIERARCHY = {
        "revenue": ("total", "general_public_budget", "government_fund", "fiscal_special_account", "operating_income", "other_income"),
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": ("total", "basic", "personnel", "public_use", "project"),
        "gpb_basic_economic": ("basic", "personnel", "public_use"),
        "gov_fund": ("total", "project"),
    }
    # "由于四舍五入因素，部分分项加和与合计可能略有差异" (p12).
    TOLERANCE = CENT
    FUNCTION_TOTALS = {
        "expenditure": {"total": "186,549.30", "basic": "41,418.94", "project": "145,130.37"},
        "gpb_function": {
            "total": "128,148.56", "basic": "33,325.21", "personnel": "23,208.51", "public_use": "10,116.70", "project": "94,823.35",
        },
    }
    CLASS_AMOUNTS = {
        ("gpb_function", "total"): {
            "201": "59.56", "205": "23,168.99", "208": "4,679.39", "210": "1,222.77", "213": "97,303.65", "215": "261.07", "221": "1,453.13",
        },
        ("gpb_basic_economic", "basic"): {"301": "22,242.59", "302": "10,051.03", "303": "1,027.72", "310": "3.88"},
    }
    # 表二's 合计 row (p13): 962.62 under 事业单位经营收入, 1,512.04 under 其他收入.
    REVENUE = {
        "total": "186,549.30", "general_public_budget": "128,148.56", "government_fund": "44,134.59",
        "fiscal_special_account": "11,791.50", "operating_income": "962.62", "other_income": "1,512.04",
    }
    ECONOMIC_TOTALS = {"gpb_basic_economic": {"basic": "33,325.21", "personnel": "23,208.51", "public_use": "10,116.70"}}
    THREE_PUBLIC = CATEGORIES
    WAREHOUSE_REVENUE = {key: value for key, value in REVENUE.items() if key != "total"}
    WAREHOUSE_THREE_PUBLIC = {2026: CATEGORIES}

    def test_the_fiscal_summary_adds_up(self, extract):
        """表四 (p21)."""
        revenue = side_amounts(extract.table("fiscal_summary"))
        assert_parts_add_up(revenue, {"一、本年收入": "118,773.55", "二、上年结转": "53,509.60"}, ("收入合计", "172,283.15"), CENT)


extract = extract_fixture(TestCqSlj2026Budget.PDF)
