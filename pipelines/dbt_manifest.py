"""The dbt manifest that the Dagster definitions read their dbt assets from, made again by `dbt parse` when the dbt
project has changed since. Made before the definitions are imported (by `budget-etl`, the test session and the
set-up script), so importing them starts no process; `dagster dev` re-parses on each load by itself
(`DbtProject.prepare_if_dev`)."""

import fcntl
import subprocess
import sys
from pathlib import Path

from pipelines.paths import REPO_ROOT
from pipelines.version import dbt_project_sources

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


def manifest_is_stale() -> bool:
    """No manifest, or a model, test, macro or seed newer than it."""
    if not MANIFEST.exists():
        return True
    made = MANIFEST.stat().st_mtime
    return any(p.stat().st_mtime > made for p in dbt_project_sources())


def prepare_manifest() -> None:
    """Parse the dbt project if its manifest is stale. Processes starting at once (test workers, `dagster dev` beside
    a CLI run) take turns: one parses, the others find it current."""
    MANIFEST.parent.mkdir(parents=True, exist_ok=True)
    with open(MANIFEST.parent / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if manifest_is_stale():
            subprocess.run(
                [DBT_EXECUTABLE, "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)],
                check=True,
            )


if __name__ == "__main__":
    prepare_manifest()
