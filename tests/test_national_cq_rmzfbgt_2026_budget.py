"""重庆市人民政府办公厅 2026 部门预算 (24 pages: 8 of prose, then 表一 … 表十二 in 万元 with two decimals, each
captioned 单位名称：… 单位：万元; the 合计 row printed first). Chongqing prints no 国有资本经营预算支出表, and its
收入总体情况表 lists revenue by function code. 表四 prints 收入合计 below 上年结转: the grand total there, not this
year's revenue."""

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


class TestCqRmzfbgt2026Budget(NationalPdfChecks):
    PDF = national_pdf("cq_rmzfbgt_2026_budget.pdf")
    # Cover (p1): 重庆市人民政府办公厅 / 2026 年部门预算情况说明.
    FACTS = Facts(2026, "budget", "department", "重庆市人民政府办公厅", "重庆市")
    SOURCES = "fiscal_year: cover; document_type: cover; scope: cover; entity_name: cover; region: entity name"
    # 表一 … 表十二 without a gap, none a 国有资本经营预算支出表.
    NOT_PRINTED = ("state_capital",)
    # 表一 … 表九, the label on its own line above the title; 表七 prints only its 合计 row and a note.
    TABLES = {
        "income_expense_summary": Printed(1, (9,), WAN, 2),
        "revenue": Printed(2, (10, 11), WAN, 2),
        "expenditure": Printed(3, (12, 13), WAN, 2),
        "fiscal_summary": Printed(4, (14,), WAN, 2),
        "gpb_function": Printed(5, (15, 16), WAN, 2),
        "gpb_basic_economic": Printed(6, (17, 18), WAN, 2),
        "gov_fund": Printed(7, (19,), WAN, None),
        "three_public": Printed(8, (20,), WAN, 2),
        "procurement": Printed(9, (21,), WAN, 2),
    }
    # 18 + 8 function rows (6 类, 7 款, 13 项) in each of 表二, 表三, 表五 (表五 prints 2025年预算数 first); 表六: 32 + 9
    # economic rows, 款 split further into seven-digit items (3010201 规范性津补贴).
    ROWS = {"revenue": 26, "expenditure": 26, "gpb_function": 26, "gpb_basic_economic": 41}
    HIERARCHY = {
        "revenue": ("total", "general_public_budget", "business_income"),
        "expenditure": TOTAL_BASIC_PROJECT,
        "gpb_function": (*TOTAL_BASIC_PROJECT, "prior_year"),
        "gpb_basic_economic": ("basic", "personnel", "public_use"),
    }
    # "由于四舍五入因素，部分分项加和与合计可能略有差异" (p9): 20103 prints 15,958.96 over items adding to 15,958.95.
    TOLERANCE = CENT
    FUNCTION_TOTALS = {
        "expenditure": {"total": "19,230.18", "basic": "9,018.47", "project": "10,211.71"},
        "gpb_function": {
            "prior_year": "15,635.80", "total": "18,417.70", "basic": "9,018.47", "personnel": "7,180.92", "public_use": "1,837.55", "project": "9,399.23",
        },
    }
    CLASS_AMOUNTS = {
        ("gpb_function", "total"): {"201": "15,146.48", "205": "15.26", "208": "1,595.94", "210": "446.95", "215": "673.17", "221": "539.91"},
        ("gpb_basic_economic", "basic"): {"301": "6,509.41", "302": "1,837.55", "303": "671.51"},
    }
    # 表二's 合计 row: 一般公共预算拨款收入 and 事业收入.
    REVENUE = {"total": "19,230.18", "general_public_budget": "18,417.70", "business_income": "812.48"}
    ECONOMIC_TOTALS = {"gpb_basic_economic": {"basic": "9,018.47", "personnel": "7,180.92", "public_use": "1,837.55"}}
    # 表八 prints 2025年预算数 then 2026年预算数.
    THREE_PUBLIC = {
        "total__prior_year": "396.97", "overseas_travel__prior_year": "184.49", "vehicle_total__prior_year": "202.48",
        "vehicle_operation__prior_year": "202.48", "reception__prior_year": "10.00",
        "total": "394.49", "overseas_travel": "184.49", "vehicle_total": "200.00", "vehicle_operation": "200.00", "reception": "10.00",
    }
    WAREHOUSE_REVENUE = {"general_public_budget": "18,417.70", "business_income": "812.48"}
    WAREHOUSE_THREE_PUBLIC = {
        2025: {"total": "396.97", "overseas_travel": "184.49", "vehicle_total": "202.48", "vehicle_operation": "202.48", "reception": "10.00"},
        2026: {"total": "394.49", "overseas_travel": "184.49", "vehicle_total": "200.00", "vehicle_operation": "200.00", "reception": "10.00"},
    }

    def test_the_empty_table_says_so(self, extract):
        assert "故此表无数据" in extract.table("gov_fund").empty_statement

    def test_two_project_target_tables_on_consecutive_pages_stay_two(self, extract):
        """表十一 (p23, 重点专项资金, empty: 故此表无数据) and 表十二 (p24, 一般性项目) are both project target tables;
        the second is a table of its own, not a continuation of the first."""
        tables = [(t.label, t.pages, len(t.rows)) for t in extract.tables if t.spec.table_key == "project_performance"]
        assert [(label, pages) for label, pages, _ in tables] == [("表十一", [23]), ("表十二", [24])]
        assert tables[0][2] == 0 and tables[1][2] > 0

    def test_the_fiscal_summary_adds_up(self, extract):
        """表四 (p14), within the cent the PDF's rounding note allows."""
        revenue = side_amounts(extract.table("fiscal_summary"))
        assert_parts_add_up(revenue, {"一、本年收入": "17,552.65", "二、上年结转": "865.06"}, ("收入合计", "18,417.70"), CENT)


extract = extract_fixture(TestCqRmzfbgt2026Budget.PDF)
