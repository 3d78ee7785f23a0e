"""`budget-etl run` as users and schedulers call it: bad files rejected with reasons, reruns idempotent."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLE_PDF

BUDGET_ETL = Path(sys.executable).parent / "budget-etl"


def run_cli(raw: Path, warehouse: Path, *args: str, **settings: str) -> subprocess.CompletedProcess:
    """`budget-etl run` in a child process; `settings` are more environment variables (BUDGET_REPORT_DIR=…)."""
    env = {**os.environ, "BUDGET_RAW_DIR": str(raw), "BUDGET_WAREHOUSE": str(warehouse), **settings}
    env.pop("DAGSTER_HOME", None)
    return subprocess.run([str(BUDGET_ETL), "run", *args], env=env, capture_output=True, text=True, timeout=600)


def marts_snapshot(warehouse: Path, exclude: set[str] = frozenset()) -> dict[str, list[tuple]]:
    """Every marts table, row for row; the run timestamp (and any `exclude` columns) may move."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        snapshot = {}
        for table in tables:
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ?",
                [table]).fetchall() if c != "checked_at" and c not in exclude]
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


def test_a_run_shows_each_document_and_each_build_step_as_it_ends(first_run):
    lines = first_run.stdout.splitlines()
    assert lines[0] == "3 documents: 3 to extract, 0 unchanged"
    counted = [line for line in lines if line.startswith("[")]
    assert sorted(line[:5] for line in counted) == ["[1/3]", "[2/3]", "[3/3]"]
    assert any("extracted 2024/luohu.pdf: 29 pages" in line for line in counted)
    steps = [line.split()[1] for line in lines if line.startswith("build: ")]
    assert steps[:4] == ["document_extract", "raw_tables", "dbt_transform", "checks/check_results"] and "published_warehouse" in steps, lines
    assert all(" done (" in line for line in lines if line.startswith("build: "))
    # The summary comes after the progress; the Dagster and dbt logs are in the file only.
    assert lines.index("checks failed: 0") > max(lines.index(line) for line in counted) and "DEBUG" not in first_run.stdout


def test_a_second_run_changes_nothing_and_skips_extraction(folder, first_run):
    raw, warehouse = folder
    before = marts_snapshot(warehouse)
    second = run_cli(raw, warehouse)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "(0 extracted, 3 unchanged)" in second.stdout
    assert "nothing changed since the last build" in second.stdout
    assert marts_snapshot(warehouse) == before


READER = textwrap.dedent("""
    import json, sys, time, duckdb
    seen = set()
    while True:
        with duckdb.connect(sys.argv[1], read_only=True) as con:
            seen.add(con.execute("select count(*) from marts.dim_document").fetchone()[0])
        print(json.dumps(sorted(seen)), flush=True)
        time.sleep(0.2)
""")


def test_readers_during_a_run_see_the_old_or_the_new_warehouse_never_half(folder, first_run):
    raw, warehouse = folder
    (raw / "empty.pdf").unlink()
    # A BI client polls the published file for the whole run, opening it read-only each time.
    reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # --reextract backfills a chosen subset even though its cache is current.
        third = run_cli(raw, warehouse, "--reextract", "2024/luohu.pdf")
    finally:
        time.sleep(1)
        reader.kill()
    out, err = reader.communicate()
    assert third.returncode == 0, third.stderr[-3000:]
    assert "extracted 2024/luohu.pdf: 29 pages" in third.stdout
    assert err == "", err
    assert set(json.loads(out.strip().splitlines()[-1])) <= {3, 2}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # The deleted file's row leaves the warehouse.
        assert con.execute("select count(*) from marts.dim_document where source_file = 'empty.pdf'").fetchone() == (0,)


def test_a_removed_file_alone_rebuilds_without_extracting(folder, first_run):
    raw, warehouse = folder
    (raw / "budget.xlsx.pdf").unlink()
    run = run_cli(raw, warehouse)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "(0 extracted," in run.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.dim_document where source_file = 'budget.xlsx.pdf'").fetchone() == (0,)


def test_each_cli_run_is_one_run_of_the_one_job(folder, first_run):
    import dagster as dg

    from pipelines.cli import LAUNCH_TAG

    raw, warehouse = folder
    with dg.DagsterInstance.local_temp(str(warehouse.parent / ".budget_cache" / "dagster")) as instance:
        runs = instance.get_runs()
    assert runs and {r.job_name for r in runs} == {"budget_etl"}
    assert len({r.tags[LAUNCH_TAG] for r in runs}) == len(runs)
    # The first run extracted its three documents in the same run that published them.
    first = runs[-1]
    with dg.DagsterInstance.local_temp(str(warehouse.parent / ".budget_cache" / "dagster")) as instance:
        materialized = {e.dagster_event.asset_key.to_user_string() for e in instance.all_logs(first.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)}
    assert {"document_extract", "raw/documents", "marts/dim_document", "published_warehouse", "run_report"} <= materialized


def test_the_run_covers_the_shortest_range_of_partitions_holding_every_document_to_extract():
    from pipelines.extracts import covering_range

    order = ["d1", "d2", "d3", "d4", "d5", "d6", "d7"]
    assert covering_range(order, {"d2", "d4", "d5"}) == ("d2", "d5")
    assert covering_range(order, {"d7"}) == ("d7", "d7")
    assert covering_range(order, set(order)) == ("d1", "d7")
    assert covering_range(order, set()) is None
