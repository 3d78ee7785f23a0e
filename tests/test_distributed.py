"""The same job on Celery workers (Redis broker on loopback) gives the same marts as on one machine."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_PDF
from tests.test_cli import marts_snapshot

pytestmark = pytest.mark.distributed
BIN = Path(sys.executable).parent
# These differ between any two extractions of the same bytes; everything else must match.
RUN_DEPENDENT = {"extracted_at", "extraction_seconds"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker(tmp_path):
    redis = shutil.which("redis-server")
    if redis is None:
        pytest.fail("redis-server is not installed; scripts/setup.sh installs it")
    port = free_port()
    server = subprocess.Popen([redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() != "PONG":
        assert time.monotonic() < deadline, "redis did not start"
        time.sleep(0.2)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def run_cli(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "budget-etl"), "run"], env=env, capture_output=True, text=True, timeout=900)


def test_celery_workers_build_the_same_warehouse(tmp_path, broker, built):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_PDF, raw / SAMPLE_PDF.name)
    base = {**os.environ, "BUDGET_RAW_DIR": str(raw)}
    distributed = {**base, "BUDGET_EXECUTOR": "celery", "BUDGET_CELERY_BROKER": broker,
                   "BUDGET_WAREHOUSE": str(tmp_path / "celery" / "budget.duckdb"), "DAGSTER_HOME": str(tmp_path / "home")}
    Path(distributed["DAGSTER_HOME"]).mkdir()
    logs = [tmp_path / f"worker{i}.log" for i in (1, 2)]
    workers = [
        subprocess.Popen([str(BIN / "celery"), "-A", "pipelines.celery_app", "worker", "-Q", "dagster", "--pool", "solo",
                          "-n", f"w{i}@%h", "--loglevel", "INFO"], env=distributed, stdout=log.open("w"), stderr=subprocess.STDOUT)
        for i, log in enumerate(logs, start=1)
    ]
    try:
        on_workers = run_cli(distributed)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
    assert on_workers.returncode == 0, on_workers.stderr[-3000:]
    tasks = sum(log.read_text().count("succeeded in") for log in logs)
    assert tasks >= 5, "the steps did not run on the Celery workers"
    # The single-machine run of the same file (in-process Dagster, the session's shared build).
    single_machine, _ = built
    celery_marts = marts_snapshot(Path(distributed["BUDGET_WAREHOUSE"]), exclude=RUN_DEPENDENT)
    assert celery_marts == marts_snapshot(single_machine.warehouse, exclude=RUN_DEPENDENT)
