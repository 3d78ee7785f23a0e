"""The per-document extraction asset and the raw-schema load."""

import hashlib
import os
import shutil
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.defs.resources import BudgetPathsResource
from pipelines.extraction import RejectedDocument, extract_document
from pipelines.isolation import ChildFailed, LimitExceeded, run_isolated
from pipelines.paths import BudgetPaths, duckdb_config, printable_name, read_json, scan_raw_dir, write_json
from pipelines.quarantine import Quarantine, quarantine_path
from pipelines.staging import (
    RAW_SCHEMA,
    RawLoad,
    SourceFile,
    extract_to_records,
    load_raw_changes,
    rejection_to_records,
    write_record_files,
)
from pipelines.version import pipeline_version, warehouse_version

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")


@dataclass(frozen=True)
class ExtractionLimits:
    """Per-document limits: BUDGET_EXTRACT_SECONDS (default 300) and BUDGET_EXTRACT_MEMORY_MB (default 2048)."""

    seconds: float
    memory_mb: int

    @classmethod
    def from_env(cls) -> "ExtractionLimits":
        return cls(float(os.environ.get("BUDGET_EXTRACT_SECONDS", 300)), int(os.environ.get("BUDGET_EXTRACT_MEMORY_MB", 2048)))


def cached_manifest(paths: BudgetPaths, document_id: str) -> dict:
    """What the last extraction of a document recorded: pipeline version, source file, summary."""
    return read_json(paths.extract_dir(document_id) / "manifest.json")


def cached_version(paths: BudgetPaths, document_id: str) -> str | None:
    return cached_manifest(paths, document_id).get("pipeline_version")


def extract_is_current(paths: BudgetPaths, document_id: str) -> bool:
    """The cached extract was made by this pipeline version, so extracting again would change nothing."""
    return cached_version(paths, document_id) == pipeline_version()


def rejection_reason(exc: Exception) -> str:
    """A sentence a person can act on: the extractor's own reason, or what went wrong and where."""
    if isinstance(exc, ChildFailed) and exc.type_name == RejectedDocument.__name__:
        return str(exc)
    if isinstance(exc, LimitExceeded):
        return f"extraction stopped: it {exc}; the PDF may be malformed or far larger than a disclosure"
    return f"extraction failed unexpectedly ({exc.type_name}: {exc}); please report it with the file"


def extract_one(paths: BudgetPaths, document_id: str, relative: str, limits: ExtractionLimits) -> dict:
    """Extract one PDF into its cache folder; a bad file becomes a rejection record, never an exception.

    The extraction reads a private copy of exactly the bytes the document id names: a file removed, replaced or
    still being written since the folder was scanned is left for the next run instead of stopping this one or
    being cached under the wrong id.
    """
    folder = paths.extract_dir(document_id)
    # Under its own name: the file name is the last place a document's year or entity is read from.
    snapshot = paths.cache_dir / "reading" / document_id / Path(relative).name
    try:
        data = (paths.raw_dir / relative).read_bytes()
    except OSError as exc:
        return {"status": "missing", "reason": f"the file could not be read any more ({exc.strerror}); it is looked for again on the next run"}
    if hashlib.sha256(data).hexdigest() != document_id:
        return {"status": "changed", "reason": "the file changed while this run read the folder; it is read again on the next run"}
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    snapshot.write_bytes(data)
    source = SourceFile(document_id, printable_name(relative), len(data), datetime.now(timezone.utc), pipeline_version())
    try:
        extract = run_isolated(extract_document, (snapshot,), limits.seconds, limits.memory_mb)
        records = extract_to_records(extract, source)
        summary = {
            "status": "extracted", "pages": extract.page_count, "layout": extract.layout,
            "tables_found": f"{extract.tables_found}/{extract.expected_tables}",
            "rows": sum(len(t.rows) for t in extract.tables), "seconds": round(extract.seconds, 2),
        }
    except (ChildFailed, LimitExceeded) as exc:
        reason = rejection_reason(exc)
        records = rejection_to_records(source, reason)
        summary = {"status": "rejected", "reason": reason}
    finally:
        shutil.rmtree(snapshot.parent, ignore_errors=True)
    write_record_files(records, folder)
    manifest = {"pipeline_version": source.pipeline_version, "source_file": source.source_file, "summary": summary}
    write_json(folder / "manifest.json", manifest)
    return summary


# A run may cover a range of partitions: per-run overhead then counts once per batch, not per document.
MAX_DOCUMENTS_PER_RUN = 50
# The run tags by which Dagster's single-run backfills name a partition range.
PARTITION_RANGE_TAGS = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")


def partition_batches(order: list[str], wanted: set[str], batches: int, largest: int) -> list[tuple[str, str]]:
    """(first, last) ranges, in partition order, that cover exactly the wanted keys: about `batches`
    of them so every core gets work, none longer than `largest`."""
    runs: list[list[str]] = [[]]
    for key in order:
        if key in wanted:
            runs[-1].append(key)
        elif runs[-1]:
            runs.append([])
    size = min(largest, max(1, -(-len(wanted) // batches)))
    return [(run[i], run[min(i + size, len(run)) - 1]) for run in runs for i in range(0, len(run), size)]


def range_tags(first: str, last: str) -> dict[str, str]:
    """Tags of a run over the partitions from `first` to `last` (a sensor's or the CLI's extraction batch)."""
    return dict(zip(PARTITION_RANGE_TAGS, (first, last)))


# backfill_policy is marked beta in the pinned Dagster; its warning would open every CLI run's output.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)


class ExtractionConfig(dg.Config):
    """reextract: read the PDFs again even when their cached extract is current (a backfill of chosen documents)."""

    reextract: bool = False


@dg.asset(
    partitions_def=documents_partitions,
    backfill_policy=dg.BackfillPolicy.multi_run(max_partitions_per_run=MAX_DOCUMENTS_PER_RUN),
    group_name="extract",
    kinds={"python", "pdf"},
    check_specs=[
        dg.AssetCheckSpec("documents_read", asset="document_extract", description="Every PDF of the run was read (a rejected one is loaded with its reason)"),
    ],
)
def document_extract(context: dg.AssetExecutionContext, config: ExtractionConfig, budget_paths: BudgetPathsResource) -> dg.MaterializeResult:
    """Disclosure PDFs read with pdfplumber into cached raw records, one partition per document."""
    paths = budget_paths.paths()
    files = scan_raw_dir(paths)
    limits = ExtractionLimits.from_env()
    statuses: dict[str, int] = {}
    unread = []
    for document_id in context.partition_keys:
        if document_id not in files:
            summary = {"status": "missing", "reason": f"no PDF in {paths.raw_dir} has this SHA-256 any more; was it removed?"}
        elif not config.reextract and extract_is_current(paths, document_id):
            # The cached outcome, so a document rejected before does not pass for a success now.
            summary = {"source_file": files[document_id][0], **cached_manifest(paths, document_id)["summary"], "cached": True}
        else:
            summary = {"source_file": files[document_id][0], **extract_one(paths, document_id, files[document_id][0], limits)}
        statuses[summary["status"]] = statuses.get(summary["status"], 0) + 1
        level = context.log.info if summary["status"] == "extracted" else context.log.warning
        level(f"{document_id[:12]}: {summary}")
        # The partition's own materialization shows the file and its outcome (a run covers up to 50 partitions).
        context.add_asset_metadata(summary, partition_key=document_id)
        if summary["status"] != "extracted":
            unread.append(dg.TableRecord({
                "document_id": document_id, "source_file": summary.get("source_file"), "status": summary["status"], "reason": summary.get("reason"),
            }))
    read = dg.AssetCheckResult(
        passed=not unread,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"documents": len(context.partition_keys), **statuses, **({"not_read": dg.MetadataValue.table(unread)} if unread else {})},
    )
    return dg.MaterializeResult(check_results=[read])


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", name], deps=[document_extract], group_name="extract", kinds={"duckdb"}) for name in [*RAW_SCHEMA, "batch"]],
)
def raw_tables(context: dg.AssetExecutionContext, budget_paths: BudgetPathsResource):
    """The raw schema: every current document's cached extract, loaded into the build copy of the warehouse."""
    paths = budget_paths.paths()
    ready = ready_extracts(paths)
    missing = len(scan_raw_dir(paths)) - len(ready)
    if missing:
        context.log.warning(f"{missing} document(s) have not been extracted yet and are left out")
    quarantine = Quarantine.read(quarantine_path(paths.cache_dir))
    for document_id, reason in quarantine.reasons.items():
        context.log.warning(f"{document_id[:12]} stays quarantined: {reason}")
    load = load_build_raw(paths, ready, quarantine.reasons)
    context.log.info(f"{load.batch} document(s) to rebuild" + (" (a full refresh)" if load.full_refresh else ""))
    for name, rows in load.counts.items():
        yield dg.MaterializeResult(asset_key=["raw", name], metadata={"rows": rows})
    # The documents the per-document models rebuild (see pipelines.staging).
    yield dg.MaterializeResult(asset_key=["raw", "batch"], metadata={"documents_to_rebuild": load.batch, "full_refresh": load.full_refresh})


def ready_extracts(paths: BudgetPaths) -> list[Path]:
    """Extract folders of the documents in the raw folder that have been extracted."""
    return [paths.extract_dir(d) for d in sorted(scan_raw_dir(paths)) if cached_version(paths, d) is not None]


def load_build_raw(paths: BudgetPaths, folders: list[Path], quarantined: dict[str, str], full: bool = False) -> RawLoad:
    """The raw schema of the build copy from these extracts, the quarantined documents as rejected rows."""
    paths.build_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.build_path), config=duckdb_config()) as con:
        reasons = {d: r for d, r in quarantined.items() if paths.extract_dir(d) in folders}
        return load_raw_changes(con, folders, reasons, warehouse_version(), full)


def sync_partitions(instance: dg.DagsterInstance, documents: dict[str, list[str]]) -> None:
    """One partition per distinct PDF content; vanished documents leave."""
    known = set(instance.get_dynamic_partitions(documents_partitions.name))
    for gone in sorted(known - set(documents)):
        instance.delete_dynamic_partition(documents_partitions.name, gone)
    instance.add_dynamic_partitions(documents_partitions.name, sorted(set(documents) - known))
