"""`python -m pipelines.accuracy` over every reference PDF: the four real Shanghai ones and the Shenzhen sample."""

import contextlib
import io
import re

import duckdb
import pytest

from pipelines.accuracy import main
from pipelines.extraction.document import bytes_to_document_id
from pipelines.paths import REPO_ROOT

REAL_PDFS = sorted((REPO_ROOT.parent / "shared" / "reference" / "real-pdfs").glob("*.pdf"))
SAMPLE_PDF = REPO_ROOT / "raw" / "shenzhen-luohu-science-innovation-bureau-2024-budget.pdf"
LINE = re.compile(
    r"^(?P<name>\S+\.pdf): layout (?P<layout>\w+); tables (?P<found>\d+)/(?P<expected>\d+); rows (?P<rows>\d+); "
    r"amounts parsed (?P<parsed>\d+)/(?P<amounts>\d+); unmapped columns (?P<unmapped>\d+); "
    r"coded rows agreeing with the text layer (?P<agreeing>\d+)/(?P<coded>\d+)"
)


def _run(argv: list[str]) -> list[str]:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        assert main(argv) == 0
    return output.getvalue().splitlines()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> str:
    """A stand-in warehouse holding verdicts for the Shenzhen sample only."""
    path = tmp_path_factory.mktemp("warehouse") / "budget.duckdb"
    document_id = bytes_to_document_id(SAMPLE_PDF.read_bytes())
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.dim_document as select ? as document_id, 'flagged' as status", [document_id])
        con.execute(
            "create table marts.reconciliation_result as select ? as document_id, * from "
            "(values ('pass', 'a'), ('pass', 'a'), ('fail', 'b'), ('not_applicable', 'c')) as v(status, check_id)",
            [document_id],
        )
    return str(path)


@pytest.fixture(scope="module")
def lines(warehouse) -> list[str]:
    assert len(REAL_PDFS) == 4, f"expected the four real PDFs, found {REAL_PDFS}"
    return _run([str(p) for p in [*REAL_PDFS, SAMPLE_PDF]] + ["--warehouse", warehouse])


@pytest.fixture(scope="module")
def report(lines) -> dict[str, re.Match]:
    per_pdf = lines[: lines.index("")]
    matches = [LINE.match(line) for line in per_pdf]
    assert all(matches), per_pdf
    return {m["name"]: m for m in matches}


def test_every_reference_pdf_is_reported(report):
    assert set(report) == {p.name for p in [*REAL_PDFS, SAMPLE_PDF]}


def test_every_standard_table_is_found(report):
    assert {name: (m["found"], m["expected"]) for name, m in report.items() if m["found"] != m["expected"]} == {}
    assert {m["layout"] for m in report.values()} == {
        "shenzhen_department_budget", "shanghai_department_budget", "shanghai_department_final_account"
    }


def test_every_amount_parses_and_every_column_has_a_meaning(report):
    assert [name for name, m in report.items() if m["parsed"] != m["amounts"] or m["unmapped"] != "0"] == []
    assert all(int(m["rows"]) > 100 for m in report.values())


def test_every_coded_row_agrees_with_the_text_layer(report):
    assert [name for name, m in report.items() if m["agreeing"] != m["coded"] or m["coded"] == "0"] == []


def test_the_warehouse_verdicts_are_counted(lines):
    """With --warehouse each line ends with the document's status and check counts, or says it is not there."""
    sample = next(line for line in lines if line.startswith(SAMPLE_PDF.name))
    assert sample.endswith("; status flagged; checks passed 2, failed 1, not applicable 1")
    assert sum(line.endswith("; not in the warehouse") for line in lines) == len(REAL_PDFS)


def test_a_row_whose_name_wraps_is_compared_as_one_row(tmp_path):
    from reportlab.pdfgen import canvas

    from pipelines.accuracy import pdf_to_coded_lines, with_wrapped_rows

    pdf = tmp_path / "wrapped.pdf"
    page = canvas.Canvas(str(pdf))
    # Beijing's 2080505 row: the code and the first half of its name, then the rest of the row on the next line.
    for y, text in ((700, "2080505-pension insurance of public"), (686, "50102-social security 30108-pension 469.133952 469.133952"),
                    (672, "2080506-annuity 50102-social security 30109-annuity 234.709788 234.709788")):
        page.drawString(72, y, text)
    page.save()
    lines = with_wrapped_rows(pdf_to_coded_lines(pdf, [1], 3)[1])
    assert ("2080505", "50102", "30108", "469.133952", "469.133952") in lines
    assert ("2080506", "50102", "30109", "234.709788", "234.709788") in lines
