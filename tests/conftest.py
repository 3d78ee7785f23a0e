import os
from pathlib import Path

import pytest

from pipelines.extraction import extract_document
from pipelines.paths import REPO_ROOT
from pipelines.sample.reference_text import load_reference

SHARED = REPO_ROOT.parent / "shared" / "reference"
REFERENCE_TEXT = SHARED / "000_5a8eb43ea2156b69.txt"
REAL_PDFS = SHARED / "real-pdfs"
SAMPLE_PDF = REPO_ROOT / "raw" / "shenzhen-luohu-science-innovation-bureau-2024-budget.pdf"

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


@pytest.fixture(scope="session")
def reference():
    """The Shenzhen reference text, parsed: the truth every extracted number is compared with."""
    return load_reference(REFERENCE_TEXT)


@pytest.fixture(scope="session")
def sample_extract():
    return extract_document(SAMPLE_PDF)


def real_pdf(name: str) -> Path:
    path = REAL_PDFS / name
    if not path.exists():
        pytest.fail(f"reference PDF missing: {path}")
    return path
