"""The extract cache: a folder per document with its raw records and a manifest, written by the extraction and read
by the raw load. Plain functions the Dagster assets and the CLI share; no Dagster here."""

import hashlib
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipelines.extraction import RejectedDocument, extract_document
from pipelines.isolation import ChildFailed, LimitExceeded, run_isolated
from pipelines.paths import BudgetPaths, duckdb_config, printable_name, read_json, scan_raw_dir, write_json
from pipelines.staging import RawLoad, SourceFile, extract_to_records, load_raw_changes, rejection_to_records, write_record_files
from pipelines.version import pipeline_version, warehouse_version


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


def extract_all(paths: BudgetPaths, files: dict[str, str], limits: ExtractionLimits, workers: int) -> Iterator[tuple[str, dict]]:
    """(document id, summary) for each document of `files` (id → path in the raw folder) as its extraction ends,
    up to `workers` at a time. Each extraction is a child process of its own (`run_isolated`); the threads only wait."""
    with ThreadPoolExecutor(max(1, workers), thread_name_prefix="extract") as pool:
        yield from pool.map(lambda item: (item[0], extract_one(paths, item[0], item[1], limits)), files.items())


def documents_to_extract(paths: BudgetPaths, present: dict[str, list[str]], reextract: set[str]) -> list[str]:
    """The documents in the raw folder with no extract made by this code, and those asked for again."""
    return sorted(d for d in present if d in reextract or not extract_is_current(paths, d))


def covering_range(order: list[str], wanted: set[str]) -> tuple[str, str] | None:
    """The shortest (first, last) range of partitions in `order` holding every wanted key; None when none is wanted."""
    picked = [key for key in order if key in wanted]
    return (picked[0], picked[-1]) if picked else None


# The run tags by which Dagster names the partition range of a run.
PARTITION_RANGE_TAGS = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")


def range_tags(first: str, last: str) -> dict[str, str]:
    """Tags of a run over the document partitions from `first` to `last`."""
    return dict(zip(PARTITION_RANGE_TAGS, (first, last)))


def ready_extracts(paths: BudgetPaths) -> list[Path]:
    """Extract folders of the documents in the raw folder that have been extracted."""
    return [paths.extract_dir(d) for d in sorted(scan_raw_dir(paths)) if cached_version(paths, d) is not None]


def load_build_raw(paths: BudgetPaths, folders: list[Path], quarantined: dict[str, str], full: bool = False) -> RawLoad:
    """The raw schema of the build copy from these extracts, the quarantined documents as rejected rows."""
    paths.build_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.build_path), config=duckdb_config()) as con:
        reasons = {d: r for d, r in quarantined.items() if paths.extract_dir(d) in folders}
        return load_raw_changes(con, folders, reasons, warehouse_version(), full)
