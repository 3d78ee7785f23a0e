"""`dagster dev`'s webserver loads workspace.yaml and the shipped dagster.yaml, and shows the graph from the PDF to the
marts, grouped by layer, with the checks on the mart."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from pipelines.defs.transform import CHECKS
from pipelines.paths import REPO_ROOT

QUERY = "{ assetNodes { assetKey { path } groupName dependencyKeys { path } assetChecksOrError { ... on AssetChecks { checks { name } } } } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    port = free_port()
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    executable = Path(sys.executable).parent / "dagster-webserver"
    server = subprocess.Popen(
        [str(executable), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                nodes = graphql(port, QUERY)["data"]["assetNodes"]
                if nodes:
                    break
            except (OSError, KeyError, TypeError):
                pass
            assert time.monotonic() < deadline, "webserver did not serve the asset graph in 120 s"
            time.sleep(1)
        yield port, nodes
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_lineage_runs_from_the_pdf_to_the_published_warehouse(webserver):
    _, nodes = webserver
    parents = {"/".join(n["assetKey"]["path"]): {"/".join(d["path"]) for d in n["dependencyKeys"]} for n in nodes}

    def ancestors(key: str) -> set[str]:
        found, todo = set(), [key]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return found

    assert {"document_extract", "raw/table_cells", "intermediate/int_expenditure_rows"} <= ancestors("marts/fct_expenditure")
    assert {"document_extract", "checks/check_results"} <= ancestors("marts/dim_document")
    assert "marts/reconciliation_result" in ancestors("published_warehouse")


def test_reconciliation_checks_are_listed_on_the_mart(webserver):
    _, nodes = webserver
    checks = {"/".join(n["assetKey"]["path"]): {c["name"] for c in n["assetChecksOrError"]["checks"]} for n in nodes}
    assert {c["check_id"] for c in CHECKS} <= checks["marts/reconciliation_result"]
    assert checks["checks/check_results"] == set()
    assert checks["document_extract"] == {"documents_read"}


def test_dbt_assets_are_grouped_by_layer(webserver):
    _, nodes = webserver
    groups = {"/".join(n["assetKey"]["path"]): n["groupName"] for n in nodes}
    assert {groups[k] for k in ("staging/stg_documents", "intermediate/int_check_comparisons", "marts/fct_expenditure",
                                "analytics/expenditure_yoy", "reference/checks")} == {"staging", "intermediate", "marts", "analytics", "reference"}
    assert "default" not in groups.values()


def test_the_instance_is_configured_by_the_shipped_dagster_yaml(webserver):
    port, _ = webserver
    info = yaml.safe_load(graphql(port, "{ instance { info } }")["data"]["instance"]["info"])
    assert info["telemetry"] == {"enabled": False}
    assert info["run_storage"] == "SqliteRunStorage"
