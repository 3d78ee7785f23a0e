"""Files and processes that change under a run: a PDF rewritten with its old size and time, removed or half-written
while the run reads it; a run killed with -9 leaving workers behind."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipelines import paths as paths_module
from pipelines.extracts import ExtractionLimits, cached_manifest, extract_one
from pipelines.paths import BudgetPaths, file_to_document_id, scan_raw_dir
from pipelines.safety import RunLock
from tests.conftest import SAMPLE_PDF

LIMITS = ExtractionLimits(seconds=120, memory_mb=2048)


def live_process_group(pid: int) -> int | None:
    """The process group of a live process; None when it has ended or is a zombie (in a container nobody may
    reap an orphan that has exited)."""
    try:
        state, _, group = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[:3]
    except (OSError, ValueError):
        return None
    return None if state in ("Z", "X") else int(group)


def running(pid: int) -> bool:
    return live_process_group(pid) is not None


def ends_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not running(pid)


@pytest.fixture
def folder(tmp_path) -> BudgetPaths:
    paths = BudgetPaths(tmp_path / "raw", tmp_path / "out" / "budget.duckdb")
    paths.raw_dir.mkdir()
    return paths


def test_a_file_rewritten_with_its_old_size_and_mtime_is_a_new_document(folder):
    pdf = folder.raw_dir / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4 first version")
    first = scan_raw_dir(folder)
    stat = pdf.stat()
    pdf.write_bytes(b"%PDF-1.4 other version")  # same length
    os.utime(pdf, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert pdf.stat().st_size == stat.st_size and pdf.stat().st_mtime_ns == stat.st_mtime_ns
    second = scan_raw_dir(folder)
    assert set(first) != set(second) and set(second) == {file_to_document_id(pdf)}


def test_unchanged_files_are_not_hashed_again_and_an_empty_scan_keeps_the_index(folder, monkeypatch):
    for name in ("a.pdf", "b.pdf"):
        (folder.raw_dir / name).write_bytes(f"%PDF-1.4 {name}".encode())
    documents = scan_raw_dir(folder)
    hashed = []
    monkeypatch.setattr(paths_module, "file_to_document_id", lambda path: hashed.append(path) or "")
    assert scan_raw_dir(folder) == documents and hashed == []
    index = (folder.cache_dir / "file_index.json").read_text()
    for pdf in folder.raw_dir.iterdir():
        pdf.unlink()
    assert scan_raw_dir(folder) == {}
    assert (folder.cache_dir / "file_index.json").read_text() == index


def test_a_file_removed_after_the_scan_is_missing_not_an_error(folder):
    pdf = folder.raw_dir / "gone.pdf"
    pdf.write_bytes(SAMPLE_PDF.read_bytes())
    (document_id, [relative]), = scan_raw_dir(folder).items()
    pdf.unlink()
    summary = extract_one(folder, document_id, relative, LIMITS)
    assert summary["status"] == "missing" and "next run" in summary["reason"]
    assert cached_manifest(folder, document_id) == {}


def test_a_file_still_being_written_is_left_for_the_next_run(folder):
    pdf = folder.raw_dir / "copying.pdf"
    pdf.write_bytes(SAMPLE_PDF.read_bytes()[:50_000])
    (document_id, [relative]), = scan_raw_dir(folder).items()
    pdf.write_bytes(SAMPLE_PDF.read_bytes())  # the copy finished after the scan
    summary = extract_one(folder, document_id, relative, LIMITS)
    assert summary["status"] == "changed"
    assert cached_manifest(folder, document_id) == {} and not folder.extract_dir(document_id).exists()
    (new_id, _), = scan_raw_dir(folder).items()
    assert extract_one(folder, new_id, relative, LIMITS)["status"] == "extracted"
    assert cached_manifest(folder, new_id)["source_file"] == "copying.pdf"
    assert not (folder.cache_dir / "reading" / new_id).exists()


def test_an_extraction_child_ends_when_its_parent_is_killed(tmp_path):
    pid_file = tmp_path / "child.pid"
    script = textwrap.dedent(f"""
        import os, time
        from pipelines.isolation import run_isolated

        def stay():
            open({str(pid_file)!r}, "w").write(str(os.getpid()))
            time.sleep(120)

        run_isolated(stay, (), seconds=300, memory_mb=512)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 60
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline and parent.poll() is None, "the child never started"
        time.sleep(0.05)
    child = int(pid_file.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert ends_within(child, 5), "the extraction child outlived its killed parent"


def test_a_dead_runs_leftover_processes_are_stopped_when_its_lock_is_taken_over(tmp_path):
    warehouse = tmp_path / "budget.duckdb"
    leftover_pid = tmp_path / "leftover.pid"
    # A run that led its own process group died; something it started (its dbt, say) still runs in that group.
    leader = subprocess.Popen(["sh", "-c", f"sleep 120 & echo $! > {leftover_pid}"], start_new_session=True)
    leader.wait()
    leftover = int(leftover_pid.read_text())
    assert running(leftover)
    warehouse.with_name("budget.duckdb.lock").write_text(f"{leader.pid} {leader.pid}")
    with RunLock(warehouse):
        assert ends_within(leftover, 5), "the dead run's leftover process still runs"


def test_truncated_cache_indexes_are_rebuilt_not_fatal(folder):
    pdf = folder.raw_dir / "a.pdf"
    pdf.write_bytes(SAMPLE_PDF.read_bytes())
    (document_id, [relative]), = scan_raw_dir(folder).items()
    assert extract_one(folder, document_id, relative, LIMITS)["status"] == "extracted"
    for cached in (folder.cache_dir / "file_index.json", folder.extract_dir(document_id) / "manifest.json"):
        cached.write_text(cached.read_text()[:25])  # a kill or a full disk in the middle of a write
    assert scan_raw_dir(folder) == {document_id: [relative]}
    assert cached_manifest(folder, document_id) == {}, "a truncated manifest must read as not extracted, so it is redone"
    assert extract_one(folder, document_id, relative, LIMITS)["status"] == "extracted"
