"""Invariants and layout knowledge are data (issue 12.6): a misspelt name in a seed fails the build loudly, never
reads as not_applicable."""

import csv
import shutil
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner

from pipelines.defs.transform import dbt_project

SINGULAR = ("column_vocabulary_scopes_are_known", "table_invariants_columns_are_known")


def _misspell(project: Path, seed: str, column: str) -> None:
    """`column` of the first row of `seed` that names something, with its last letter dropped, as a slip would."""
    path = project / "seeds" / f"{seed}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = next(r for r in rows if len(r[column]) > 1)
    row[column] = row[column][:-1]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _failed_seed_tests(project: Path) -> list[str]:
    """The data tests on the seeds that fail when the seeds are loaded into a fresh database."""
    result = dbtRunner().invoke([
        "build", "--project-dir", str(project), "--profiles-dir", str(project), "--target-path", str(project / "target"),
        "--indirect-selection", "cautious", "--select", "resource_type:seed", *SINGULAR,
        "--quiet",
    ])
    return sorted(r.node.name for r in result.result or [] if r.status in ("fail", "error"))


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    copy = tmp_path / "dbt_project"
    shutil.copytree(dbt_project.project_dir, copy, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(tmp_path / "seeds.duckdb"))
    return copy


def test_the_shipped_seeds_pass_their_tests(project):
    assert _failed_seed_tests(project) == []


@pytest.mark.parametrize(("seed", "column", "failing"), [
    ("table_invariants", "check_id", "relationships_table_invariants_check_id"),
    ("table_invariants", "table_a", "relationships_table_invariants_table_a"),
    ("table_invariants", "column_b", "table_invariants_columns_are_known"),
    ("narrative_checks", "table_key", "relationships_narrative_checks_table_key"),
    ("unit_rollups", "check_id", "relationships_unit_rollups_check_id"),
    ("unit_rollups", "table_key", "relationships_unit_rollups_table_key"),
    ("row_total_parts", "check_id", "relationships_row_total_parts_check_id"),
    ("row_total_parts", "column_key", "relationships_row_total_parts_column_key"),
    ("column_vocabulary", "scope", "column_vocabulary_scopes_are_known"),
])
def test_a_misspelt_name_fails_the_build(project, seed, column, failing):
    _misspell(project, seed, column)
    failed = _failed_seed_tests(project)
    assert any(name.startswith(failing) for name in failed), failed
