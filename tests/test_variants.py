"""Property (issue 11): odd or broken documents beside the good sample never break the build, never change the
sample's rows, and each gets a status with a reason.

One variant of each kind (seed 0, pipelines.fixtures.variants) and the office-made fixtures are built through the
real Dagster graph in one warehouse beside the sample, and compared with the sample built alone (conftest's `built`);
`python -m pipelines.fixtures.variants --out DIR --count K --build` builds a larger set one by one.
"""

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import defs
from pipelines.defs.extract import document_extract, documents_partitions
from pipelines.extraction import ExtractionSettings, extract_document, load_profiles
from pipelines.extraction.document import tables_not_printed
from pipelines.extracts import range_tags
from pipelines.defs.resources import BudgetPathsResource
from pipelines.fixtures.office import office_documents, render_documents
from pipelines.fixtures.variants import KINDS, SAMPLE_PDF, document_marts, document_status, generate, marts_changes
from pipelines.paths import BudgetPaths, file_to_document_id

SEED = 0
OFFICE = ("office-shenzhen", "office-shanghai")
# What the odd but valid variants must come out as: a reason names what is odd where the document is doubtful.
EXPECTED = {
    "two_merged": ("flagged", "two disclosures in one file"),
    "rotated_content": ("flagged", "turned on its side"),
    "byte_flips": ("rejected", "damaged"),
    "truncated": ("rejected", ""),
}


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    folder = tmp_path_factory.mktemp("variants")
    return folder, {v.kind: v for v in generate(folder, SEED)}


@pytest.fixture(scope="module")
def members(variants, tmp_path_factory) -> dict[str, Path]:
    """Every document built beside the sample: the variants by kind and the office-made fixtures by name."""
    folder, made = variants
    office = {pdf.stem: pdf for pdf in render_documents(office_documents(), tmp_path_factory.mktemp("office"))}
    return {**{kind: folder / f"{v.name}.pdf" for kind, v in made.items()}, **office}


def build(root, pdfs) -> tuple[BudgetPaths, dg.ExecuteInProcessResult]:
    """The sample and `pdfs` materialised through the whole graph into a fresh warehouse: the extraction as one run
    over the range of partitions (as the CLI's and the sensor's runs cover them), then everything else."""
    paths = BudgetPaths(root / "raw", root / "warehouse" / "budget.duckdb")
    paths.raw_dir.mkdir(parents=True)
    for pdf in (SAMPLE_PDF, *pdfs):
        shutil.copy(pdf, paths.raw_dir / pdf.name)
    ids = sorted({file_to_document_id(p) for p in paths.raw_dir.iterdir()})
    instance = dg.DagsterInstance.ephemeral()
    resources = {**defs.resources, "budget_paths": BudgetPathsResource(raw_dir=str(paths.raw_dir), warehouse=str(paths.warehouse))}
    instance.add_dynamic_partitions(documents_partitions.name, ids)
    extraction = dg.materialize(list(defs.assets), selection=[document_extract], instance=instance, resources=resources,
                                tags=range_tags(ids[0], ids[-1]))
    assert extraction.success
    rest = dg.AssetSelection.all() - dg.AssetSelection.assets(document_extract)
    return paths, dg.materialize(list(defs.assets), selection=rest, instance=instance, resources=resources, raise_on_error=False)


@pytest.fixture(scope="module")
def variant_build(tmp_path_factory, members):
    """Every member in one warehouse beside the sample."""
    return build(tmp_path_factory.mktemp("variant-build"), list(members.values()))


def test_every_kind_is_generated_deterministically(variants, tmp_path):
    folder, made = variants
    assert set(made) == set(KINDS)
    again = {v.kind: v for v in generate(tmp_path, SEED)}
    assert again == made
    for variant in made.values():
        assert (tmp_path / f"{variant.name}.pdf").read_bytes() == (folder / f"{variant.name}.pdf").read_bytes(), variant.kind
        assert variant.description


def test_the_build_publishes(variant_build):
    paths, result = variant_build
    assert result.success
    assert paths.warehouse.exists()


def test_the_sample_rows_are_those_of_a_build_without_the_variants(variant_build, built):
    (paths, _), (alone, _) = variant_build, built
    sample = file_to_document_id(SAMPLE_PDF)
    assert marts_changes(document_marts(alone.warehouse, sample), document_marts(paths.warehouse, sample)) == ()


@pytest.mark.parametrize("key", (*KINDS, *OFFICE))
def test_every_variant_has_a_status_and_a_reason(members, variant_build, key):
    paths, _ = variant_build
    status = document_status(paths.warehouse, file_to_document_id(members[key]))
    assert status is not None, f"{members[key].name}: no row in dim_document"
    assert status[0] in ("loaded", "flagged", "rejected")
    assert status[0] == "loaded" or status[1], f"{status[0]} without a reason"


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_a_doubtful_variant_says_why(members, variant_build, kind):
    status, reason = document_status(variant_build[0].warehouse, file_to_document_id(members[kind]))
    assert status == EXPECTED[kind][0] and EXPECTED[kind][1] in (reason or ""), (status, reason)


def test_odd_but_valid_tables_are_modelled(members, variant_build):
    """A 三公 or revenue table of several units keeps each unit; a 项 split over two rows sums; a table printed twice
    counts once."""
    paths, _ = variant_build
    kinds = ("three_public_units", "revenue_units", "duplicate_code", "table_twice")
    ids = {kind: file_to_document_id(members[kind]) for kind in kinds}
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        units = con.execute("select count(distinct unit_name) from marts.fct_three_public_unit where document_id = ?",
                            [ids["three_public_units"]]).fetchone()[0]
        summed = con.execute("select status from marts.reconciliation_result where document_id = ? and check_id = 'three_public_units_sum'",
                             [ids["three_public_units"]]).fetchall()
        revenue_units = con.execute("select count(distinct unit_name) from marts.fct_revenue_unit where document_id = ?",
                                    [ids["revenue_units"]]).fetchone()[0]
        revenue_summed = con.execute("select status from marts.reconciliation_result where document_id = ? and check_id = 'revenue_units_sum'",
                                     [ids["revenue_units"]]).fetchall()
        repeats = con.execute("select distinct status from marts.reconciliation_result where document_id = ? and check_id = 'repeated_rows_agree'",
                              [ids["duplicate_code"]]).fetchall()
    assert units == 2 and summed and {s for (s,) in summed} == {"pass"}
    assert revenue_units == 2 and revenue_summed and {s for (s,) in revenue_summed} == {"pass"}
    assert repeats in ([("pass",)], [("not_applicable",)])
    assert document_status(paths.warehouse, ids["table_twice"]) == ("loaded", None)


def test_a_wrapped_cover_caption_names_the_whole_entity(variants, members, variant_build):
    """The cover's 预算主管部门：… wraps the office's name onto a second line; the warehouse holds the whole name."""
    paths, _ = variant_build
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        name, region = con.execute("select entity_name, region from marts.dim_document where document_id = ?",
                                   [file_to_document_id(members["wrapped_cover_entity"])]).fetchone()
    assert variants[1]["wrapped_cover_entity"].description.endswith(f"the entity is {name}") and name.endswith("街道办事处")
    assert name.startswith(region) and region.endswith("区")


def test_a_table_left_out_of_the_numbered_tables_is_not_expected(members, variant_build):
    """A template without one of the standard tables numbers the rest on without a gap: the table is not expected of
    the document, so not missing; with a gap in the numbers (a table unread), nothing is said to be left out."""
    extract = extract_document(members["table_left_out"])
    profile = next(p for p in load_profiles(ExtractionSettings().seed_dir) if p.layout == extract.layout)
    assert len(extract.not_printed) == 1 and extract.not_printed[0] in ("gov_fund", "state_capital", "superior_transfer")
    assert extract.tables_found == extract.expected_tables == len(profile.expected_tables) - 1
    unread = [t for t in extract.tables if t.number != 5]
    assert tables_not_printed(profile, unread, set()) == ()
    with duckdb.connect(str(variant_build[0].warehouse), read_only=True) as con:
        counts = con.execute("select expected_tables, tables_found from marts.dim_document where document_id = ?",
                             [file_to_document_id(members["table_left_out"])]).fetchone()
    assert counts == (extract.expected_tables, extract.tables_found)


def test_padded_header_cells_are_read_as_one_column(members, variant_build):
    """Word's empty slivers beside each 合计, 基本支出 and 项目支出 header cell of 支出预算总表: the figures under the
    whole cells are read in those columns, as the unpadded 一般公共预算 function table prints them."""
    with duckdb.connect(str(variant_build[0].warehouse), read_only=True) as con:
        rows = con.execute(
            "select fund_scope, subject_code, total_yuan, basic_yuan, project_yuan from marts.fct_expenditure "
            "where document_id = ? and classification = 'function' order by all",
            [file_to_document_id(members["padded_header_cells"])],
        ).fetchall()
    by_scope = {scope: [row[1:] for row in rows if row[0] == scope] for scope in ("all_funds", "general_public_budget")}
    assert by_scope["all_funds"] and by_scope["all_funds"] == by_scope["general_public_budget"]
    assert all(None not in row for row in by_scope["all_funds"])
    assert document_status(variant_build[0].warehouse, file_to_document_id(members["padded_header_cells"])) == ("loaded", None)


def test_a_revenue_table_listing_its_fund_sources_one_a_row_is_modelled(members, variant_build):
    """收入预算总表 printing its fund sources one a row (项目 | 金额) gives fct_revenue what a table printing them one a
    column gives: each source named by its row label, 事业收入 … named under 其他资金 (merged down over its 小计), and a
    total that is the summary table's and the sum of the sources."""
    document = file_to_document_id(members["revenue_rows"])
    with duckdb.connect(str(variant_build[0].warehouse), read_only=True) as con:
        revenue = dict(con.execute("select fund_source_code, amount_yuan from marts.fct_revenue where document_id = ?", [document]).fetchall())
        checks = con.execute(
            "select distinct check_id, status from marts.reconciliation_result where document_id = ? "
            "and check_id in ('revenue_matches_summary', 'fund_sources_sum') order by all",
            [document],
        ).fetchall()
    assert set(revenue) == {"fiscal_appropriation", "other_funds", "business_income", "operating_income", "other_income"}
    assert revenue["fiscal_appropriation"] > 0
    assert revenue["other_funds"] == revenue["business_income"] + revenue["operating_income"] + revenue["other_income"]
    assert checks == [("fund_sources_sum", "pass"), ("revenue_matches_summary", "pass")]
    assert document_status(variant_build[0].warehouse, document) == ("loaded", None)
