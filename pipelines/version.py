"""The pipeline version recorded with every extraction: code version plus a digest of what shapes output."""

import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

_ROOT = Path(__file__).resolve().parent


def files_digest(paths: list[Path]) -> str:
    """Digest of the files' repo-relative names and contents."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(_ROOT.parent)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _package_version() -> str:
    try:
        return version("budget-etl")
    except PackageNotFoundError:
        return "0+unknown"


def dbt_project_sources() -> list[Path]:
    """The dbt project's models, tests, macros and seeds (not its build output), sorted."""
    dbt = _ROOT.parent / "dbt_project"
    return sorted(
        p for p in dbt.rglob("*") if p.suffix in (".sql", ".yml", ".csv") and not {"target", "logs"} & set(p.parts)
    )


# Code that runs around the build but writes nothing into the warehouse: editing it must not cost a full refresh of
# every document. The report (pipelines/report/) is left out too: its pages carry digests of their own inputs.
NOT_SHAPING_THE_WAREHOUSE = ("accuracy.py", "celery_app.py", "cli.py", "progress.py", "safety.py")


def warehouse_sources() -> list[Path]:
    """Everything that shapes the warehouse from the extracts: pipeline code and the dbt project."""
    code = [p for p in _ROOT.glob("*.py") if p.name not in NOT_SHAPING_THE_WAREHOUSE] + list((_ROOT / "defs").glob("*.py"))
    return sorted(code) + dbt_project_sources()


@cache
def warehouse_version() -> str:
    return f"{_package_version()}+{files_digest(warehouse_sources())}"


@cache
def report_version() -> str:
    """The report's code and templates: they change the pages, not the warehouse, so they are not in its version."""
    report = _ROOT / "report"
    return files_digest(sorted([*(report / "templates").glob("*.j2"), *report.glob("*.py")]))


@cache
def pipeline_version() -> str:
    """`<package version>+<digest of extraction code and layout seeds>`: changes whenever output could."""
    sources = sorted((_ROOT / "extraction").glob("*.py")) + sorted((_ROOT.parent / "dbt_project" / "seeds").glob("layout_*.csv"))
    return f"{_package_version()}+{files_digest(sources)}"


@cache
def suites_version() -> str:
    """What a great-expectations verdict depends on besides its comparison: the warehouse code and seeds, and GE."""
    return f"{warehouse_version()}+gx{version('great-expectations')}"
