"""`dagster dev`'s webserver loads workspace.yaml and shows the graph from the PDF to the marts, with the checks."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.paths import REPO_ROOT

QUERY = "{ assetNodes { assetKey { path } dependencyKeys { path } assetChecksOrError { ... on AssetChecks { checks { name } } } } }"


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
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path_factory.mktemp("dagster_home"))}
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
        yield nodes
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_lineage_runs_from_the_pdf_to_the_published_warehouse(webserver):
    parents = {"/".join(n["assetKey"]["path"]): {"/".join(d["path"]) for d in n["dependencyKeys"]} for n in webserver}

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


def test_reconciliation_checks_are_listed(webserver):
    node = next(n for n in webserver if n["assetKey"]["path"] == ["checks", "check_results"])
    names = {c["name"] for c in node["assetChecksOrError"]["checks"]}
    assert {"totals_balance", "function_hierarchy", "narrative_matches_tables"} <= names
