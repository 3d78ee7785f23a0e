"""`budget-etl run` as users and schedulers call it: bad files rejected with reasons, reruns idempotent."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLE_PDF

BUDGET_ETL = Path(sys.executable).parent / "budget-etl"


def run_cli(raw: Path, warehouse: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BUDGET_RAW_DIR": str(raw), "BUDGET_WAREHOUSE": str(warehouse)}
    env.pop("DAGSTER_HOME", None)
    return subprocess.run([str(BUDGET_ETL), "run"], env=env, capture_output=True, text=True, timeout=600)


def marts_snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every marts table, row for row; the run timestamp is the only thing allowed to move."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        snapshot = {}
        for table in tables:
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?",
                [table]).fetchall() if c != "checked_at"]
            snapshot[table] = sorted(con.execute(f"select {', '.join(columns)} from marts.{table}").fetchall(), key=repr)
    return snapshot


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    raw = root / "raw"
    (raw / "2024").mkdir(parents=True)
    shutil.copy(SAMPLE_PDF, raw / "2024" / "luohu.pdf")
    shutil.copy(SAMPLE_PDF, raw / "same-bytes-other-name.pdf")
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "budget.xlsx.pdf").write_bytes(b"PK\x03\x04 this is a spreadsheet, not a PDF")
    return raw, root / "out" / "budget.duckdb"


@pytest.fixture(scope="module")
def first_run(folder):
    raw, warehouse = folder
    return run_cli(raw, warehouse)


def test_bad_files_are_rejected_with_reasons_and_the_good_one_loads(folder, first_run):
    raw, warehouse = folder
    assert first_run.returncode == 0, first_run.stderr[-3000:]
    assert "1 loaded, 0 flagged, 2 rejected" in first_run.stdout
    assert "empty.pdf — the file is empty (0 bytes)" in first_run.stdout
    assert "budget.xlsx.pdf — the file is not a PDF" in first_run.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select source_file, status from marts.dim_document order by source_file").fetchall()
    # The same bytes under two names are one document, named by the first path.
    assert rows == [("2024/luohu.pdf", "loaded"), ("budget.xlsx.pdf", "rejected"), ("empty.pdf", "rejected")]


def test_a_second_run_changes_nothing_and_skips_extraction(folder, first_run):
    raw, warehouse = folder
    before = marts_snapshot(warehouse)
    second = run_cli(raw, warehouse)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "(0 extracted, 3 unchanged)" in second.stdout
    assert marts_snapshot(warehouse) == before


def test_a_deleted_file_leaves_the_warehouse_on_the_next_run(folder, first_run):
    raw, warehouse = folder
    (raw / "empty.pdf").unlink()
    third = run_cli(raw, warehouse)
    assert third.returncode == 0, third.stderr[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.dim_document where source_file = 'empty.pdf'").fetchone() == (0,)
