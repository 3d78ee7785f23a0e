"""Older DuckDB clients, each in its own virtualenv (kept under .venv/clients, made once from PyPI)."""

import json
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

from pipelines.paths import REPO_ROOT

CLIENTS_DIR = REPO_ROOT / ".venv" / "clients"

# Every relation a BI user can list, each read to its last row; what the client saw, as JSON.
READ_EVERYTHING = textwrap.dedent("""
    import json, sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    relations = con.execute('''
        select schema_name, table_name from duckdb_tables() where not internal
        union all select schema_name, view_name from duckdb_views() where not internal
        order by all''').fetchall()
    rows = {f"{s}.{r}": len(con.execute(f'select * from "{s}"."{r}"').fetchall()) for s, r in relations}
    comments = con.execute("select count(*) filter (where comment <> '') from duckdb_columns() where schema_name = 'marts'").fetchone()[0]
    schemas = sorted({s for (s,) in con.execute("select schema_name from duckdb_schemas() where not internal").fetchall()})
    print(json.dumps({"version": duckdb.__version__, "rows": rows, "schemas": schemas, "mart_column_comments": comments}))
""")


def client_python(version: str) -> Path:
    """The python of a virtualenv holding duckdb==`version` only, made on first use."""
    home = CLIENTS_DIR / f"duckdb-{version}"
    python = home / "bin" / "python"
    if python.exists():
        return python
    building = CLIENTS_DIR / f".duckdb-{version}.building"
    shutil.rmtree(building, ignore_errors=True)
    venv.create(building, with_pip=True)
    subprocess.run([building / "bin" / "python", "-m", "pip", "install", "-q", "--only-binary=:all:", f"duckdb=={version}"],
                   check=True, capture_output=True, text=True)
    # Renamed only once complete: an interrupted install is never taken for a client.
    shutil.rmtree(home, ignore_errors=True)
    building.rename(home)
    return python


def read_with(version: str, warehouse: Path) -> dict:
    """What DuckDB `version`, in a process of its own, reads of `warehouse`."""
    run = subprocess.run([client_python(version), "-c", READ_EVERYTHING, str(warehouse)], capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise AssertionError(f"DuckDB {version} cannot read {warehouse}: {run.stderr.strip()[-2000:]}")
    return json.loads(run.stdout)


def read_with_this_duckdb(warehouse: Path) -> dict:
    run = subprocess.run([sys.executable, "-c", READ_EVERYTHING, str(warehouse)], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)
