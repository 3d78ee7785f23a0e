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
from tests.test_files_changing import live_process_group


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


def test_a_report_that_cannot_be_written_after_the_publish_is_a_finding_not_a_failure(published, tmp_path):
    raw, warehouse = published
    target = sibling(warehouse, "unreported")
    shutil.copy(warehouse, target)
    more = tmp_path / "raw"
    shutil.copytree(raw, more)
    (more / "other.pdf").write_bytes(b"also not a pdf")
    not_a_folder = tmp_path / "report"
    not_a_folder.write_text("a file where the report folder should be")
    run = run_cli(more, target, BUDGET_REPORT_DIR=str(not_a_folder))
    assert run.returncode == 0, run.stderr
    assert "run_report failed after the warehouse was published" in run.stdout
    assert ("other.pdf", "rejected") in documents(target)
    again = run_cli(more, target, BUDGET_REPORT_DIR=str(not_a_folder))
    assert again.returncode == 0 and "nothing changed since the last build" in again.stdout, again.stdout
    assert "run_report failed after the warehouse was published" in again.stdout


def group_members(group: int) -> list[int]:
    """The live processes of a process group."""
    pids = (int(stat.parent.name) for stat in Path("/proc").glob("[0-9]*/stat"))
    return [pid for pid in pids if live_process_group(pid) == group]


def test_a_run_killed_during_the_build_leaves_the_warehouse_and_the_next_run_recovers(published, tmp_path):
    raw, warehouse = published
    target = sibling(warehouse, "killed")
    shutil.copy(warehouse, target)
    before = marts_snapshot(target)
    changed = tmp_path / "raw"
    shutil.copytree(raw, changed)
    (changed / "other.pdf").write_bytes(b"not a pdf either")
    env = {**os.environ, "BUDGET_RAW_DIR": str(changed), "BUDGET_WAREHOUSE": str(target)}
    env.pop("DAGSTER_HOME", None)
    build = target.with_name(target.name + ".build")
    lock = target.with_name(target.name + ".lock")
    # Started as from a shell: the run leads its own process group. Only the run itself is killed, as the
    # kernel's out-of-memory killer would: what it started (its dbt build) is left running.
    child = subprocess.Popen([str(BUDGET_ETL), "run"], env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not (build.exists() and set(group_members(child.pid)) - {child.pid}) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.poll() is None, "the run ended before its dbt build began"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert marts_snapshot(target) == before
    assert group_members(child.pid), "nothing of the killed run was left running: the test proves nothing"
    rerun = subprocess.Popen([str(BUDGET_ETL), "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not (lock.exists() and lock.read_text().startswith(f"{rerun.pid} ")) and rerun.poll() is None:
        time.sleep(0.05)
    deadline = time.monotonic() + 5
    while group_members(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert group_members(child.pid) == [], "the killed run's processes outlived the run that took its lock over"
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert ("other.pdf", "rejected") in documents(target)
    assert not list(target.parent.glob(f".{target.name}.*.publishing*"))
