"""Nothing published is lost by mistake: a wrong raw folder, a run that drops most documents, two runs at once,
a file name that is not UTF-8, a stale write-ahead log, a run killed mid-build."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLE_PDF
from tests.test_cli import BUDGET_ETL, marts_snapshot, run_cli


def sibling(warehouse: Path, name: str) -> Path:
    """Another warehouse in the same folder: it shares the extract cache, so only new documents are extracted."""
    return warehouse.with_name(f"{name}.duckdb")


def documents(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select source_file, status from marts.dim_document order by 1").fetchall()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A warehouse of three documents: the sample and two files that are not PDFs."""
    root = tmp_path_factory.mktemp("safety")
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_PDF, raw / "luohu.pdf")
    (raw / "empty.pdf").write_bytes(b"")
    (raw / "note.pdf").write_bytes(b"not a pdf")
    warehouse = root / "out" / "budget.duckdb"
    assert run_cli(raw, warehouse).returncode == 0
    return raw, warehouse


@pytest.mark.parametrize("raw_name", ["missing", "empty"])
def test_a_wrong_raw_folder_stops_and_leaves_the_warehouse(published, tmp_path, raw_name):
    _, warehouse = published
    raw = tmp_path / raw_name
    if raw_name == "empty":
        raw.mkdir()
    before = warehouse.read_bytes()
    run = run_cli(raw, warehouse)
    assert run.returncode == 2
    assert str(raw) in run.stderr and "nothing was changed" in run.stderr and "Traceback" not in run.stderr
    assert warehouse.read_bytes() == before


def test_a_run_dropping_most_documents_needs_allow_drop(published, tmp_path):
    raw, warehouse = published
    fewer = tmp_path / "raw"
    fewer.mkdir()
    shutil.copy(raw / "note.pdf", fewer / "note.pdf")
    before = warehouse.read_bytes()
    refused = run_cli(fewer, warehouse)
    assert refused.returncode == 2 and "would remove 2 of the 3 published documents" in refused.stderr
    assert warehouse.read_bytes() == before
    copy = sibling(warehouse, "copy")
    shutil.copy(warehouse, copy)
    assert run_cli(fewer, copy, "--allow-drop").returncode == 0
    assert documents(copy) == [("note.pdf", "rejected")]


def test_a_second_run_meets_the_lock_and_a_dead_holders_lock_is_taken_over(published):
    raw, warehouse = published
    lock = warehouse.with_name(warehouse.name + ".lock")
    lock.write_text(str(os.getpid()))
    try:
        refused = run_cli(raw, warehouse)
    finally:
        lock.unlink()
    assert refused.returncode == 2
    assert f"another run is building this warehouse (pid {os.getpid()}" in refused.stderr and "Traceback" not in refused.stderr
    dead = subprocess.Popen(["true"])
    dead.wait()
    lock.write_text(str(dead.pid))
    assert run_cli(raw, warehouse).returncode == 0
    assert not lock.exists()


def test_a_name_that_is_not_utf8_and_a_stale_wal_are_handled(published, tmp_path):
    raw, warehouse = published
    odd = tmp_path / "raw"
    shutil.copytree(raw, odd)
    (odd / os.fsdecode(b"caf\xe9.pdf")).write_bytes(b"a Latin-1 name")
    target = sibling(warehouse, "odd")
    shutil.copy(warehouse, target)
    # A read-write BI session that wrote and did not checkpoint leaves its log beside the file.
    with duckdb.connect(str(target)) as con:
        con.execute("pragma disable_checkpoint_on_shutdown")
        con.execute("create table main.scratch as select 1 as x")
    assert target.with_name(target.name + ".wal").exists()
    run = run_cli(odd, target)
    assert run.returncode == 0, run.stderr
    assert ("caf\\xe9.pdf", "rejected") in documents(target)
    assert ("luohu.pdf", "loaded") in documents(target)


def test_a_run_killed_during_the_build_leaves_the_warehouse_and_the_next_run_recovers(published, tmp_path):
    raw, warehouse = published
    target = sibling(warehouse, "killed")
    shutil.copy(warehouse, target)
    before = marts_snapshot(target)
    changed = tmp_path / "raw"
    shutil.copytree(raw, changed)
    (changed / "other.pdf").write_bytes(b"also not a pdf")
    env = {**os.environ, "BUDGET_RAW_DIR": str(changed), "BUDGET_WAREHOUSE": str(target)}
    env.pop("DAGSTER_HOME", None)
    build = target.with_name(target.name + ".build")
    child = subprocess.Popen([str(BUDGET_ETL), "run"], env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not build.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.poll() is None, "the run ended before its build began"
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    assert marts_snapshot(target) == before
    rerun = subprocess.run([str(BUDGET_ETL), "run"], env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert ("other.pdf", "rejected") in documents(target)
    assert not list(target.parent.glob(f".{target.name}.*.publishing*"))
