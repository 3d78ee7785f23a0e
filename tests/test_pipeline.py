"""The whole graph materialised for real (Dagster → DuckDB → dbt → great-expectations) into a temporary warehouse."""

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines.defs.checks import EXAMPLES, RECONCILIATION_RESULT
from pipelines.defs.transform import CHECKS
from pipelines.extraction.text import text_to_amount, text_to_name
from pipelines.paths import REPO_ROOT, BudgetPaths
from pipelines.report import report_dir
from tests.conftest import SAMPLE_PDF, materialize_from_raw

CHECK_CONTRACT = REPO_ROOT.parent / "shared" / "tools" / "check_contract.py"
WAN = Decimal(10000)


def query(paths: BudgetPaths, sql: str) -> list[tuple]:
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_published_warehouse_honours_the_contract(built):
    paths, _ = built
    run = subprocess.run([sys.executable, str(CHECK_CONTRACT), str(paths.warehouse)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout


def test_the_sample_is_loaded_and_every_check_passes(built):
    paths, result = built
    assert query(paths, "select status, status_reason, fiscal_year, document_type, scope, region, page_count from marts.dim_document") == [
        ("loaded", None, 2024, "budget", "unit", "深圳市罗湖区", 29)
    ]
    statuses = dict(query(paths, "select status, count(*) from marts.reconciliation_result group by all"))
    assert "fail" not in statuses and statuses["pass"] > 300
    # What the sample does not print: units beside the department, a code on two rows, an unreadable amount, a
    # 财政拨款支出表, a fact missing or read from the file name, a second disclosure, a page on its side, an
    # explanation published without its tables.
    assert query(paths, "select distinct check_id from marts.reconciliation_result where status = 'not_applicable' order by 1") == [
        ("amounts_readable",), ("document_facts_printed",), ("facts_from_file_name",), ("fiscal_expenditure_matches_summary",),
        ("one_disclosure_per_file",), ("pages_read",), ("repeated_rows_agree",), ("revenue_units_sum",), ("tables_published",),
        ("three_public_units_sum",),
    ]
    checks = query(paths, "select count(distinct check_id) from marts.reconciliation_result")[0][0]
    evaluations = result.get_asset_check_evaluations()
    invariants = [e for e in evaluations if e.asset_key == RECONCILIATION_RESULT and e.check_name in {c["check_id"] for c in CHECKS}]
    assert len(invariants) == checks == len(CHECKS)
    # dbt's own tests show up as asset checks too; all of them must pass.
    assert [e.check_name for e in evaluations if not e.passed] == []


@pytest.mark.parametrize(
    ("number", "fund_scope", "classification"),
    [(3, "all_funds", "function"), (7, "general_public_budget", "function"), (8, "general_public_budget", "economic")],
)
def test_expenditure_facts_equal_the_printed_tables(built, reference, number, fund_scope, classification):
    paths, _ = built
    facts = query(paths, f"""
        select subject_code, subject_name, total_yuan, basic_yuan, project_yuan, level, page
        from marts.fct_expenditure where fund_scope = '{fund_scope}' and classification = '{classification}'
        order by row_number""")
    truth = [row for row in reference.tables[number].rows if row[1]]
    assert len(facts) == len(truth)
    for fact, row in zip(facts, truth):
        code, name, total, basic, project = row[1:6]
        assert fact[:5] == (code, text_to_name(name), text_to_amount(total) * WAN, text_to_amount(basic) * WAN, text_to_amount(project) * WAN)
        assert fact[5] == (len(code) - 1) // 2 and fact[6] > 0


def test_revenue_and_three_public_in_yuan(built, reference):
    paths, _ = built
    revenue = dict(query(paths, "select fund_source_code, amount_yuan from marts.fct_revenue"))
    own_row = reference.tables[2].rows[0]
    assert revenue["general_public_budget"] == text_to_amount(own_row[2]) * WAN
    assert revenue["prior_year_carryover"] == text_to_amount(own_row[-1]) * WAN
    assert sum(revenue[k] for k in revenue if k not in ("gpb_basic_allocation", "gpb_duty_project", "gpb_special_fund", "gpb_investment_project")) == text_to_amount(own_row[1]) * WAN
    three = dict(query(paths, "select category, amount_yuan from marts.fct_three_public where fiscal_year = 2024"))
    assert three["total"] == text_to_amount(reference.tables[9].rows[1][2]) * WAN
    assert three["admin_operation"] == Decimal("168.47") * WAN


def test_every_fact_points_at_a_printed_cell(built):
    paths, _ = built
    orphans = query(paths, """
        select count(*) from marts.fct_expenditure f
        where not exists (select 1 from marts.printed_cell c
                          where c.document_id = f.document_id and c.table_key = f.table_key
                          and c.row_number = f.row_number and c.page = f.page)""")
    assert orphans == [(0,)]


def test_one_altered_figure_fails_exactly_the_checks_it_breaks(built, tmp_path):
    """表三 prints 2060101 行政运行 at 723.46 万元; print 723.56 instead and rebuild from the raw schema."""
    paths, _ = built
    altered = BudgetPaths(paths.raw_dir, tmp_path / "budget.duckdb")
    shutil.copy(paths.build_path, altered.build_path)
    with duckdb.connect(str(altered.build_path)) as con:
        changed = con.execute("""
            update raw.table_cells set printed = '723.56', amount = 723.56
            where table_key = 'expenditure' and amount = 723.46 and column_index = 3
              and row_number = (select row_number from raw.table_cells
                                where table_key = 'expenditure' and text = '2060101')
            returning row_number""").fetchall()
    assert len(changed) == 1
    result = materialize_from_raw(altered)
    assert result.success
    failed = query(altered, "select check_id, subject from marts.reconciliation_result where status = 'fail' order by 1")
    assert {check for check, _ in failed} == {"function_hierarchy", "row_total_basic_project", "gpb_function_matches_all_funds"}
    assert all("2060101" in subject or "20601 " in subject for _, subject in failed)
    assert query(altered, "select status from marts.dim_document") == [("flagged",)]
    failed_asset_checks = {e.check_name: e for e in result.get_asset_check_evaluations() if not e.passed}
    assert set(failed_asset_checks) == {"function_hierarchy", "row_total_basic_project", "gpb_function_matches_all_funds"}
    # On the mart, with what an engineer needs to look: the file, both amounts, the pages and the report's page.
    hierarchy = failed_asset_checks["function_hierarchy"]
    assert hierarchy.asset_key == RECONCILIATION_RESULT
    assert 0 < hierarchy.metadata["failed"].value < hierarchy.metadata["compared"].value
    examples = [r.data for r in hierarchy.metadata["failures"].value.records]
    assert len(examples) == min(hierarchy.metadata["failed"].value, EXAMPLES)
    for example in examples:
        assert example["source_file"] == SAMPLE_PDF.name and example["pages"]
        assert Decimal(example["expected_yuan"]) != Decimal(example["actual_yuan"])
        assert Path(example["report_page"]).parent == report_dir(altered) and Path(example["report_page"]).exists()


def test_performance_tasks_and_indicators_are_queryable(built, reference):
    paths, _ = built
    form = reference.tables[14].form
    tasks = query(paths, "select task_name, total_yuan from marts.fct_performance_task order by row_number")
    assert [(name, total) for name, total in tasks] == [(text_to_name(t.name), text_to_amount(t.total) * WAN) for t in form.tasks]
    indicators = query(paths, "select level1, level2, indicator, target from marts.fct_performance_indicator order by row_number")
    assert indicators == [tuple(text_to_name(c) for c in row) for row in reference.tables[14].rows]
