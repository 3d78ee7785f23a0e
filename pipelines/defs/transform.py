"""dbt models before and after the great-expectations suites, the suites themselves, and the publish."""

import csv
import importlib
import json
import threading
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from pipelines.dbt_manifest import DBT_EXECUTABLE, DBT_PROJECT_DIR, MANIFEST, manifest_is_stale
from pipelines.defs.resources import BudgetPathsResource
from pipelines.extracts import load_build_raw, ready_extracts
from pipelines.paths import BudgetPaths, duckdb_config, publish
from pipelines.quarantine import PipelineBroken, Quarantine, find_culprits, new_since_publish, quarantine_path
from pipelines.reconciliation import judge_documents
from pipelines.staging import build_state, full_refresh_pending, mark_batch_built
from pipelines.version import suites_version

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# `dagster dev` parses the project on each load; anywhere else the manifest was made before this import.
dbt_project.prepare_if_dev()
if manifest_is_stale():
    raise RuntimeError(f"the dbt manifest {MANIFEST} is missing or older than the dbt project: run `python -m pipelines.dbt_manifest`")

CHECKS = list(csv.DictReader((DBT_PROJECT_DIR / "seeds" / "checks.csv").read_text(encoding="utf-8").splitlines()))


# dbt selections of the two dbt steps: everything up to the invariant comparisons, then what needs the verdicts.
AFTER_CHECKS = "path:models/marts tag:after_checks"
# Dagster reads results from dbt's event stream; writing manifest.json and run_results.json again would cost a
# third of each invocation.
_BUILD = ["build", "--no-write-json"]


class _Build:
    """dbt over the private build copy, able to try it without some documents (see pipelines.quarantine)."""

    def __init__(self, context: dg.AssetExecutionContext, dbt: DbtCliResource, paths: BudgetPaths):
        self.context, self.dbt, self.paths = context, dbt, paths
        self.quarantine = Quarantine.read(quarantine_path(paths.cache_dir))

    def cli(self, args: list[str], streamed: bool):
        # Per-document models rebuild the batch only, unless the raw load asked for everything (see pipelines.staging).
        refresh = ["--full-refresh"] if full_refresh_pending(self.paths.build_path) else []
        # dbt writes the private build copy (the profile's `build_path`); only published_warehouse touches the file readers use.
        target = ["--vars", json.dumps({"build_path": str(self.paths.build_path)})]
        # One target folder per warehouse, not one per invocation: dbt's partial parse is only valid for the
        # profile (the build path) it was made with, so each command reuses what the previous one parsed.
        return self.dbt.cli([*_BUILD, *refresh, *target, *args], context=self.context if streamed else None, manifest=dbt_project.manifest_path,
                            target_path=self.paths.dbt_target_dir, raise_on_error=False)

    def quiet(self, args: list[str]) -> str | None:
        """Run dbt without telling Dagster; the error it reports, or None when it succeeded."""
        invocation = self.cli(args, streamed=False)
        errors = [e.raw_event["info"]["msg"] for e in invocation.stream_raw_events() if e.raw_event["info"]["level"] == "error"]
        return None if invocation.is_successful() else " ".join(" ".join(errors).split())[:400] or "dbt failed"

    def load_raw(self, excluded: dict[str, str]) -> None:
        # A search over which documents fail the build compares whole builds: each try is a full refresh.
        load_build_raw(self.paths, ready_extracts(self.paths), {**self.quarantine.reasons, **excluded}, full=True)

    def stream(self, attempt: list[str]):
        """The step's dbt command with its events for Dagster, once it is known to succeed.

        A build that fails because of some documents is tried again (`attempt`: the dbt arguments of a try)
        without some of them until only those are left out; they are then quarantined: loaded as rejected
        documents with the error, and skipped by later builds of this code. Events are held back until the
        build succeeds, so Dagster sees each model once.
        """
        invocation = self.cli([], streamed=True)
        events = list(invocation.stream())
        if invocation.is_successful():
            yield from events
            return
        documents = [f.name for f in ready_extracts(self.paths) if f.name not in self.quarantine.reasons]

        def build(excluded: frozenset[str]) -> str | None:
            self.load_raw({d: "left out while a failing build is searched" for d in excluded})
            return self.quiet(attempt)

        try:
            culprits = find_culprits(documents, build, str(invocation.get_error()), new_since_publish(self.paths, documents))
        except PipelineBroken as exc:
            self.load_raw({})
            raise dg.Failure(f"the warehouse build fails even without any document, so the fault is in the pipeline: {exc}") from exc
        reasons = {d: f"the warehouse models fail on this document, so it is left out of the warehouse: {e}" for d, e in culprits.items()}
        self.quarantine = Quarantine({**self.quarantine.reasons, **reasons})
        self.quarantine.write(quarantine_path(self.paths.cache_dir))
        for document_id, reason in reasons.items():
            self.context.log.warning(f"quarantined {document_id[:12]}: {reason}")
        self.load_raw({})
        # The models before this step's must be rebuilt without the quarantined documents too.
        if attempt != ["--exclude", AFTER_CHECKS] and (error := self.quiet(["--exclude", AFTER_CHECKS])):
            raise dg.Failure(f"the warehouse build failed again after quarantining {len(reasons)} document(s): {error}")
        final = self.cli([], streamed=True)
        yield from final.stream()
        if not final.is_successful():
            raise final.get_error()


class LayerTranslator(DagsterDbtTranslator):
    """dbt assets grouped by the schema they are built in (staging, intermediate, marts, analytics, reference)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        # dbt_project.yml sets the schema per layer folder, so a new model joins its layer's group without a list of names.
        return super().get_group_name(dbt_resource_props) or dbt_resource_props.get("config", {}).get("schema")


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, exclude=AFTER_CHECKS, name="dbt_transform", dagster_dbt_translator=LayerTranslator()
)
def dbt_transform(context: dg.AssetExecutionContext, dbt: DbtCliResource, budget_paths: BudgetPathsResource):
    """Seeds, staging and intermediate models, up to the invariant comparisons."""
    # The suites come next and great-expectations takes seconds to import: let that overlap dbt's own process.
    threading.Thread(target=importlib.import_module, args=("great_expectations",), daemon=True).start()
    yield from _Build(context, dbt, budget_paths.paths()).stream(attempt=["--exclude", AFTER_CHECKS])


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, select=AFTER_CHECKS, name="dbt_marts", dagster_dbt_translator=LayerTranslator()
)
def dbt_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource, budget_paths: BudgetPathsResource):
    """The marts of the warehouse contract, built once the suites have given their verdicts."""
    # Leaving a document out changes the models before the marts too, so a try rebuilds everything.
    yield from _Build(context, dbt, budget_paths.paths()).stream(attempt=[])


@dg.asset(
    key=["checks", "check_results"],
    deps=[dg.AssetKey(["intermediate", "int_check_comparisons"])],
    group_name="reconciliation",
    kinds={"great_expectations", "duckdb"},
)
def check_results(budget_paths: BudgetPathsResource) -> dg.MaterializeResult:
    """great-expectations verdicts on every reconciliation invariant of every document."""
    paths = budget_paths.paths()
    memo = paths.cache_dir / f"verdicts-{suites_version()}.parquet"
    with duckdb.connect(str(paths.build_path), config=duckdb_config()) as con:
        judge_documents(con, memo, datetime.now(timezone.utc).replace(tzinfo=None), batch_only=not build_state(con)[1])
        compared, failed = con.execute("select count(*), count(*) filter (where not passed) from raw.check_results").fetchone()
    return dg.MaterializeResult(metadata={"comparisons": compared, "failed": failed})


@dg.asset(deps=[dbt_marts], group_name="publish", kinds={"duckdb"})
def published_warehouse(context: dg.AssetExecutionContext, budget_paths: BudgetPathsResource) -> dg.MaterializeResult:
    """The warehouse file BI tools read, replaced atomically by the finished build."""
    paths = budget_paths.paths()
    with duckdb.connect(str(paths.build_path), config=duckdb_config()) as con:
        mark_batch_built(con)
        con.execute("checkpoint")
        statuses = dict(con.execute("select status, count(*) from marts.dim_document group by status").fetchall())
    publish(paths.build_path, paths.warehouse)
    context.log.info(f"published {paths.warehouse}: {statuses}")
    return dg.MaterializeResult(metadata={"path": str(paths.warehouse), **{k: int(v) for k, v in statuses.items()}})
