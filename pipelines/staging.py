"""Extracts → per-document Parquet files → the `raw` schema of the DuckDB warehouse. No Dagster here."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.extraction.document import DocumentExtract
from pipelines.extraction.text import text_to_name
from pipelines.paths import duckdb_config

# Column types of the raw schema; every document's files share them so they union cleanly.
RAW_SCHEMA: dict[str, dict[str, str]] = {
    "documents": {
        "document_id": "VARCHAR", "source_file": "VARCHAR", "file_bytes": "BIGINT", "page_count": "INTEGER",
        "layout": "VARCHAR", "fiscal_year": "INTEGER", "document_type": "VARCHAR", "scope": "VARCHAR",
        "entity_name": "VARCHAR", "region": "VARCHAR", "expected_tables": "INTEGER", "tables_found": "INTEGER",
        "status": "VARCHAR", "status_reason": "VARCHAR", "extraction_seconds": "DOUBLE",
        "extracted_at": "TIMESTAMP", "pipeline_version": "VARCHAR", "fact_sources": "VARCHAR", "content": "VARCHAR",
    },
    "tables": {
        "document_id": "VARCHAR", "table_key": "VARCHAR", "table_no": "INTEGER", "title": "VARCHAR",
        "title_page": "INTEGER", "pages": "VARCHAR", "unit_factor": "INTEGER", "empty_statement": "VARCHAR",
        "row_count": "INTEGER", "column_count": "INTEGER", "unmapped_columns": "INTEGER", "unparsed_amounts": "INTEGER",
        "decimals": "INTEGER", "unit_source": "VARCHAR", "occurrence": "INTEGER",
    },
    "table_rows": {
        "document_id": "VARCHAR", "table_key": "VARCHAR", "row_number": "INTEGER", "page": "INTEGER",
        "code": "VARCHAR", "name": "VARCHAR",
    },
    "table_columns": {
        "document_id": "VARCHAR", "table_key": "VARCHAR", "column_index": "INTEGER", "header_label": "VARCHAR",
        "column_key": "VARCHAR", "is_amount": "BOOLEAN",
    },
    "table_cells": {
        "document_id": "VARCHAR", "table_key": "VARCHAR", "row_number": "INTEGER", "column_index": "INTEGER",
        "page": "INTEGER", "printed": "VARCHAR", "text": "VARCHAR", "amount": "DECIMAL(28,6)",
        "x0": "DOUBLE", "top": "DOUBLE", "x1": "DOUBLE", "bottom": "DOUBLE", "carried": "BOOLEAN",
    },
    "narrative_figures": {
        "document_id": "VARCHAR", "figure_number": "INTEGER", "figure_key": "VARCHAR", "label": "VARCHAR", "amount": "DECIMAL(28,6)",
        "unit_factor": "INTEGER", "decimals": "INTEGER", "page": "INTEGER", "snippet": "VARCHAR",
    },
    "findings": {
        "document_id": "VARCHAR", "check_id": "VARCHAR", "subject": "VARCHAR", "pages": "VARCHAR",
    },
}


@dataclass(frozen=True)
class SourceFile:
    """Where a document came from and when it was read."""

    document_id: str
    source_file: str
    file_bytes: int
    extracted_at: datetime
    pipeline_version: str


def extract_to_records(extract: DocumentExtract, source: SourceFile) -> dict[str, list[dict]]:
    """Flatten a DocumentExtract into rows of the raw tables."""
    doc = extract.document_id
    records: dict[str, list[dict]] = {name: [] for name in RAW_SCHEMA}
    records["documents"].append({
        "document_id": doc, "source_file": source.source_file, "file_bytes": source.file_bytes,
        "page_count": extract.page_count, "layout": extract.layout, "fiscal_year": extract.fiscal_year,
        "document_type": extract.document_type, "scope": extract.scope, "entity_name": extract.entity_name,
        "region": extract.region, "expected_tables": extract.expected_tables,
        "tables_found": extract.tables_found, "status": "extracted",
        "status_reason": None, "extraction_seconds": round(extract.seconds, 3),
        "extracted_at": source.extracted_at, "pipeline_version": source.pipeline_version,
        "fact_sources": extract.fact_sources, "content": extract.content,
    })
    for table in extract.tables:
        key = table.key
        records["tables"].append({
            "document_id": doc, "table_key": key, "table_no": table.number, "title": table.title,
            "title_page": table.title_page, "pages": ",".join(map(str, table.pages)), "unit_factor": table.unit_factor,
            "empty_statement": table.empty_statement, "row_count": len(table.rows), "column_count": len(table.columns),
            "unmapped_columns": sum(1 for c in table.columns if c.column_key is None),
            "unparsed_amounts": table.unparsed_amounts, "decimals": table.decimals, "unit_source": table.unit_source,
            "occurrence": table.occurrence,
        })
        records["table_columns"] += [
            {"document_id": doc, "table_key": key, "column_index": c.index, "header_label": c.header_label,
             "column_key": c.column_key, "is_amount": c.is_amount}
            for c in table.columns
        ]
        records["table_rows"] += [
            {"document_id": doc, "table_key": key, "row_number": row.row_number, "page": row.page, "code": row.code, "name": row.name}
            for row in table.rows
        ]
        for row in table.rows:
            for cell in row.cells:
                x0, top, x1, bottom = cell.bbox or row.bbox
                records["table_cells"].append({
                    "document_id": doc, "table_key": key, "row_number": row.row_number,
                    "column_index": cell.column_index, "page": cell.page or row.page, "printed": cell.printed,
                    "text": text_to_name(cell.text),
                    "amount": None if cell.amount is None else str(cell.amount),
                    "x0": x0, "top": top, "x1": x1, "bottom": bottom, "carried": cell.carried is not None,
                })
    records["narrative_figures"] += [
        {"document_id": doc, "figure_number": number, "figure_key": f.figure_key, "label": f.label, "amount": str(f.amount),
         "unit_factor": f.unit_factor, "decimals": f.decimals, "page": f.page, "snippet": f.snippet}
        for number, f in enumerate(extract.figures, start=1)
    ]
    records["findings"] += [
        {"document_id": doc, "check_id": f.check_id, "subject": f.subject, "pages": f.pages} for f in extract.findings
    ]
    return records


def rejection_to_records(source: SourceFile, reason: str) -> dict[str, list[dict]]:
    """A rejected file still gets its documents row, so the warehouse says why it is missing."""
    records: dict[str, list[dict]] = {name: [] for name in RAW_SCHEMA}
    records["documents"].append({
        "document_id": source.document_id, "source_file": source.source_file, "file_bytes": source.file_bytes,
        "status": "rejected", "status_reason": reason, "extracted_at": source.extracted_at,
        "pipeline_version": source.pipeline_version,
    })
    return records


def write_record_files(records: dict[str, list[dict]], folder: Path) -> None:
    """One Parquet file per raw table, written to a temporary folder and renamed into place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir(exist_ok=True)
    con = duckdb.connect(config=duckdb_config())
    for name, columns in RAW_SCHEMA.items():
        ddl = ", ".join(f'"{c}" {t}' for c, t in columns.items())
        con.execute(f"CREATE TABLE {name} ({ddl})")
        rows = records.get(name, [])
        if rows:
            frame = pd.DataFrame(rows, columns=list(columns), dtype=object)  # noqa: F841 - scanned by DuckDB
            con.execute(f"INSERT INTO {name} SELECT * FROM frame")
        con.execute(f"COPY {name} TO '{partial / (name + '.parquet')}' (FORMAT parquet)")
    con.close()
    if folder.exists():
        for old in folder.iterdir():
            old.unlink()
        folder.rmdir()
    partial.rename(folder)


def _columns(name: str) -> str:
    return ", ".join(f'"{c}"' for c in RAW_SCHEMA[name])


def unreadable_extracts(folders: list[Path]) -> dict[Path, str]:
    """Cached extracts that cannot be read back (a truncated or missing file) → why."""
    bad = {}
    with duckdb.connect(config=duckdb_config()) as con:
        for folder in folders:
            for name in RAW_SCHEMA:
                try:
                    con.execute(f"SELECT count(*) FROM (SELECT {_columns(name)} FROM read_parquet(?))", [str(folder / f"{name}.parquet")]).fetchone()
                except duckdb.Error as exc:
                    bad[folder] = f"its cached extract {name}.parquet cannot be read ({str(exc).splitlines()[0]})"
                    break
    return bad


def quarantine_records(document_id: str, folder: Path, reason: str) -> dict:
    """The documents row of a document left out of the warehouse: rejected, with the reason, source kept if readable."""
    row = {"document_id": document_id, "status": "rejected", "status_reason": reason}
    try:
        with duckdb.connect(config=duckdb_config()) as con:
            found = con.execute("SELECT * FROM read_parquet(?)", [str(folder / "documents.parquet")]).df()
        kept = {k: v for k, v in found.iloc[0].to_dict().items() if k in ("source_file", "file_bytes", "page_count", "extracted_at", "pipeline_version")}
        row.update({k: (None if pd.isna(v) else v) for k, v in kept.items()})
    except (duckdb.Error, IndexError, OSError):
        pass
    return row


def _create(con: duckdb.DuckDBPyConnection) -> None:
    for name, columns in RAW_SCHEMA.items():
        ddl = ", ".join(f'"{c}" {t}' for c, t in columns.items())
        con.execute(f"CREATE OR REPLACE TABLE raw.{name} ({ddl})")


def _insert(con: duckdb.DuckDBPyConnection, folders: list[Path], left_out: dict[str, str]) -> None:
    """The documents' rows; a left-out document (quarantined, or its extract unreadable) as a rejected row only."""
    readable = [f for f in folders if f.name not in left_out]
    if readable:
        for name in RAW_SCHEMA:
            files = [str(folder / f"{name}.parquet") for folder in readable]
            con.execute(f"INSERT INTO raw.{name} SELECT {_columns(name)} FROM read_parquet(?)", [files])
    rows = [quarantine_records(f.name, f, left_out[f.name]) for f in folders if f.name in left_out]
    if rows:
        frame = pd.DataFrame(rows, columns=list(RAW_SCHEMA["documents"]), dtype=object)  # noqa: F841 - scanned by DuckDB
        con.execute("INSERT INTO raw.documents SELECT * FROM frame")


# What the load keeps beside the raw tables: which extract each document was loaded from, the documents loaded
# since the last complete build (the batch the per-document dbt models rebuild) and whether that build must be a
# full refresh. The batch grows until a build completes (`mark_batch_built`): a build that fails or is killed
# leaves it, whole, to the next one.
_BOOKKEEPING = """
    create schema if not exists raw;
    create table if not exists raw.loaded_extracts (document_id varchar primary key, signature varchar);
    create table if not exists raw.batch (document_id varchar primary key);
    create table if not exists raw.build_state (warehouse_version varchar, full_refresh boolean);
"""


@dataclass(frozen=True)
class RawLoad:
    """What a load of the raw schema did: row counts, documents to rebuild, and whether dbt must rebuild everything."""

    counts: dict[str, int]
    batch: int
    full_refresh: bool


def extract_signature(folder: Path, reason: str | None) -> str:
    """Changes whenever the document's extract is written again (its manifest is written last) or its quarantine does."""
    manifest = folder / "manifest.json"
    return f"{manifest.stat().st_mtime_ns if manifest.exists() else 0}:{reason or ''}"


def build_state(con: duckdb.DuckDBPyConnection) -> tuple[str, bool] | None:
    """(warehouse version, full refresh pending) of the build copy; None before its first load."""
    try:
        return con.execute("select warehouse_version, full_refresh from raw.build_state").fetchone()
    except duckdb.CatalogException:
        return None


def _add_split_partners(con: duckdb.DuckDBPyConnection) -> None:
    """Add every half of a split publication (tables-only or prose-only PDF) of the same year and type as one in the
    batch: an explanation's comparisons read its partner's tables, and a partner can come, change or go."""
    con.execute("""
        insert or ignore into raw.batch
        select document_id from raw.documents
        where content in ('tables', 'explanation') and (fiscal_year, document_type) in (
            select fiscal_year, document_type from raw.documents
            where content in ('tables', 'explanation') and document_id in (select document_id from raw.batch)
        )""")


def _apply(
    con: duckdb.DuckDBPyConnection, wanted: dict[str, str], folders: list[Path], left_out: dict[str, str], version: str, full: bool
) -> RawLoad:
    state = build_state(con)
    if full or state is None or state[0] != version:
        _create(con)
        _insert(con, folders, left_out)
        con.execute("delete from raw.loaded_extracts; delete from raw.batch; delete from raw.build_state")
        con.execute("insert into raw.build_state values (?, true)", [version])
        changed, pending = sorted(wanted), True
    else:
        loaded = dict(con.execute("select document_id, signature from raw.loaded_extracts").fetchall())
        changed, pending = sorted(d for d in wanted.keys() | loaded.keys() if wanted.get(d) != loaded.get(d)), state[1]
        con.execute("insert or ignore into raw.batch select unnest(?::varchar[])", [changed])
        # Before the old rows go: a half of a split publication that changes or leaves still names its partners.
        _add_split_partners(con)
        for name in RAW_SCHEMA:
            con.execute(f"delete from raw.{name} where document_id in (select unnest(?::varchar[]))", [changed])
        rewritten = set(changed)
        _insert(con, [f for f in folders if f.name in rewritten], left_out)
        _add_split_partners(con)
        con.execute("delete from raw.loaded_extracts where document_id in (select unnest(?::varchar[]))", [changed])
    arrived = [d for d in changed if d in wanted]
    con.execute("insert into raw.loaded_extracts select unnest(?::varchar[]), unnest(?::varchar[])", [arrived, [wanted[d] for d in arrived]])
    counts = {name: con.execute(f"SELECT count(*) FROM raw.{name}").fetchone()[0] for name in RAW_SCHEMA}
    # A full refresh pending (this load's or a failed build's) rebuilds every document, whatever the batch holds.
    return RawLoad(counts, len(wanted) if pending else con.execute("select count(*) from raw.batch").fetchone()[0], pending)


def load_raw_changes(
    con: duckdb.DuckDBPyConnection, folders: list[Path], quarantined: dict[str, str], version: str, full: bool = False
) -> RawLoad:
    """Bring the raw tables to these documents' extracts, in one transaction, rewriting only the documents whose
    extract or quarantine changed, and add those (and the ones that left) to the batch.

    Everything is reloaded, and the next dbt build is a full refresh, when `full` is asked for, on the first load,
    and when the warehouse code or models differ from those the build copy was built with (`version`). A document
    in `quarantined` (folder name = document id → reason), or whose files cannot be read, is loaded as a rejected
    documents row with the reason and nothing else: it never stops the others from loading.
    """
    con.execute(_BOOKKEEPING)
    left_out = dict(quarantined)
    wanted = {f.name: extract_signature(f, left_out.get(f.name)) for f in folders}
    while True:
        con.execute("BEGIN")
        try:
            load = _apply(con, wanted, folders, left_out, version, full)
        except duckdb.Error:
            con.execute("ROLLBACK")
            # One unreadable file fails a whole union: find it (and any other), then load the rest.
            unreadable = unreadable_extracts([f for f in folders if f.name not in left_out])
            if not unreadable:
                raise
            for folder, reason in unreadable.items():
                left_out[folder.name] = reason + "; it will be extracted again on the next run"
                (folder / "manifest.json").unlink(missing_ok=True)
            continue
        con.execute("COMMIT")
        return load


def mark_batch_built(con: duckdb.DuckDBPyConnection) -> None:
    """Every model now holds the batch's documents as loaded: the next build starts from an empty batch."""
    con.execute("delete from raw.batch; update raw.build_state set full_refresh = false")


def full_refresh_pending(build_path: Path) -> bool:
    """The next dbt build must rebuild every document: a first build, other code, or a build left unfinished."""
    with duckdb.connect(str(build_path), read_only=True, config=duckdb_config()) as con:
        state = build_state(con)
    return state is None or state[1]
