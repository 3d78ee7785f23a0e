"""福州市医疗保障局 2026 部门预算 (Aspose.Words, 44 pages: cover, contents, 部门概况, then 一、… 十、 tables in 万元
with two decimals and no thousands separators, then the explanation and project targets). The department and its
three centres: 二、 lists each unit's revenue under the 合计 row."""

import shutil

import duckdb

from pipelines.paths import BudgetPaths, file_to_document_id
from pipelines.staging import RAW_SCHEMA
from tests.conftest import materialize_from_raw
from tests.national_pdfs import (
    TOTAL_BASIC_PROJECT,
    WAN,
    Facts,
    NationalPdfChecks,
    Printed,
    amount,
    amounts,
    item_amounts,
    national_pdf,
    total_row,
    warehouse_revenue,
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
    # The department's own total, not its units' rows again: those are fct_revenue_unit's.
    WAREHOUSE_REVENUE = {"general_public_budget": "351904.90"}
    WAREHOUSE_REVENUE_UNITS = {
        "福州市医疗保障基金中心": {"general_public_budget": "345205.84"},
        "福州市医疗保障局": {"general_public_budget": "3714.26"},
        "福州市医疗保障数据技术中心": {"general_public_budget": "944.20"},
        "福州市医疗保障服务行为监测中心": {"general_public_budget": "2040.60"},
    }
    # 机关运行经费 from the prose (p40: "机关运行经费支出577.91万元").
    WAREHOUSE_THREE_PUBLIC = {2026: {"total": "5.00", "reception": "5.00", "admin_operation": "577.91"}}

    def test_the_units_add_up_to_the_department(self, extract):
        table = extract.table("revenue")
        units = {row.name: next(c.amount for c in row.cells if table.columns[c.column_index].column_key == "total") for row in table.rows[1:]}
        assert units == amounts({
            "福州市医疗保障基金中心": "345205.84", "福州市医疗保障局": "3714.26", "福州市医疗保障数据技术中心": "944.20", "福州市医疗保障服务行为监测中心": "2040.60",
        })
        assert sum(units.values()) == total_row(table)["total"]

    def test_the_department_is_the_sum_of_its_units_in_the_warehouse(self, national_warehouse):
        """revenue_units_sum compares each column the 合计 row prints an amount in (合计, 一般公共预算拨款收入) with
        the four units' sum."""
        with duckdb.connect(str(national_warehouse.warehouse), read_only=True) as con:
            verdicts = con.execute(
                "select subject, status, expected_yuan, actual_yuan from marts.reconciliation_result "
                "where document_id = ? and check_id = 'revenue_units_sum' order by subject",
                [file_to_document_id(self.PDF)],
            ).fetchall()
        total = amount("351904.90") * WAN
        assert verdicts == [
            ("T2 合计 general_public_budget = Σ units", "pass", total, total),
            ("T2 合计 total = Σ units", "pass", total, total),
        ]

    def test_a_unit_that_breaks_the_sum_fails_the_check(self, national_warehouse, tmp_path):
        """Print 福州市医疗保障数据技术中心 at 954.20 instead of 944.20 (in 合计 and 一般公共预算拨款收入 alike, so its
        own row still adds up) and rebuild this document alone from the raw schema: revenue_units_sum fails on both
        columns and nothing else does, and fct_revenue keeps the department's printed total."""
        altered = BudgetPaths(national_warehouse.raw_dir, tmp_path / "budget.duckdb")
        shutil.copy(national_warehouse.build_path, altered.build_path)
        document_id = file_to_document_id(self.PDF)
        with duckdb.connect(str(altered.build_path)) as con:
            for table in RAW_SCHEMA:
                con.execute(f"delete from raw.{table} where document_id <> ?", [document_id])
            changed = con.execute(
                "update raw.table_cells set printed = '954.20', text = '954.20', amount = 954.20 "
                "where document_id = ? and table_key = 'revenue' and amount = 944.20 returning column_index",
                [document_id],
            ).fetchall()
        assert len(changed) == 2
        assert materialize_from_raw(altered).success
        with duckdb.connect(str(altered.warehouse), read_only=True) as con:
            failed = con.execute(
                "select check_id, subject, actual_yuan - expected_yuan from marts.reconciliation_result where status = 'fail' order by all"
            ).fetchall()
            status = con.execute("select status from marts.dim_document").fetchall()
        off = amount("10.00") * WAN
        assert failed == [
            ("revenue_units_sum", "T2 合计 general_public_budget = Σ units", off),
            ("revenue_units_sum", "T2 合计 total = Σ units", off),
        ]
        assert status == [("flagged",)]
        assert warehouse_revenue(altered, self.PDF, WAN) == amounts(self.WAREHOUSE_REVENUE)


extract = extract_fixture(TestFzYlbzj2026Budget.PDF)
