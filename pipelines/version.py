"""The pipeline version recorded with every extraction: code version plus a digest of what shapes output."""

import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

_ROOT = Path(__file__).resolve().parent


@cache
def pipeline_version() -> str:
    """`<package version>+<digest of extraction code and layout seeds>`: changes whenever output could."""
    try:
        base = version("budget-etl")
    except PackageNotFoundError:
        base = "0+unknown"
    digest = hashlib.sha256()
    sources = sorted((_ROOT / "extraction").glob("*.py")) + sorted((_ROOT.parent / "dbt_project" / "seeds").glob("layout_*.csv"))
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{base}+{digest.hexdigest()[:12]}"
