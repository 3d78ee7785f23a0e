"""The per-document extraction asset and the raw-schema load."""

import os
import warnings

import dagster as dg

from pipelines.defs.resources import BudgetPathsResource
from pipelines.extracts import ExtractionLimits, cached_manifest, documents_to_extract, extract_all, load_build_raw, ready_extracts
from pipelines.paths import scan_raw_dir
from pipelines.quarantine import Quarantine, quarantine_path
from pipelines.staging import RAW_SCHEMA

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")


# backfill_policy is marked beta in the pinned Dagster; its warning would open every CLI run's output.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)


class ExtractionConfig(dg.Config):
    """reextract: ids of documents to read again though their cached extract is current (a backfill of chosen
    documents); workers: extractions at a time, each in a process of its own (0: one per core)."""

    reextract: list[str] = []
    workers: int = 0


def _missing(paths) -> dict:
    return {"status": "missing", "reason": f"no PDF in {paths.raw_dir} has this SHA-256 any more; was it removed?"}


@dg.asset(
    partitions_def=documents_partitions,
    # A backfill of any number of documents is one run: the extraction spreads over the cores itself.
    backfill_policy=dg.BackfillPolicy.single_run(),
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
    keys, reextract = context.partition_keys, set(config.reextract)
    present = {d: files[d] for d in keys if d in files}
    to_read = {d: present[d][0] for d in documents_to_extract(paths, present, reextract)}
    # The cached outcome of the others, so a document rejected before does not pass for a success now.
    known = {d: {**cached_manifest(paths, d)["summary"], "cached": True} if d in files else _missing(paths) for d in keys if d not in to_read}
    read = extract_all(paths, to_read, ExtractionLimits.from_env(), config.workers or os.cpu_count() or 1)
    statuses: dict[str, int] = {}
    unread = []
    for document_id, outcome in [*known.items(), *read]:
        summary = {"source_file": files[document_id][0], **outcome} if document_id in files else outcome
        statuses[summary["status"]] = statuses.get(summary["status"], 0) + 1
        level = context.log.info if summary["status"] == "extracted" else context.log.warning
        level(f"{document_id[:12]}: {summary}")
        # The partition's own materialization shows the file and its outcome.
        context.add_asset_metadata(summary, partition_key=document_id)
        if summary["status"] != "extracted":
            unread.append(dg.TableRecord({
                "document_id": document_id, "source_file": summary.get("source_file"), "status": summary["status"], "reason": summary.get("reason"),
            }))
    check = dg.AssetCheckResult(
        passed=not unread,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"documents": len(keys), **statuses, **({"not_read": dg.MetadataValue.table(unread)} if unread else {})},
    )
    return dg.MaterializeResult(check_results=[check])


@dg.multi_asset(
    specs=[
        # Skippable: when nothing changed since the published build, the raw load materialises nothing and Dagster
        # skips everything after it (the dbt build, the suites, the publish, the report).
        dg.AssetSpec(["raw", name], deps=[document_extract], group_name="extract", kinds={"duckdb"}, skippable=True)
        for name in [*RAW_SCHEMA, "batch"]
    ],
)
def raw_tables(context: dg.AssetExecutionContext, budget_paths: BudgetPathsResource):
    """The raw schema: every current document's cached extract, loaded into the build copy of the warehouse."""
    paths = budget_paths.paths()
    ready = ready_extracts(paths)
    missing = len(scan_raw_dir(paths)) - len(ready)
    if missing:
        context.log.warning(f"{missing} document(s) have not been extracted and are left out")
    quarantine = Quarantine.read(quarantine_path(paths.cache_dir))
    for document_id, reason in quarantine.reasons.items():
        context.log.warning(f"{document_id[:12]} stays quarantined: {reason}")
    load = load_build_raw(paths, ready, quarantine.reasons)
    if load.batch == 0 and not load.full_refresh and paths.warehouse.exists():
        context.log.info(f"nothing changed since the last published build: {paths.warehouse} stays as published")
        return
    context.log.info(f"{load.batch} document(s) to rebuild" + (" (a full refresh)" if load.full_refresh else ""))
    for name, rows in load.counts.items():
        yield dg.MaterializeResult(asset_key=["raw", name], metadata={"rows": rows})
    # The documents the per-document models rebuild (see pipelines.staging).
    yield dg.MaterializeResult(asset_key=["raw", "batch"], metadata={"documents_to_rebuild": load.batch, "full_refresh": load.full_refresh})
