"""Jobs, the raw-folder sensor and the yearly rerun."""

import os

import dagster as dg

from pipelines.defs.extract import MAX_DOCUMENTS_PER_RUN, document_extract, documents_partitions, partition_batches, range_tags
from pipelines.paths import BudgetPaths, scan_raw_dir

extract_job = dg.define_asset_job("extract_documents", selection=[document_extract])
warehouse_job = dg.define_asset_job(
    "build_warehouse", selection=dg.AssetSelection.all() - dg.AssetSelection.assets(document_extract)
)


@dg.sensor(job=extract_job, minimum_interval_seconds=60)
def raw_folder_sensor(context: dg.SensorEvaluationContext):
    """Adds a partition per new PDF (by content hash), drops vanished ones, and extracts the new ones in batches."""
    present = set(scan_raw_dir(BudgetPaths.from_env()))
    known = set(context.instance.get_dynamic_partitions(documents_partitions.name))
    added, removed = sorted(present - known), sorted(known - present)
    # A drop of thousands of PDFs becomes runs over ranges of up to MAX_DOCUMENTS_PER_RUN partitions, not a run
    # (and a process) per PDF. Dagster adds the partitions before it launches the runs, after the kept ones and
    # in this order, so a range of added keys holds only added keys.
    batches = partition_batches(added, set(added), 2 * (os.cpu_count() or 1), MAX_DOCUMENTS_PER_RUN)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=f"{first}..{last}", tags=range_tags(first, last)) for first, last in batches],
        dynamic_partitions_requests=[
            documents_partitions.build_add_request(added),
            documents_partitions.build_delete_request(removed),
        ],
    )


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


yearly_rerun = dg.ScheduleDefinition(
    name="yearly_rerun",
    job=warehouse_job,
    cron_schedule="0 2 1 10 *",
    # The disclosures are published on Beijing time; a server in another zone must not shift the day.
    execution_timezone="Asia/Shanghai",
    description="Rebuilds the warehouse every 1 October at 02:00 Beijing time, after the year's final accounts are published.",
)
