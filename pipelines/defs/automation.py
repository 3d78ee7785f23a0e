"""The one job, and what launches it besides the UI and `budget-etl run`: the raw-folder sensor and the yearly rerun."""

import hashlib
from typing import NamedTuple

import dagster as dg

from pipelines.defs.extract import document_extract, documents_partitions
from pipelines.defs.resources import BudgetPathsResource
from pipelines.extracts import covering_range, documents_to_extract, range_tags
from pipelines.paths import scan_raw_dir
from pipelines.version import pipeline_version, report_version, warehouse_version

budget_job = dg.define_asset_job(
    "budget_etl",
    selection=dg.AssetSelection.all(),
    description="Extract the new and changed PDFs of the raw folder, rebuild the warehouse for them, check it, publish it.",
)
AFTER_EXTRACTION = dg.AssetSelection.all() - dg.AssetSelection.assets(document_extract)


class Launch(NamedTuple):
    """A run to launch, the partition changes it needs first, and the documents it will read."""

    request: dg.RunRequest
    partition_changes: list
    to_extract: list[str]


def build_request(
    known: list[str], present: dict[str, list[str]], budget_paths: BudgetPathsResource, asset_graph, reextract: frozenset[str] = frozenset(),
) -> Launch:
    """The run that brings the warehouse to the raw folder, and the partition changes it needs first (a partition
    per PDF content; vanished ones leave). The run covers the range of partitions holding every document to extract
    (new, read by other extraction code, or in `reextract`); documents in that range that are current are not read
    again. With nothing to extract it runs everything after the extraction, which publishes only if something changed.
    """
    added, removed = sorted(set(present) - set(known)), sorted(set(known) - set(present))
    # Dagster adds the new partitions after the kept ones, in this order.
    order = [k for k in known if k in present] + added
    paths = budget_paths.paths()
    to_extract = documents_to_extract(paths, present, set(reextract))
    span = covering_range(order, set(to_extract))
    config = {"resources": {"budget_paths": {"config": {"raw_dir": str(paths.raw_dir), "warehouse": str(paths.warehouse)}}}}
    if reextract & set(present):
        config["ops"] = {document_extract.op.name: {"config": {"reextract": sorted(reextract & set(present))}}}
    # The same folder, code and models ask for the same run, which Dagster never launches twice. The report's code
    # is in the key too: a change to it alone runs the steps after extraction, which render only the pages it changes.
    versions = f"{pipeline_version()}|{warehouse_version()}|{report_version()}"
    state = hashlib.sha256(f"{versions}|{sorted(present)}".encode()).hexdigest()[:16]
    request = dg.RunRequest(
        run_key=f"{paths.warehouse.name}:{state}",
        run_config=config,
        tags=range_tags(*span) if span else {},
        asset_selection=None if span else list(AFTER_EXTRACTION.resolve(asset_graph)),
    )
    changes = [documents_partitions.build_add_request(added), documents_partitions.build_delete_request(removed)]
    return Launch(request, [c for c in changes if c.partition_keys], to_extract)


@dg.sensor(job=budget_job, minimum_interval_seconds=60)
def raw_folder_sensor(context: dg.SensorEvaluationContext, budget_paths: BudgetPathsResource):
    """Keeps a partition per PDF in the raw folder and runs the job whenever the folder, the code or the models change."""
    known = context.instance.get_dynamic_partitions(documents_partitions.name)
    launch = build_request(known, scan_raw_dir(budget_paths.paths()), budget_paths, context.repository_def.asset_graph)
    return dg.SensorResult(run_requests=[launch.request], dynamic_partitions_requests=launch.partition_changes)


@dg.schedule(job=budget_job, cron_schedule="0 2 1 10 *", execution_timezone="Asia/Shanghai")
def yearly_rerun(context: dg.ScheduleEvaluationContext, budget_paths: BudgetPathsResource):
    """Every 1 October, after the year's final accounts are out: extracts what is new or was read by older code,
    rebuilds and publishes the warehouse."""
    known = context.instance.get_dynamic_partitions(documents_partitions.name)
    launch = build_request(known, scan_raw_dir(budget_paths.paths()), budget_paths, context.repository_def.asset_graph)
    # A schedule cannot ask Dagster to change partitions as a sensor does; its run needs them first.
    apply_partition_changes(context.instance, launch.partition_changes)
    return launch.request


def apply_partition_changes(instance: dg.DagsterInstance, changes: list) -> None:
    """What a sensor's dynamic partition requests do, for the launchers that are not sensors."""
    for change in changes:
        if isinstance(change, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(change.partitions_def_name, list(change.partition_keys))
        else:
            for key in change.partition_keys:
                instance.delete_dynamic_partition(change.partitions_def_name, key)
