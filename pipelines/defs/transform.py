"""dbt models before and after the great-expectations suites, the suites themselves, and the publish."""

import csv
import importlib
import os
import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from pipelines.defs.resources import BudgetPathsResource
from pipelines.paths import REPO_ROOT, duckdb_config, publish
from pipelines.reconciliation import recall_verdicts, remember_verdicts, store_verdicts, validate_new_comparisons
from pipelines.version import dbt_project_sources, suites_version

DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")
dbt_project = DbtProject(project_dir=REPO_ROOT / "dbt_project", profiles_dir=REPO_ROOT / "dbt_project")


def _manifest_is_stale() -> bool:
    manifest = dbt_project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    return any(p.stat().st_mtime > built for p in dbt_project_sources())


# The asset graph is read from the manifest, so it must describe the models on disk.
if _manifest_is_stale():
    subprocess.run(
        [DBT_EXECUTABLE, "parse", "--quiet", "--project-dir", str(dbt_project.project_dir), "--profiles-dir", str(dbt_project.profiles_dir)],
        check=True,
    )

CHECKS = list(csv.DictReader((REPO_ROOT / "dbt_project" / "seeds" / "checks.csv").read_text(encoding="utf-8").splitlines()))


def _run_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource, budget_paths: BudgetPathsResource):
    paths = budget_paths.paths()
    # dbt writes the private build copy; only published_warehouse touches the file readers use.
    os.environ["BUDGET_DBT_PATH"] = str(paths.build_path)
    # Everything is rebuilt from the raw schema each run, so a full refresh costs nothing and lets seeds change shape.
    # Dagster reads results from dbt's event stream; writing manifest.json and run_results.json again
    # would cost a third of each invocation. One target folder per warehouse, not one per invocation:
    # dbt's partial parse is only valid for the profile (the build path) it was made with, so each
    # command reuses what the previous one parsed, and the folders do not pile up run after run.
    invocation = dbt.cli(["build", "--full-refresh", "--no-write-json"], context=context, target_path=paths.dbt_target_dir)
    yield from invocation.stream()


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, exclude="path:models/marts tag:after_checks", name="dbt_transform")
def dbt_transform(context: dg.AssetExecutionContext, dbt: DbtCliResource, budget_paths: BudgetPathsResource):
    """Seeds, staging and intermediate models, up to the invariant comparisons."""
    # The suites come next and great-expectations takes seconds to import: let that overlap dbt's own process.
    threading.Thread(target=importlib.import_module, args=("great_expectations",), daemon=True).start()
    yield from _run_dbt(context, dbt, budget_paths)


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, select="path:models/marts tag:after_checks", name="dbt_marts")
def dbt_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource, budget_paths: BudgetPathsResource):
    """The marts of the warehouse contract, built once the suites have given their verdicts."""
    yield from _run_dbt(context, dbt, budget_paths)


@dg.asset(
    key=["checks", "check_results"],
    deps=[dg.AssetKey(["intermediate", "int_check_comparisons"])],
    group_name="reconciliation",
    kinds={"great_expectations", "duckdb"},
    check_specs=[dg.AssetCheckSpec(c["check_id"], asset=["checks", "check_results"], description=c["description"]) for c in CHECKS],
)
def check_results(budget_paths: BudgetPathsResource):
    """great-expectations verdicts on every reconciliation invariant of every document."""
    paths = budget_paths.paths()
    with duckdb.connect(str(paths.build_path), config=duckdb_config()) as con:
        comparisons = con.execute("select * from intermediate.int_check_comparisons").df()
    memo = paths.cache_dir / f"verdicts-{suites_version()}.parquet"
    verdicts = validate_new_comparisons(comparisons, datetime.now(timezone.utc).replace(tzinfo=None), recall_verdicts(memo))
    with duckdb.connect(str(paths.build_path), config=duckdb_config()) as con:
        store_verdicts(con, verdicts)
    remember_verdicts(comparisons, verdicts, memo)
    failed = verdicts[~verdicts["passed"]].merge(comparisons[["comparison_id", "subject"]], on="comparison_id")
    severities = {c["check_id"]: c["severity"] for c in CHECKS}
    for check_id, severity in severities.items():
        failures = failed[failed["check_id"] == check_id]
        compared = int((verdicts["check_id"] == check_id).sum())
        yield dg.AssetCheckResult(
            check_name=check_id,
            asset_key=["checks", "check_results"],
            passed=failures.empty,
            severity=dg.AssetCheckSeverity.ERROR if severity == "error" else dg.AssetCheckSeverity.WARN,
            metadata={"comparisons": compared, "failed": len(failures), "examples": "; ".join(failures["subject"].head(5))},
        )
    yield dg.MaterializeResult(metadata={"comparisons": len(verdicts), "failed": int((~verdicts["passed"]).sum())})


@dg.asset(deps=[dbt_marts], group_name="publish", kinds={"duckdb"})
def published_warehouse(context: dg.AssetExecutionContext, budget_paths: BudgetPathsResource) -> dg.MaterializeResult:
    """The warehouse file BI tools read, replaced atomically by the finished build."""
    paths = budget_paths.paths()
    with duckdb.connect(str(paths.build_path), config=duckdb_config()) as con:
        con.execute("checkpoint")
        statuses = dict(con.execute("select status, count(*) from marts.dim_document group by status").fetchall())
    publish(paths.build_path, paths.warehouse)
    context.log.info(f"published {paths.warehouse}: {statuses}")
    return dg.MaterializeResult(metadata={"path": str(paths.warehouse), **{k: int(v) for k, v in statuses.items()}})
