"""A build that fails because of some documents is tried without them until only they are left out."""

import re
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.paths import BudgetPaths, file_to_document_id
from pipelines.quarantine import PipelineBroken, Quarantine, find_culprits
from tests.conftest import REAL_PDFS, SAMPLE_PDF, materialize_everything


def _build(culprits: set[str], log: list):
    def build(excluded: frozenset[str]) -> str | None:
        log.append(excluded)
        failing = sorted(culprits - excluded)
        return f"model breaks on {failing[0]}" if failing else None

    return build


@pytest.mark.parametrize("culprits", [{"d07"}, {"d00", "d63"}, {"d10", "d11", "d12"}])
def test_the_culprits_are_found_and_only_they(culprits):
    documents = [f"d{i:02d}" for i in range(64)]
    log = []
    found = find_culprits(documents, _build(culprits, log), "first error")
    assert set(found) == culprits
    assert all(found[d] == f"model breaks on {d}" for d in culprits)
    # About 2·k·log2(n) builds, far fewer than one per document.
    assert len(log) <= 2 * len(culprits) * 6 + 2


def test_new_documents_are_suspected_first():
    documents = [f"d{i:03d}" for i in range(500)]
    log = []
    assert set(find_culprits(documents, _build({"d498"}, log), "first error", suspects=["d498", "d499"])) == {"d498"}
    assert len(log) <= 5


def test_a_build_that_fails_without_any_document_is_the_pipelines_fault():
    with pytest.raises(PipelineBroken, match="always"):
        find_culprits(["a", "b"], lambda excluded: "always broken", "first error")


def test_the_quarantine_survives_a_damaged_file(tmp_path):
    path = tmp_path / "quarantine.json"
    Quarantine({"doc": "why"}).write(path)
    assert Quarantine.read(path).reasons == {"doc": "why"}
    path.write_text("{trunc")
    assert Quarantine.read(path).reasons == {}


OTHER_PDF = REAL_PDFS / "shanghai-putuo-government-office-2025-unit-budget.pdf"
SAMPLE_ROWS = "select * exclude (document_id) from marts.fct_expenditure where document_id = ? order by all"


def _build_beside_the_sample(root: Path, damage) -> BudgetPaths:
    paths = BudgetPaths(root / "raw", root / "warehouse" / "budget.duckdb")
    paths.raw_dir.mkdir(parents=True)
    for pdf in (SAMPLE_PDF, OTHER_PDF):
        shutil.copy(pdf, paths.raw_dir / pdf.name)
    other = file_to_document_id(OTHER_PDF)
    result = materialize_everything(
        paths, dg.DagsterInstance.ephemeral(), [file_to_document_id(SAMPLE_PDF), other],
        after_extraction=lambda p: damage(p.extract_dir(other)),
    )
    assert result.success
    return paths


def _duplicate_cells(folder: Path) -> None:
    """An extractor bug on one document: every cell twice, which breaks a key the pipeline guarantees."""
    cells = folder / "table_cells.parquet"
    with duckdb.connect() as con:
        con.execute(f"copy (select * from read_parquet('{cells}') union all select * from read_parquet('{cells}')) to '{cells}.new' (format parquet)")
    Path(f"{cells}.new").replace(cells)


def _truncate(folder: Path) -> None:
    cells = folder / "table_cells.parquet"
    cells.write_bytes(cells.read_bytes()[:300])


@pytest.mark.parametrize(("damage", "reason"), [
    (_duplicate_cells, "the warehouse models fail on this document, so it is left out of the warehouse: .*unique"),
    (_truncate, "its cached extract table_cells.parquet cannot be read .*; it will be extracted again"),
], ids=["model-breaks", "cache-truncated"])
def test_a_document_the_build_cannot_take_is_quarantined_and_the_rest_publishes(built, tmp_path, damage, reason):
    baseline, _ = built
    paths = _build_beside_the_sample(tmp_path, damage)
    sample, other = file_to_document_id(SAMPLE_PDF), file_to_document_id(OTHER_PDF)
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        statuses = dict(con.execute("select document_id, status from marts.dim_document").fetchall())
        why = con.execute("select status_reason from marts.dim_document where document_id = ?", [other]).fetchone()[0]
        rows = con.execute(SAMPLE_ROWS, [sample]).fetchall()
    assert statuses == {sample: "loaded", other: "rejected"}
    assert re.search(reason, why), why
    with duckdb.connect(str(baseline.warehouse), read_only=True) as con:
        assert rows == con.execute(SAMPLE_ROWS, [sample]).fetchall()
