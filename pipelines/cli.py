"""`budget-etl run`: one run of the `budget_etl` job (the job the UI, the sensor and the schedule run) for
BUDGET_RAW_DIR into BUDGET_WAREHOUSE, with a line per document and per step as they end."""

import argparse
import contextlib
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.dbt_manifest import prepare_manifest
from pipelines.defs.automation import apply_partition_changes, build_request
from pipelines.defs.executors import is_distributed
from pipelines.defs.extract import documents_partitions
from pipelines.defs.resources import BudgetPathsResource
from pipelines.extracts import cached_manifest
from pipelines.paths import BudgetPaths, duckdb_config, printable_name, scan_raw_dir
from pipelines.progress import Progress
from pipelines.safety import RunLock, RunRefused, check_drop, check_raw_dir

# The tag by which the CLI finds its own run among the instance's.
LAUNCH_TAG = "budget-etl/launch"


def dagster_instance(paths: BudgetPaths) -> dg.DagsterInstance:
    """DAGSTER_HOME when set (shared with `dagster dev`), else Dagster's stock SQLite instance beside the cache."""
    if home := os.environ.get("DAGSTER_HOME"):
        if not Path(home).is_dir():
            raise RunRefused(f"DAGSTER_HOME is set to {home}, which is not a folder: create it or unset DAGSTER_HOME")
        return dg.DagsterInstance.get()
    home = paths.cache_dir / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    return dg.DagsterInstance.local_temp(str(home))


def extracted_since(paths: BudgetPaths, document_id: str, since_ns: int) -> bool:
    """The document's extract was written at or after `since_ns` (epoch nanoseconds)."""
    manifest = paths.extract_dir(document_id) / "manifest.json"
    return manifest.exists() and manifest.stat().st_mtime_ns >= since_ns


def extraction_line(paths: BudgetPaths, document_id: str) -> str:
    """One readable line per document extracted in this run."""
    manifest = cached_manifest(paths, document_id)
    summary = manifest.get("summary", {})
    if summary.get("status") == "rejected":
        return f"rejected  {manifest['source_file']}: {summary['reason']}"
    return (f"extracted {manifest.get('source_file')}: {summary.get('pages')} pages, "
            f"tables {summary.get('tables_found')}, {summary.get('rows')} rows, {summary.get('seconds')} s")


def not_read_line(files: list[str]) -> str:
    return f"not read  {printable_name(files[0])}: it changed or went away during the run; it is read again on the next run"


def summary_lines(paths: BudgetPaths, seconds: float, extracted: int, cached: int) -> list[str]:
    """One screen: documents by status, who was flagged or rejected and why, failed checks."""
    with duckdb.connect(str(paths.warehouse), read_only=True, config=duckdb_config()) as con:
        counts = dict(con.execute("select status, count(*) from marts.dim_document group by all").fetchall())
        problems = con.execute(
            "select status, source_file, status_reason from marts.dim_document "
            "where status <> 'loaded' order by status, source_file"
        ).fetchall()
        failed = con.execute(
            "select count(*) from marts.reconciliation_result where status = 'fail'"
        ).fetchone()[0]
    lines = [
        f"warehouse {paths.warehouse}",
        f"documents: {counts.get('loaded', 0)} loaded, {counts.get('flagged', 0)} flagged, "
        f"{counts.get('rejected', 0)} rejected ({extracted} extracted, {cached} unchanged)",
        f"checks failed: {failed}",
    ]
    lines += [f"  {status}: {source} — {reason}" for status, source, reason in problems]
    lines.append(f"finished in {seconds:.1f} s")
    return lines


@contextlib.contextmanager
def output_to(log_file: Path | None):
    """Send Dagster's and dbt's (subprocess) output to a log file at the file-descriptor level; yields the
    terminal, for the progress lines."""
    if log_file is None:
        yield sys.stdout
        return
    log_file.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log_file, "ab") as log, open(os.dup(saved[0]), "w", encoding="utf-8", errors="backslashreplace") as terminal:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield terminal
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


@dataclass(frozen=True)
class RunOutcome:
    """What a run did, and why it broke if it did."""

    extracted: dict[str, list[str]]
    unchanged: int
    error: str | None = None
    rebuilt: bool = True
    problems: list[str] = field(default_factory=list)
    # How long the run that last published the warehouse took.
    published_seconds: float = 0.0


def run_job(instance: dg.DagsterInstance, request: dg.RunRequest, tags: dict[str, str]) -> str:
    """The job as `request` asks, in this process or step by step on Celery workers (BUDGET_EXECUTOR=celery);
    its run id."""
    # Imported once the dbt manifest is made (main): the definitions read it.
    from pipelines import definitions

    options = {"instance": instance, "run_config": request.run_config, "tags": {**request.tags, **tags}, "asset_selection": request.asset_selection}
    if not is_distributed():
        return definitions.budget_etl_job().execute_in_process(**options, raise_on_error=False).run_id
    with dg.execute_job(dg.reconstructable(definitions.budget_etl_job), **options) as result:
        return result.run_id


def failed_steps(instance: dg.DagsterInstance, run_id: str) -> dict[str, str]:
    """Step key → the error that stopped it: its innermost cause, what our code raised."""
    failures = {}
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        error = entry.dagster_event.step_failure_data.error
        while error is not None and error.cause is not None:
            error = error.cause
        failures[entry.step_key] = " ".join((error.message if error else "failed").split())
    run = instance.get_run_by_id(run_id)
    if not failures and run.status != dg.DagsterRunStatus.SUCCESS:
        failures["run"] = "the run failed before any step ran"
    return failures


def last_publish(instance: dg.DagsterInstance) -> str | None:
    """The id of the run that last published the warehouse."""
    published = instance.get_latest_materialization_event(dg.AssetKey("published_warehouse"))
    return published.run_id if published else None


def after_publish(instance: dg.DagsterInstance, run_id: str) -> tuple[list[str], float]:
    """What failed in a publishing run after its publish (the report, the asset checks), and the run's seconds."""
    stats = instance.get_run_stats(run_id)
    problems = [f"{step} failed after the warehouse was published: {error}" for step, error in failed_steps(instance, run_id).items()]
    return problems, round((stats.end_time or stats.start_time) - stats.start_time, 1)


def materialize(paths: BudgetPaths, reextract: set[str], progress: Progress, allow_drop: bool = False) -> RunOutcome:
    """The run that extracts the new or changed documents, rebuilds the warehouse for them, checks and publishes it."""
    from pipelines.definitions import defs

    instance = dagster_instance(paths)
    documents = scan_raw_dir(paths)
    check_raw_dir(paths, documents)
    check_drop(paths, documents, allow_drop)
    asked = {d for d, files in documents.items() if d in reextract or reextract & set(files)}
    resource = BudgetPathsResource(raw_dir=str(paths.raw_dir), warehouse=str(paths.warehouse))
    known = instance.get_dynamic_partitions(documents_partitions.name)
    request, changes, stale = build_request(known, documents, resource, defs.resolve_asset_graph(), frozenset(asked))
    apply_partition_changes(instance, changes)
    counts = {"extracted": {d: documents[d] for d in stale}, "unchanged": len(documents) - len(stale)}
    progress.line(f"{len(documents)} documents: {len(stale)} to extract, {counts['unchanged']} unchanged")
    launch = {LAUNCH_TAG: uuid.uuid4().hex}
    extracting = time.time_ns()
    with (progress.documents(stale, lambda d: extracted_since(paths, d, extracting), lambda d: extraction_line(paths, d)),
          progress.steps(instance, launch)):
        run_id = run_job(instance, request, launch)
    failures = failed_steps(instance, run_id)
    published = last_publish(instance)
    if published != run_id:
        if failures:
            return RunOutcome(**counts, error="the run failed; the published warehouse is only ever replaced by a complete, checked build")
        # The raw load found nothing new: Dagster skipped the build, and the last publish still stands.
        problems, seconds = after_publish(instance, published) if published else ([], 0.0)
        return RunOutcome(**counts, rebuilt=False, problems=problems, published_seconds=seconds)
    # What runs after the publish (the report, the asset checks) reads the published warehouse: its failing leaves
    # what was published standing.
    problems, seconds = after_publish(instance, run_id)
    return RunOutcome(**counts, problems=problems, published_seconds=seconds)


def run(paths: BudgetPaths, log_file: Path | None, reextract: set[str] = frozenset(), allow_drop: bool = False) -> int:
    """Materialise everything; print the summary; non-zero only when the pipeline itself broke or was refused."""
    started, started_ns = time.perf_counter(), time.time_ns()
    try:
        with RunLock(paths.warehouse), output_to(log_file) as terminal:
            outcome = materialize(paths, set(reextract), Progress(terminal), allow_drop)
    except RunRefused as refused:
        print(f"budget-etl: {refused}", file=sys.stderr)
        return 2
    if outcome.error:
        print(outcome.error + (f" (details: {log_file})" if log_file else ""), file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    # Each extracted document had its line as it finished; the ones not read are named again here.
    lines = [not_read_line(files) for d, files in outcome.extracted.items() if not extracted_since(paths, d, started_ns)]
    lines += summary_lines(paths, seconds, len(outcome.extracted), outcome.unchanged)
    lines += outcome.problems
    if not outcome.rebuilt:
        lines.insert(1, f"nothing changed since the last build ({outcome.published_seconds} s): warehouse left as published")
    print("\n".join(lines))
    if log_file:
        print(f"log: {log_file}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="budget-etl", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="extract new PDFs, rebuild and check the warehouse, publish it")
    run_parser.add_argument("--raw-dir", type=Path, help="folder of PDFs (default: $BUDGET_RAW_DIR or raw/)")
    run_parser.add_argument("--warehouse", type=Path, help="DuckDB file (default: $BUDGET_WAREHOUSE)")
    run_parser.add_argument(
        "--reextract", nargs="*", default=[], metavar="FILE_OR_ID",
        help="extract these documents again (paths relative to the raw folder, or SHA-256 ids): a backfill of any subset",
    )
    run_parser.add_argument(
        "--allow-drop", action="store_true",
        help="publish even when the run removes more than BUDGET_MAX_DROP_SHARE (default 0.5) of the published documents",
    )
    run_parser.add_argument("--verbose", action="store_true", help="stream Dagster and dbt logs instead of writing a log file")
    args = parser.parse_args(argv)
    defaults = BudgetPaths.from_env()
    paths = BudgetPaths((args.raw_dir or defaults.raw_dir).resolve(), (args.warehouse or defaults.warehouse).resolve())
    log_file = None if args.verbose else paths.cache_dir / "logs" / f"run-{time.strftime('%Y%m%dT%H%M%S')}.log"
    prepare_manifest()
    return run(paths, log_file, set(args.reextract), args.allow_drop)


if __name__ == "__main__":
    sys.exit(main())
