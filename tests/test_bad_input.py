"""Bad input is rejected with a reason a person can act on; nothing hangs or exhausts memory."""

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipelines.extraction import RejectedDocument, extract_document
from pipelines.isolation import LimitExceeded, run_isolated
from tests.conftest import SAMPLE_PDF


def _pdf(path: Path, draw, **options) -> Path:
    page = canvas.Canvas(str(path), pagesize=A4, invariant=1, **options)
    draw(page)
    page.showPage()
    page.save()
    return path


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _scanned(page):
    # A scan is pictures of text: marks on the page, no text layer.
    for y in range(100, 700, 20):
        page.rect(60, y, 400, 8, fill=1)


def _prose(page):
    page.drawString(72, 700, "Quarterly newsletter of the sailing club. Nothing about budgets here.")
    page.drawString(72, 680, "Meeting on Tuesday; bring the minutes of the last meeting and the agenda.")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: _bytes(p, b""), "the file is empty"),
        (lambda p: _bytes(p, b"PK\x03\x04 spreadsheet"), "not a PDF"),
        (lambda p: _bytes(p, SAMPLE_PDF.read_bytes()[:20000]), "truncated or damaged"),
        (lambda p: _pdf(p, _prose, encrypt="secret"), "encrypted with a password"),
        (lambda p: _pdf(p, _scanned), "no text layer"),
        (lambda p: _pdf(p, _prose), "does not look like a 部门预算/决算 disclosure"),
    ],
    ids=["zero-byte", "spreadsheet", "truncated", "encrypted", "scanned", "not-a-budget"],
)
def test_bad_file_is_rejected_with_a_reason(tmp_path, make, reason):
    path = make(tmp_path / "input.pdf")
    with pytest.raises(RejectedDocument, match=reason):
        extract_document(path)


def test_a_document_over_its_time_limit_is_stopped():
    with pytest.raises(LimitExceeded, match="limit"):
        run_isolated(extract_document, (SAMPLE_PDF,), seconds=0.2, memory_mb=2048)


def test_a_document_over_its_memory_limit_is_stopped():
    # 10 GB in one allocation stands in for a PDF that would balloon; the limit, not the machine, stops it.
    with pytest.raises(LimitExceeded, match="memory"):
        run_isolated(bytearray, (10 * 1024**3,), seconds=60, memory_mb=1024)


def _allocated(size: int) -> int:
    return len(bytearray(size))


def test_the_memory_limit_is_the_childs_own_room_whatever_its_parent_has_mapped():
    import mmap

    # A run process maps far more than it uses (Dagster, DuckDB, dbt's manifest); 3 GB mapped and never touched stand in.
    mapped = mmap.mmap(-1, 3 * 1024**3)
    try:
        assert run_isolated(_allocated, (256 * 1024**2,), seconds=60, memory_mb=1024) == 256 * 1024**2
    finally:
        mapped.close()


def test_an_unfilled_template_is_rejected(tmp_path):
    """The sample with its entity replaced by XX placeholders, as templates circulate before they are filled."""
    from pipelines.sample.reference_text import parse_reference
    from pipelines.sample.render_shenzhen import render
    from tests.conftest import REFERENCE_TEXT

    template = parse_reference(REFERENCE_TEXT.read_text(encoding="utf-8").replace("罗湖区科技创新局", "XX区XX局"))
    with pytest.raises(RejectedDocument, match="unfilled template.*XX区XX局"):
        extract_document(render(template, tmp_path / "template.pdf"))
