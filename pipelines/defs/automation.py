"""Jobs, the raw-folder sensor and the yearly rerun."""

import os

import dagster as dg

from pipelines.defs.extract import (
    MAX_DOCUMENTS_PER_RUN,
    document_extract,
    documents_partitions,
    extract_is_current,
    partition_batches,
    range_tags,
    sync_partitions,
)
from pipelines.paths import BudgetPaths, scan_raw_dir
from pipelines.version import pipeline_version

extract_job = dg.define_asset_job("extract_documents", selection=[document_extract])
warehouse_job = dg.define_asset_job(
    "build_warehouse", selection=dg.AssetSelection.all() - dg.AssetSelection.assets(document_extract)
)


def extraction_requests(known: list[str], present: dict[str, list[str]], paths: BudgetPaths) -> tuple[list[dg.RunRequest], list]:
    """Runs extracting every new PDF and every one last read by other extraction code, over ranges of the
    partitions, and the partition changes they need (a partition per PDF content; vanished ones leave)."""
    added, removed = sorted(set(present) - set(known)), sorted(set(known) - set(present))
    wanted = set(added) | {d for d in present if not extract_is_current(paths, d)}
    # Dagster adds the partitions after the kept ones and in this order before it launches the runs, so the ranges
    # are taken in that order. A drop of thousands of PDFs becomes runs over ranges of up to MAX_DOCUMENTS_PER_RUN
    # partitions, not a run (and a process) per PDF.
    order = [k for k in known if k in present] + added
    batches = partition_batches(order, wanted, 2 * (os.cpu_count() or 1), MAX_DOCUMENTS_PER_RUN)
    # Run keys are never launched twice: the code version tells a re-extraction for new code from the first one.
    runs = [dg.RunRequest(run_key=f"{pipeline_version()}:{first}..{last}", tags=range_tags(first, last)) for first, last in batches]
    return runs, [documents_partitions.build_add_request(added), documents_partitions.build_delete_request(removed)]


@dg.sensor(job=extract_job, minimum_interval_seconds=60)
def raw_folder_sensor(context: dg.SensorEvaluationContext):
    """Adds a partition per new PDF (by content hash), drops vanished ones, and extracts the new ones in batches."""
    paths = BudgetPaths.from_env()
    known = context.instance.get_dynamic_partitions(documents_partitions.name)
    runs, partitions = extraction_requests(known, scan_raw_dir(paths), paths)
    return dg.SensorResult(run_requests=runs, dynamic_partitions_requests=partitions)


@dg.sensor(job=warehouse_job, minimum_interval_seconds=300)
def warehouse_after_extraction(context: dg.SensorEvaluationContext):
    """Rebuilds and publishes the warehouse once new extractions have landed and none is still running."""
    extracted = context.instance.get_latest_materialization_event(document_extract.key)
    published = context.instance.get_latest_materialization_event(dg.AssetKey("published_warehouse"))
    if extracted is None or (published is not None and published.timestamp >= extracted.timestamp):
        return dg.SkipReason("the published warehouse already includes every extraction")
    in_flight = context.instance.get_runs(
        filters=dg.RunsFilter(job_name=extract_job.name, statuses=[dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.STARTED])
    )
    if in_flight:
        return dg.SkipReason(f"waiting for {len(in_flight)} extraction run(s)")
    return dg.RunRequest(run_key=f"after-extraction-{extracted.timestamp}")


@dg.schedule(job=extract_job, cron_schedule="0 2 1 10 *", execution_timezone="Asia/Shanghai")
def yearly_rerun(context: dg.ScheduleEvaluationContext):
    """Every 1 October, after the year's final accounts are out: extracts what is new or was read by older code;
    warehouse_after_extraction then rebuilds and publishes the warehouse."""
    paths = BudgetPaths.from_env()
    present = scan_raw_dir(paths)
    runs, _ = extraction_requests(context.instance.get_dynamic_partitions(documents_partitions.name), present, paths)
    # A schedule cannot ask Dagster to change partitions as a sensor does; its runs need them first.
    sync_partitions(context.instance, present)
    return runs or dg.SkipReason("nothing new to extract in the raw folder; the published warehouse is current")
