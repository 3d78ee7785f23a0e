"""Where things live (raw folder, warehouse, build copy, extract cache) and the atomic publish. No Dagster here."""

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[1]
# DuckDB 1.x clients (most BI drivers) cannot open 2.x's storage format; v1.0.0's is read by every DuckDB since 1.0.
PUBLISHED_STORAGE_VERSION = "v1.0.0"
# The build's own layers stay in the build copy: readers see marts, analytics and reference only.
INTERNAL_SCHEMAS = ("raw", "staging", "intermediate")


@dataclass(frozen=True)
class BudgetPaths:
    """The two user-facing settings and everything derived from them."""

    raw_dir: Path
    warehouse: Path

    @classmethod
    def from_env(cls) -> "BudgetPaths":
        """BUDGET_RAW_DIR and BUDGET_WAREHOUSE, defaulting to the repo's raw/ and warehouse/budget.duckdb."""
        raw = Path(os.environ.get("BUDGET_RAW_DIR") or REPO_ROOT / "raw")
        warehouse = Path(os.environ.get("BUDGET_WAREHOUSE") or REPO_ROOT / "warehouse" / "budget.duckdb")
        return cls(raw.resolve(), warehouse.resolve())

    @property
    def build_path(self) -> Path:
        """The private copy every run writes; readers only ever see the published file."""
        return self.warehouse.with_name(self.warehouse.name + ".build")

    @property
    def cache_dir(self) -> Path:
        return self.warehouse.parent / ".budget_cache"

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's target folder for builds of this warehouse (partial-parse state and dbt's log)."""
        return self.cache_dir / "dbt-target" / self.warehouse.name

    def extract_dir(self, document_id: str) -> Path:
        return self.cache_dir / "extracts" / document_id


def duckdb_config() -> dict[str, str]:
    """Settings of every DuckDB connection the pipeline opens. DuckDB would take up to 80% of the machine's memory;
    BUDGET_DUCKDB_MEMORY_LIMIT (default 512MB, as in the dbt profile) caps it, beyond which DuckDB spills
    to disk, so a process stays under 1 GiB whatever the corpus size."""
    return {"memory_limit": os.environ.get("BUDGET_DUCKDB_MEMORY_LIMIT", "512MB")}


def printable_name(relative: str) -> str:
    """A file name as it can be stored and shown: bytes that are not UTF-8 (kept by Python as surrogates) escaped."""
    return relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def file_to_document_id(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan_raw_dir(paths: BudgetPaths) -> dict[str, list[str]]:
    """document_id → relative paths of the PDFs with those bytes (searched recursively, sorted).

    Hashes are cached by the file's stamp so rescanning thousands of unchanged files is cheap. Size and mtime
    alone can be kept by a rewrite (`cp -p`, `touch -r`, an archive restoring times); the inode's change time
    cannot be set by any user tool and moves with every write or rename over, so the stamp holds it too.
    """
    index_file = paths.cache_dir / "file_index.json"
    known = read_json(index_file)
    index, documents = {}, {}
    for path in sorted(p for p in paths.raw_dir.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"):
        relative = path.relative_to(paths.raw_dir).as_posix()
        stat = path.stat()
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        entry = known.get(relative)
        document_id = entry["document_id"] if entry and entry["stamp"] == stamp else file_to_document_id(path)
        index[relative] = {"stamp": stamp, "document_id": document_id}
        documents.setdefault(document_id, []).append(relative)
    # A mistyped or emptied folder (refused by the run) must not forget the hashes of the right one.
    if index:
        write_json(index_file, index)
    return documents


def read_json(path: Path) -> dict:
    """A cache file's content; a missing, truncated or foreign one reads as empty, so it is rebuilt, never fatal."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return content if isinstance(content, dict) else {}


def write_json(path: Path, content: dict) -> None:
    """Written beside and renamed over: parallel extraction runs and a kill never leave half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.{os.getpid()}")
    staged.write_text(json.dumps(content, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(staged, path)


def publish(build_path: Path, warehouse: Path) -> None:
    """Write the finished build's public schemas next to the warehouse, then rename over it: readers see old or new,
    never half.

    A reader holding the old file open keeps reading the old inode; the rename never waits for it.
    """
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    staged = warehouse.with_name(f".{warehouse.name}.{os.getpid()}.publishing")
    try:
        build_to_published(build_path, staged)
    except BaseException:
        staged.unlink(missing_ok=True)
        staged.with_name(staged.name + ".wal").unlink(missing_ok=True)
        raise
    # A read-write reader of the old file may have left its write-ahead log beside it: DuckDB would replay it
    # into the new file and refuse to open it.
    warehouse.with_name(warehouse.name + ".wal").unlink(missing_ok=True)
    os.replace(staged, warehouse)


def build_to_published(build_path: Path, target: Path) -> None:
    """The build's schemas but the internal ones, with their comments, in a new file of PUBLISHED_STORAGE_VERSION."""
    with duckdb.connect(config=duckdb_config()) as con:
        con.execute(f"attach {_sql_text(build_path)} as build (read_only)")
        con.execute(f"attach {_sql_text(target)} as published (storage_version '{PUBLISHED_STORAGE_VERSION}')")
        con.execute("copy from database build to published (schema)")
        for schema in INTERNAL_SCHEMAS:
            con.execute(f"drop schema if exists published.{schema} cascade")
        tables = con.execute("select schema_name, table_name from duckdb_tables() where database_name = 'published'").fetchall()
        for schema, table in tables:
            con.execute(f'insert into published."{schema}"."{table}" select * from build."{schema}"."{table}"')
        views = con.execute("select schema_name, view_name from duckdb_views() where database_name = 'published' and not internal").fetchall()
        for schema, view in views:
            try:
                con.execute(f'select * from published."{schema}"."{view}" limit 0')
            except duckdb.Error as exc:
                raise RuntimeError(f"view {schema}.{view} cannot be published: it reads what only the build copy holds ({exc})") from exc
        con.execute("detach published")


def _sql_text(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
