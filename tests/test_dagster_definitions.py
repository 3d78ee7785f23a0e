"""What an engineer sees in Dagster: dbt assets by layer, each invariant a check on the mart that records it, a
document partition that names its file and outcome, and an instance file with telemetry off."""

import csv
import os
import shutil
import subprocess
import sys
from decimal import Decimal

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import defs
from pipelines.defs.checks import RECONCILIATION_RESULT, reconciliation_checks
from pipelines.defs.extract import document_extract, documents_partitions
from pipelines.extracts import range_tags
from pipelines.defs.resources import BudgetPathsResource
from pipelines.defs.transform import dbt_marts, dbt_transform
from pipelines.paths import REPO_ROOT, BudgetPaths, file_to_document_id
from tests.conftest import SAMPLE_PDF

SEED = list(csv.DictReader((REPO_ROOT / "dbt_project" / "seeds" / "checks.csv").read_text(encoding="utf-8").splitlines()))


def test_every_dbt_asset_is_in_the_group_of_its_layer():
    groups = {key: group for assets in (dbt_transform, dbt_marts) for key, group in assets.group_names_by_key.items()}
    assert set(groups.values()) == {"staging", "intermediate", "marts", "analytics", "reference"}
    # The key starts with the schema dbt builds the relation in: the layer.
    assert [key for key, group in groups.items() if group != key.path[0]] == []
    assert groups[dg.AssetKey(["reference", "checks"])] == "reference"
    assert groups[dg.AssetKey(["marts", "reconciliation_result"])] == "marts"
    assert "default" not in {spec.group_name for spec in defs.resolve_all_asset_specs()}


def test_each_invariant_is_a_check_on_the_mart_in_plain_words():
    graph = defs.resolve_asset_graph()
    for row in SEED:
        key = dg.AssetCheckKey(RECONCILIATION_RESULT, row["check_id"])
        assert key in graph.asset_check_keys
        spec = reconciliation_checks.get_spec_for_check_key(key)
        assert spec.description == f"{row['title_en']} ({row['title_zh']})"
        assert spec.metadata == {"rule": row["description"], "severity": row["severity"]}
        assert dg.AssetKey("published_warehouse") in {dep.asset_key for dep in spec.additional_deps}
    assert [k for k in graph.asset_check_keys if k.asset_key == dg.AssetKey(["checks", "check_results"])] == []


def _published_mart(paths: BudgetPaths) -> str:
    """A published warehouse holding one document: totals_balance holds, function_hierarchy fails once of twice."""
    document_id = "ab" * 32
    paths.warehouse.parent.mkdir(parents=True)
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.dim_document as select ? as document_id, '2024/luohu.pdf' as source_file", [document_id])
        con.execute("""create table marts.reconciliation_result (document_id varchar, check_id varchar, status varchar, subject varchar,
                       expected_yuan decimal(20, 2), actual_yuan decimal(20, 2), pages varchar)""")
        con.executemany("insert into marts.reconciliation_result values (?, ?, ?, ?, ?, ?, ?)", [
            (document_id, "totals_balance", "pass", "总计", Decimal("100.00"), Decimal("100.00"), "3"),
            (document_id, "function_hierarchy", "pass", "206 科学技术支出 total", Decimal("50.00"), Decimal("50.00"), "5"),
            (document_id, "function_hierarchy", "fail", "20601 科学技术管理事务 total", Decimal("7234600.00"), Decimal("7235600.00"), "5,6"),
            (document_id, "amounts_readable", "not_applicable", "no tables to compare", None, None, None),
        ])
    return document_id


def test_a_broken_invariant_fails_its_check_on_the_mart_with_the_document_amounts_pages_and_report_page(tmp_path, monkeypatch):
    monkeypatch.delenv("BUDGET_REPORT_DIR", raising=False)
    paths = BudgetPaths(tmp_path / "raw", tmp_path / "warehouse" / "budget.duckdb")
    document_id = _published_mart(paths)
    result = dg.materialize(
        [dg.AssetSpec(RECONCILIATION_RESULT), dg.AssetSpec("published_warehouse"), reconciliation_checks],
        selection=dg.AssetSelection.checks(reconciliation_checks),
        resources={"budget_paths": BudgetPathsResource(raw_dir=str(paths.raw_dir), warehouse=str(paths.warehouse))},
    )
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert set(evaluations) == {row["check_id"] for row in SEED}
    assert all(e.asset_key == RECONCILIATION_RESULT for e in evaluations.values())

    failed = evaluations["function_hierarchy"]
    assert not failed.passed and failed.severity == dg.AssetCheckSeverity.ERROR
    assert failed.description == "1 of 2 comparisons fail"
    assert (failed.metadata["compared"].value, failed.metadata["failed"].value) == (2, 1)
    [example] = [record.data for record in failed.metadata["failures"].value.records]
    assert example == {
        "source_file": "2024/luohu.pdf", "subject": "20601 科学技术管理事务 total",
        "expected_yuan": "7234600.00", "actual_yuan": "7235600.00", "pages": "5,6",
        "report_page": str(tmp_path / "warehouse" / "report" / f"doc-{document_id[:16]}.html"),
    }

    held = evaluations["totals_balance"]
    assert held.passed and "failures" not in held.metadata and held.metadata["compared"].value == 1
    # not_applicable is not a comparison; a warning check fails as a warning.
    assert evaluations["amounts_readable"].passed and evaluations["amounts_readable"].metadata["compared"].value == 0
    assert evaluations["amounts_readable"].severity == dg.AssetCheckSeverity.WARN


def test_each_document_partition_names_its_file_and_a_rejected_one_fails_a_warning_check(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_PDF, raw / "luohu.pdf")
    (raw / "sheet.pdf").write_bytes(b"PK\x03\x04 a spreadsheet, not a PDF")
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(tmp_path / "warehouse" / "budget.duckdb"))
    good, bad = file_to_document_id(raw / "luohu.pdf"), file_to_document_id(raw / "sheet.pdf")
    job = defs.resolve_job_def("budget_etl")
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(documents_partitions.name, [good, bad])
        for cached in (False, True):
            run = job.execute_in_process(instance=instance, tags=range_tags(good, bad), asset_selection=[document_extract.key])
            assert run.success
            metadata = {
                m.partition: {k: v.value for k, v in m.metadata.items()}
                for m in (e.step_materialization_data.materialization for e in run.get_asset_materialization_events())
            }
            assert metadata[good]["source_file"] == "luohu.pdf" and metadata[good]["status"] == "extracted"
            assert metadata[bad]["source_file"] == "sheet.pdf" and metadata[bad]["status"] == "rejected"
            assert "not a PDF" in metadata[bad]["reason"]
            assert metadata[good].get("cached", False) == metadata[bad].get("cached", False) == cached

            [check] = run.get_asset_check_evaluations()
            assert (check.asset_key, check.check_name) == (document_extract.key, "documents_read")
            assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
            assert (check.metadata["documents"].value, check.metadata["extracted"].value, check.metadata["rejected"].value) == (2, 1, 1)
            assert [(r.data["source_file"], r.data["status"]) for r in check.metadata["not_read"].value.records] == [("sheet.pdf", "rejected")]


def test_a_run_of_readable_documents_passes_the_check(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_PDF, raw / "luohu.pdf")
    paths = BudgetPaths(raw, tmp_path / "warehouse" / "budget.duckdb")
    document_id = file_to_document_id(SAMPLE_PDF)
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(documents_partitions.name, [document_id])
        result = dg.materialize(
            [document_extract], partition_key=document_id, instance=instance,
            resources={"budget_paths": BudgetPathsResource(raw_dir=str(raw), warehouse=str(paths.warehouse))},
        )
    [check] = result.get_asset_check_evaluations()
    assert check.passed and "not_read" not in check.metadata


@pytest.fixture
def dagster_home(tmp_path, monkeypatch):
    """A DAGSTER_HOME holding a copy of the shipped dagster.yaml, as the README sets it up."""
    shutil.copy(REPO_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    return tmp_path


def test_the_shipped_instance_has_telemetry_off_and_needs_no_service(dagster_home):
    with dg.DagsterInstance.get() as instance:
        assert instance.telemetry_enabled is False
        assert [type(s).__name__ for s in (instance.run_storage, instance.event_log_storage, instance.schedule_storage)] == [
            "SqliteRunStorage", "SqliteEventLogStorage", "SqliteScheduleStorage",
        ]
        assert instance.root_directory == str(dagster_home)


def test_importing_the_definitions_starts_no_process():
    # The manifest is made before (tests/conftest.py, as budget-etl and scripts/setup.sh do); `dagster dev` parses
    # itself. (A library asks `file -b` about the interpreter at import: not ours, so only dbt is refused.)
    script = "\n".join([
        "import subprocess",
        "popen = subprocess.Popen.__init__",
        "def refuse(self, args, *rest, **options):",
        "    assert 'dbt' not in str(args), f'dbt was started at import: {args}'",
        "    popen(self, args, *rest, **options)",
        "subprocess.Popen.__init__ = refuse",
        "import pipelines.definitions",
    ])
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_IS_DEV_CLI"}
    imported = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert imported.returncode == 0, imported.stderr[-2000:]
