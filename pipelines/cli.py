"""`budget-etl run`: materialise every asset through Dagster for BUDGET_RAW_DIR into BUDGET_WAREHOUSE."""

import argparse
import contextlib
import hashlib
import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.dbt_manifest import prepare_manifest
from pipelines.defs.executors import is_distributed
from pipelines.defs.extract import (
    MAX_DOCUMENTS_PER_RUN,
    cached_manifest,
    documents_partitions,
    extract_is_current,
    partition_batches,
    range_tags,
    sync_partitions,
)
from pipelines.isolation import exit_with_parent
from pipelines.paths import BudgetPaths, duckdb_config, printable_name, read_json, scan_raw_dir, write_json
from pipelines.progress import Progress
from pipelines.safety import RunLock, RunRefused, check_drop, check_raw_dir
from pipelines.version import pipeline_version, warehouse_version


def dagster_instance(paths: BudgetPaths) -> dg.DagsterInstance:
    """DAGSTER_HOME when set (shared with `dagster dev`), else a persistent instance beside the cache."""
    if home := os.environ.get("DAGSTER_HOME"):
        if not Path(home).is_dir():
            raise RunRefused(f"DAGSTER_HOME is set to {home}, which is not a folder: create it or unset DAGSTER_HOME")
        return dg.DagsterInstance.get()
    home = paths.cache_dir / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    # Dagster's default SQLite files (`dagster dev` with DAGSTER_HOME=<home> reads them), written faster.
    events = {"module": "pipelines.defs.storage", "class": "PooledSqliteEventLogStorage", "config": {"base_dir": str(home / "history" / "runs")}}
    return dg.DagsterInstance.local_temp(str(home), overrides={"event_log_storage": events})


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


def build_fingerprint(documents: dict[str, list[str]]) -> str:
    """Same documents under the same names, same code and models: the same warehouse."""
    # ASCII escapes: a file name that is not UTF-8 still hashes.
    listing = json.dumps(sorted(documents.items()))
    return hashlib.sha256(f"{warehouse_version()}|{pipeline_version()}|{listing}".encode()).hexdigest()


def last_build(paths: BudgetPaths) -> dict:
    return read_json(paths.last_build_file) if paths.warehouse.exists() else {}


def run_job(name: str, instance: dg.DagsterInstance, tags: dict[str, str], run_config: dict | None = None) -> dict[str, str]:
    """One Dagster run with these tags (a partition range's, say): in this process, or step by step on Celery
    workers when BUDGET_EXECUTOR=celery. Returns the steps that failed with their errors (none: it succeeded)."""
    from pipelines import definitions

    if not is_distributed():
        job = definitions.defs.resolve_job_def(name)
        return failed_steps(job.execute_in_process(run_config=run_config, instance=instance, tags=tags, raise_on_error=False))
    job = dg.reconstructable(getattr(definitions, f"{name}_job"))
    with dg.execute_job(job, instance=instance, tags=tags, run_config=run_config) as result:
        return failed_steps(result)


def failed_steps(result) -> dict[str, str]:
    """Step key → the error that stopped it: its innermost cause, what our code raised (any Dagster run result)."""
    if result.success:
        return {}
    failures = {}
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        while error is not None and error.cause is not None:
            error = error.cause
        failures[event.step_key] = " ".join((error.message if error else "failed").split())
    return failures or {"run": "the run failed before any step ran"}


def published_by(instance: dg.DagsterInstance, tags: dict[str, str]) -> bool:
    """The Dagster run with these tags published the warehouse."""
    published = instance.get_latest_materialization_event(dg.AssetKey("published_warehouse"))
    runs = instance.get_runs(filters=dg.RunsFilter(tags=tags), limit=1)
    return published is not None and bool(runs) and published.run_id == runs[0].run_id


def extract_batch(paths: BudgetPaths, partitions: tuple[str, str]) -> tuple[tuple[str, str], bool]:
    """One Dagster run of the extraction asset over a range of document partitions."""
    # Every document of the CLI's ranges is to be read: stale, or asked for again with --reextract.
    everything = {"ops": {"document_extract": {"config": {"reextract": True}}}}
    return partitions, not run_job("extract_documents", dagster_instance(paths), range_tags(*partitions), everything)


def extract_in_parallel(paths: BudgetPaths, order: list[str], document_ids: list[str]):
    """Extraction runs spread over the cores (one process each); the warehouse itself has one writer."""
    workers = max(1, min(len(document_ids), os.cpu_count() or 1))
    # Twice as many batches as cores, so a core that drew short documents takes another batch.
    batches = partition_batches(order, set(document_ids), 2 * workers, MAX_DOCUMENTS_PER_RUN)
    if workers <= 1:
        yield from (extract_batch(paths, b) for b in batches)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=exit_with_parent) as pool:
        yield from pool.map(extract_batch, [paths] * len(batches), batches)


def materialize(paths: BudgetPaths, reextract: set[str], progress: Progress, allow_drop: bool = False) -> RunOutcome:
    """Extract new or changed documents (Dagster runs over batches of partitions), then build and publish the warehouse."""
    instance = dagster_instance(paths)
    documents = scan_raw_dir(paths)
    check_raw_dir(paths, documents)
    check_drop(paths, documents, allow_drop)
    sync_partitions(instance, documents)
    stale = [
        d for d in sorted(documents)
        if not extract_is_current(paths, d) or d in reextract or reextract & set(documents[d])
    ]
    counts = {"extracted": {d: documents[d] for d in stale}, "unchanged": len(documents) - len(stale)}
    fingerprint = build_fingerprint(documents)
    previous = last_build(paths)
    if not stale and previous.get("fingerprint") == fingerprint:
        return RunOutcome(**counts, rebuilt=False, problems=previous.get("problems", []))
    progress.line(f"{len(documents)} documents: {len(stale)} to extract, {counts['unchanged']} unchanged")
    order = instance.get_dynamic_partitions(documents_partitions.name)
    extracting = time.time_ns()
    with progress.documents(stale, lambda d: extracted_since(paths, d, extracting), lambda d: extraction_line(paths, d)):
        for (first, last), succeeded in extract_in_parallel(paths, order, stale):
            if not succeeded:
                return RunOutcome(**counts, error=f"the extraction run failed for the documents from {documents[first][0]} to {documents[last][0]}")
    started = time.perf_counter()
    launch = {"budget-etl/build": fingerprint[:16] + f"-{time.time_ns()}"}
    with progress.steps(instance, launch):
        failures = run_job("build_warehouse", instance, launch)
    if failures and not published_by(instance, launch):
        return RunOutcome(**counts, error="the warehouse run failed; the published warehouse is only ever replaced by a complete, checked build")
    # What runs after the publish (the report, the asset checks) reads the published warehouse: its failing leaves
    # what was published standing.
    problems = [f"{step} failed after the warehouse was published: {error}" for step, error in failures.items()]
    state = {"fingerprint": fingerprint, "build_seconds": round(time.perf_counter() - started, 1), "problems": problems}
    write_json(paths.last_build_file, state)
    return RunOutcome(**counts, problems=problems)


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
        lines.insert(1, f"nothing changed since the last build ({last_build(paths)['build_seconds']} s): warehouse left as published")
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
    # Dagster resources and the dbt profile read the environment; make both agree with the flags.
    os.environ["BUDGET_RAW_DIR"], os.environ["BUDGET_WAREHOUSE"] = str(paths.raw_dir), str(paths.warehouse)
    log_file = None if args.verbose else paths.cache_dir / "logs" / f"run-{time.strftime('%Y%m%dT%H%M%S')}.log"
    prepare_manifest()
    return run(paths, log_file, set(args.reextract), args.allow_drop)


if __name__ == "__main__":
    sys.exit(main())
