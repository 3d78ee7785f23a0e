"""Incremental builds (issue 13.2): a build after documents came and went rebuilds only those documents (and the
halves of split publications they pair with), and its marts are exactly those of a full build of the same folder.

Real PDFs: a Guangzhou budget cut into its tables and explanation halves (as Beijing publishes), two whole budgets.
"""

import shutil

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import defs
from pipelines.defs.extract import document_extract, documents_partitions
from pipelines.defs.report import run_report
from pipelines.defs.resources import BudgetPathsResource
from pipelines.fixtures.variants import split_publication
from pipelines.paths import REPO_ROOT, BudgetPaths, file_to_document_id
from pipelines.version import warehouse_sources
from tests.conftest import NATIONAL_PDFS

# Verdicts carry the time they were given; everything else must agree to the cent and the character.
VOLATILE = ("checked_at",)


def build(paths: BudgetPaths) -> dict:
    """Extract what is in the raw folder and build the warehouse (no run report), through Dagster; the raw load's metadata."""
    resources = {**defs.resources, "budget_paths": BudgetPathsResource(raw_dir=str(paths.raw_dir), warehouse=str(paths.warehouse))}
    assets = [*defs.assets, *defs.asset_checks]
    instance = dg.DagsterInstance.ephemeral()
    document_ids = sorted({file_to_document_id(pdf) for pdf in paths.raw_dir.glob("*.pdf")})
    instance.add_dynamic_partitions(documents_partitions.name, document_ids)
    for document_id in document_ids:
        assert dg.materialize(assets, selection=[document_extract], partition_key=document_id, instance=instance, resources=resources).success
    rest = dg.AssetSelection.all() - dg.AssetSelection.assets(document_extract, run_report)
    result = dg.materialize(assets, selection=rest, instance=instance, resources=resources)
    return next(m.metadata for m in result.asset_materializations_for_node("raw_tables") if m.asset_key == dg.AssetKey(["raw", "batch"]))


def relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [f"{s}.{t}" for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables where table_schema in ('marts', 'analytics') order by all"
    ).fetchall()]


def differences(incremental: BudgetPaths, full: BudgetPaths) -> dict[str, tuple[int, int]]:
    """Relation → (rows only in the incremental build, rows only in the full build), for every relation that differs."""
    found = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{incremental.warehouse}' as incremental (read_only)")
        con.execute(f"attach '{full.warehouse}' as full_build (read_only)")
        con.execute("use incremental")
        names = relations(con)
        con.execute("use full_build")
        assert relations(con) == names
        for name in names:
            columns = [c for (c,) in con.execute(f"select column_name from (describe {name})").fetchall() if c not in VOLATILE]
            listed = ", ".join(f'"{c}"' for c in columns)
            only = [con.execute(f"select count(*) from (select {listed} from {a}.{name} except all select {listed} from {b}.{name})").fetchone()[0]
                    for a, b in (("incremental", "full_build"), ("full_build", "incremental"))]
            if any(only):
                found[name] = tuple(only)
    return found


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """One warehouse built from {tables half, explanation half, W} and then again, incrementally, from
    {explanation half, X}; another built once, fully, from {explanation half, X}. Both share the extract cache."""
    root = tmp_path_factory.mktemp("incremental")
    halves = root / "halves"
    halves.mkdir()
    tables, explanation = split_publication(NATIONAL_PDFS / "gz_xfj_2026_budget.pdf", halves)
    whole_w, whole_x = NATIONAL_PDFS / "sz_xfj_2026_budget.pdf", NATIONAL_PDFS / "suz_sjj_2026_budget.pdf"
    first, second = root / "first", root / "second"
    for folder, pdfs in ((first, (tables, explanation, whole_w)), (second, (explanation, whole_x))):
        folder.mkdir()
        for pdf in pdfs:
            shutil.copy(pdf, folder / pdf.name)
    incremental = BudgetPaths(first, root / "warehouse" / "incremental.duckdb")
    loads = [build(incremental)]
    incremental = BudgetPaths(second, incremental.warehouse)
    loads.append(build(incremental))
    full = BudgetPaths(second, root / "warehouse" / "full.duckdb")
    loads.append(build(full))
    return incremental, full, loads, {p.name: file_to_document_id(p) for p in (tables, explanation, whole_w, whole_x)}


def test_a_build_after_changes_rebuilds_only_the_changed_documents_and_their_partners(builds):
    _, _, (first, second, full), _ = builds
    assert (first["full_refresh"].value, full["full_refresh"].value) == (True, True)
    # The tables half and W went, X came; the explanation half stayed but lost its partner, so it is rebuilt too.
    assert second["full_refresh"].value is False
    assert second["documents_to_rebuild"].value == 4


def test_the_incremental_marts_equal_a_full_build_of_the_same_folder(builds):
    incremental, full, _, ids = builds
    assert differences(incremental, full) == {}
    with duckdb.connect(str(incremental.warehouse), read_only=True) as con:
        kept = dict(con.execute("select document_id, paired_document_id from marts.dim_document").fetchall())
        checks = dict(con.execute(
            "select check_id, status from marts.reconciliation_result where document_id = ? and check_id = 'tables_published'",
            [ids["gz_xfj_2026_budget-explanation.pdf"]]).fetchall())
    assert kept == {ids["gz_xfj_2026_budget-explanation.pdf"]: None, ids["suz_sjj_2026_budget.pdf"]: None}
    # The explanation's partner left: it now says it has no tables to be checked against.
    assert checks == {"tables_published": "fail"}


def test_a_difference_in_one_cell_is_seen(builds):
    """The comparison itself can fail: one amount changed in the full build's copy is one row each way."""
    incremental, full, _, _ = builds
    altered = BudgetPaths(full.raw_dir, full.warehouse.with_name("altered.duckdb"))
    shutil.copy(full.warehouse, altered.warehouse)
    with duckdb.connect(str(altered.warehouse)) as con:
        con.execute("update marts.fct_expenditure set total_yuan = total_yuan + 1 where rowid = "
                    "(select min(rowid) from marts.fct_expenditure where total_yuan is not null)")
    # The analytics views over the facts (in 万元) show the change too.
    assert differences(incremental, altered)["marts.fct_expenditure"] == (1, 1)


def test_only_code_that_shapes_the_warehouse_makes_the_next_build_a_full_refresh():
    sources = {p.relative_to(REPO_ROOT).as_posix() for p in warehouse_sources()}
    assert {"pipelines/staging.py", "pipelines/extracts.py", "pipelines/defs/transform.py"} <= sources
    assert any(s.startswith("dbt_project/models/") for s in sources) and any(s.startswith("dbt_project/seeds/") for s in sources)
    assert not sources & {"pipelines/cli.py", "pipelines/progress.py", "pipelines/accuracy.py"}
    assert not any(s.startswith(("pipelines/report/", "pipelines/bench/", "pipelines/extraction/")) for s in sources)
