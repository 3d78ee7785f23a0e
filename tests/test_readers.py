"""pdfium's reading of chars and rules gives the same extract as pdfminer's, on every reference PDF."""

from pathlib import Path

import pytest

from pipelines.extraction import extract_document
from pipelines.extraction.settings import ExtractionSettings
from pipelines.paths import REPO_ROOT
from tests.real_pdfs import REAL_PDFS

PDFS = [*sorted((REPO_ROOT / "raw").glob("*.pdf")), *sorted(REAL_PDFS.glob("*.pdf"))]


def printed(extract) -> list:
    """Everything an extract says, except where on the page it says it."""
    tables = [
        (t.spec.table_key, t.title, t.title_page, t.pages, t.unit_factor, t.empty_statement,
         [(c.header_label, c.column_key) for c in t.columns],
         [(r.row_number, r.page, [(c.column_index, c.printed, c.amount) for c in r.cells]) for r in t.rows])
        for t in extract.tables
    ]
    metadata = (extract.layout, extract.fiscal_year, extract.document_type, extract.scope, extract.entity_name, extract.region)
    return [tables, extract.figures, metadata, extract.page_count]


def boxes(extract) -> list[tuple[float, float, float, float]]:
    return [box for t in extract.tables for r in t.rows for box in [r.bbox, *(c.bbox for c in r.cells if c.bbox)]]


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_pdfium_reads_what_pdfminer_reads(pdf: Path):
    fast = extract_document(pdf)
    slow = extract_document(pdf, ExtractionSettings(reader="pdfminer"))
    assert printed(fast) == printed(slow)
    worst = max(abs(a - b) for box_fast, box_slow in zip(boxes(fast), boxes(slow)) for a, b in zip(box_fast, box_slow))
    assert worst < 0.01, f"a cell box moved by {worst} pt"
