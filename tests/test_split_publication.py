"""Split publications (issue 12.4): a department that publishes its tables and its explanation as two PDFs (as
Beijing does). Made from a real Guangzhou budget cut in two with pypdfium2 (pipelines.fixtures.variants), built
beside the whole budget and the explanation half of another budget whose tables are not loaded."""

import shutil

import dagster as dg
import duckdb
import pytest

from pipelines.fixtures.variants import split_publication
from pipelines.paths import BudgetPaths, file_to_document_id
from tests.conftest import NATIONAL_PDFS, materialize_everything

WHOLE = NATIONAL_PDFS / "gz_xfj_2026_budget.pdf"
ALONE = NATIONAL_PDFS / "gz_tjj_2026_budget.pdf"


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """The warehouse of WHOLE, its two halves and the explanation of ALONE; the halves', ALONE's and WHOLE's ids."""
    root = tmp_path_factory.mktemp("split")
    paths = BudgetPaths(root / "raw", root / "warehouse" / "budget.duckdb")
    paths.raw_dir.mkdir()
    tables, explanation = split_publication(WHOLE, paths.raw_dir)
    alone = split_publication(ALONE, root)[1].rename(paths.raw_dir / f"{ALONE.stem}-explanation.pdf")
    whole = shutil.copy(WHOLE, paths.raw_dir / WHOLE.name)
    ids = [file_to_document_id(pdf) for pdf in (tables, explanation, alone, whole)]
    assert materialize_everything(paths, dg.DagsterInstance.ephemeral(), ids).success
    return paths, ids


def _documents(paths: BudgetPaths) -> dict[str, dict]:
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        cursor = con.execute("select document_id, status, status_reason, content, paired_document_id, fiscal_year, entity_name from marts.dim_document")
        names = [c[0] for c in cursor.description]
        return {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}


def test_each_half_loads_and_knows_the_other(split):
    paths, (tables, explanation, alone, _) = split
    documents = _documents(paths)
    assert {documents[d]["status"] for d in (tables, explanation, alone)} == {"loaded"}
    assert (documents[tables]["content"], documents[explanation]["content"]) == ("tables", "explanation")
    assert (documents[tables]["paired_document_id"], documents[explanation]["paired_document_id"]) == (explanation, tables)
    assert documents[tables]["entity_name"] == documents[explanation]["entity_name"] == "广州市信访局"
    assert documents[alone]["paired_document_id"] is None


def test_the_explanations_figures_are_checked_against_the_tables_pdf(split):
    """The same comparisons as in the whole budget, each with the cell of the tables PDF it is printed in."""
    paths, (tables, explanation, _, whole) = split
    query = """
        select expected_source, expected_row_number, expected_column_key, expected_yuan, actual_yuan, status, expected_document_id
        from marts.reconciliation_result where document_id = ? and check_id = 'narrative_matches_tables' order by all"""
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        halves = con.execute(query, [explanation]).fetchall()
        subjects = con.execute("select subject from marts.reconciliation_result where document_id = ? and check_id = 'narrative_matches_tables'",
                               [explanation]).fetchall()
        together = con.execute(query, [whole]).fetchall()
    assert len(together) >= 3 and {row[5] for row in together} == {"pass"}
    assert [(*row[:6], tables) for row in together] == halves
    assert all("gz_xfj_2026_budget-tables.pdf T" in subject for (subject,) in subjects)


def test_an_explanation_without_its_tables_is_kept_and_says_so(split):
    paths, (_, _, alone, _) = split
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        figures = con.execute("select count(*) from marts.fct_narrative_figure where document_id = ?", [alone]).fetchone()[0]
        found = con.execute("""
            select severity, status from marts.reconciliation_result where document_id = ? and check_id = 'tables_published'""", [alone]).fetchall()
        compared = con.execute("""
            select count(*) from marts.reconciliation_result where document_id = ? and status <> 'not_applicable' and check_id <> 'tables_published'""",
            [alone]).fetchone()[0]
    assert figures >= 4
    assert found == [("warning", "fail")] and compared == 0
