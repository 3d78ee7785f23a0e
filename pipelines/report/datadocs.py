"""Data docs linked from the report: dbt's static docs site, and the great-expectations validation results."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import duckdb

from pipelines.paths import REPO_ROOT, duckdb_config
from pipelines.reconciliation import expectation_arguments, expectation_label, suite_for
from pipelines.version import dbt_project_sources, files_digest

DBT_DOCS = "dbt-docs/index.html"
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"
DBT_PROJECT = REPO_ROOT / "dbt_project"


@dataclass(frozen=True)
class Unexpected:
    """A comparison an expectation rejected."""

    document_id: str
    subject: str


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation of a suite, with the comparisons it rejected."""

    expectation: str
    arguments: str
    success: bool
    element_count: int
    unexpected_count: int
    unexpected: tuple[Unexpected, ...]


@dataclass(frozen=True)
class SuiteOutcome:
    """One suite (one invariant) over all documents' comparisons."""

    check_id: str
    success: bool
    evaluated: int
    successful: int
    expectations: tuple[ExpectationOutcome, ...]


# What dbt's catalog reads of the warehouse: relations, their columns and comments (not their rows).
_CATALOG_SCHEMA = """
    select 'relation', schema_name, table_name, 'table', null, comment from duckdb_tables() where not internal
    union all select 'relation', schema_name, view_name, 'view', null, comment from duckdb_views() where not internal
    union all select 'column', schema_name, table_name, column_name, data_type, comment from duckdb_columns() where not internal
    order by all"""


def _fingerprint(build_path: Path) -> str:
    """Digest of everything dbt's docs page is generated from: the dbt project, dbt itself and the build's schema."""
    digest = hashlib.sha256(files_digest(dbt_project_sources()).encode())
    try:
        with duckdb.connect(str(build_path), read_only=True, config=duckdb_config()) as con:
            schema = con.execute(_CATALOG_SCHEMA).fetchall()
    except duckdb.Error as exc:
        raise RuntimeError(f"cannot read the schema of {build_path}: {exc}") from exc
    digest.update(repr((version("dbt-core"), version("dbt-duckdb"), str(build_path), schema)).encode())
    return digest.hexdigest()


def generate_dbt_docs(build_path: Path, work_dir: Path, report_dir: Path) -> None:
    """`dbt docs generate --static` against the build copy; its one self-contained page is copied into the report.

    dbt's own target/ folder belongs to the Dagster assets, so dbt writes to a work folder of the report.
    Generating takes ~10 s, so the page is kept there with the fingerprint of its inputs and reused while that holds.
    Anonymous usage stats are off so the page never loads dbt's tracker from the network.
    """
    if not build_path.exists():
        raise FileNotFoundError(f"no build copy of the warehouse at {build_path}; dbt docs need its catalog")
    page, stamp = work_dir / "target" / "static_index.html", work_dir / "fingerprint"
    fingerprint = _fingerprint(build_path)
    if not (page.exists() and stamp.exists() and stamp.read_text() == fingerprint):
        stamp.unlink(missing_ok=True)  # a failed run must not leave a stale page looking current
        _run_dbt_docs(build_path, work_dir)
        stamp.write_text(fingerprint)
    target = report_dir / DBT_DOCS
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(page, target)


def _run_dbt_docs(build_path: Path, work_dir: Path) -> None:
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [
        str(DBT_EXECUTABLE), "docs", "generate", "--static", "--quiet", "--vars", json.dumps({"build_path": str(build_path)}),
        "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
        "--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs"),
    ]
    run = subprocess.run(command, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"dbt docs generate failed: {(run.stdout + run.stderr).strip()[-2000:]}")


def validation_outcomes(con: duckdb.DuckDBPyConnection) -> list[SuiteOutcome]:
    """Each suite's expectations with the comparisons they rejected, from the verdicts the pipeline recorded.

    The suites are not run again here: a build validates only comparisons it has not judged before, and the
    recorded verdicts (kept and new) are what decided the warehouse.
    """
    rows = con.execute("""
        select
            c.check_id,
            count(*),
            list((v.failed_expectations, c.document_id, c.subject) order by c.document_id, c.subject)
                filter (where len(v.failed_expectations) > 0)
        from intermediate.int_check_comparisons as c
        inner join staging.stg_check_results as v using (comparison_id)
        group by all""").fetchall()
    judged = {check_id: count for check_id, count, _ in rows}
    rejections: dict[tuple[str, str], list[Unexpected]] = {}
    for check_id, _, failures in rows:
        for labels, document_id, subject in failures or ():
            for label in labels:
                rejections.setdefault((check_id, label), []).append(Unexpected(document_id, subject))
    outcomes = []
    for check_id, count in sorted(judged.items()):
        expectations = []
        for expectation in suite_for(check_id).expectations:
            kind, kwargs = expectation.expectation_type, expectation.configuration.kwargs
            rejected = tuple(rejections.get((check_id, expectation_label(kind, kwargs)), ()))
            expectations.append(ExpectationOutcome(kind, expectation_arguments(kwargs), not rejected, count, len(rejected), rejected))
        successful = sum(e.success for e in expectations)
        outcomes.append(SuiteOutcome(check_id, successful == len(expectations), len(expectations), successful, tuple(expectations)))
    return outcomes
