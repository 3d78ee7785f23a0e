"""福州市医疗保障局 2026 部门预算 (Aspose.Words, 44 pages: cover, contents, 部门概况, then 一、… 十、 tables in 万元
with two decimals and no thousands separators, then the explanation and project targets). The department and its
three centres: 二、 lists each unit's revenue under the 合计 row."""

from tests.national_pdfs import (
    TOTAL_BASIC_PROJECT,
    WAN,
    Facts,
    NationalPdfChecks,
    Printed,
    amounts,
    item_amounts,
    national_pdf,
    total_row,
)
from tests.real_pdfs import extract_fixture


class TestFzYlbzj2026Budget(NationalPdfChecks):
    PDF = national_pdf("fz_ylbzj_2026_budget.pdf")
    # Cover (p1): 2026 年度 / 福州市医疗保障局 / 部门预算.
    FACTS = Facts(2026, "budget", "department", "福州市医疗保障局", "福州市")
    SOURCES = "fiscal_year: cover; document_type: cover; scope: cover; entity_name: cover; region: entity name"
    TABLES = {
        "income_expense_summary": Printed(1, (10,), WAN, 2),
        "revenue": Printed(2, (11,), WAN, 2),
        "expenditure": Printed(3, (12,), WAN, 2),
        "fiscal_summary": Printed(4, (13,), WAN, 2),
        "gpb_function": Printed(5, (14,), WAN, 2),
        "gov_fund": Printed(6, (15,), WAN, None),
        "state_capital": Printed(7, (16,), WAN, None),
        "gpb_economic": Printed(8, (17,), WAN, 2),
        "gpb_basic_economic": Printed(9, (18, 19, 20), WAN, 2),
        "three_public": Printed(10, (21,), WAN, 2),
    }
    # 23 function rows (3 类, 5 款, 15 项; 五、 wraps long names around the row's figures); 八、 the ten economic 类;
    # 九、 36 + 43 + 29 economic rows, blank ones included.
    ROWS = {"expenditure": 23, "gpb_function": 23, "gpb_economic": 10, "gpb_basic_economic": 108}
    HIERARCHY = {"expenditure": TOTAL_BASIC_PROJECT, "gpb_function": TOTAL_BASIC_PROJECT, "gpb_basic_economic": ("basic",)}
    FUNCTION_TOTALS = {
        "expenditure": {"total": "351904.90", "basic": "7841.26", "project": "344063.64"},
        "gpb_function": {"total": "351904.90", "basic": "7841.26", "project": "344063.64"},
    }
    # 八、 all of 一般公共预算 by 类 (313 takes the 城乡居民医保 subsidy), 九、 its 基本支出.
    CLASS_AMOUNTS = {
        ("gpb_function", "total"): {"208": "1073.21", "210": "349680.44", "221": "1151.25"},
        ("gpb_economic", "total"): {"301": "7070.34", "302": "3827.85", "303": "7542.35", "310": "59.36", "313": "333405.00"},
        ("gpb_basic_economic", "basic"): {"301": "7070.34", "302": "531.71", "303": "239.21"},
    }
    # 二、 (p11): 合计, then the four units, all 一般公共预算拨款收入.
    REVENUE = {"total": "351904.90", "general_public_budget": "351904.90"}
    ECONOMIC_TOTALS = {"gpb_economic": {"total": "351904.90"}, "gpb_basic_economic": {"basic": "7841.26"}}
    # 十、 (p21): 合计 5.00, all of it 公务接待费.
    three_public_as_printed = staticmethod(item_amounts)
    THREE_PUBLIC = {"合计": "5.00", "2、公务接待费": "5.00"}
    # The department's own total, not its units' rows again.
    WAREHOUSE_REVENUE = {"general_public_budget": "351904.90"}
    # 机关运行经费 from the prose (p40: "机关运行经费支出577.91万元").
    WAREHOUSE_THREE_PUBLIC = {2026: {"total": "5.00", "reception": "5.00", "admin_operation": "577.91"}}

    def test_the_units_add_up_to_the_department(self, extract):
        table = extract.table("revenue")
        units = {row.name: next(c.amount for c in row.cells if table.columns[c.column_index].column_key == "total") for row in table.rows[1:]}
        assert units == amounts({
            "福州市医疗保障基金中心": "345205.84", "福州市医疗保障局": "3714.26", "福州市医疗保障数据技术中心": "944.20", "福州市医疗保障服务行为监测中心": "2040.60",
        })
        assert sum(units.values()) == total_row(table)["total"]


extract = extract_fixture(TestFzYlbzj2026Budget.PDF)
