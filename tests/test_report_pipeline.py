"""The run_report asset inside the real graph: the report of the sample, built by the session's pipeline run."""

import re

import dagster as dg
import duckdb

from pipelines.report import report_dir
from pipelines.report.datadocs import DBT_DOCS

# The sample's 7 功能分类 类 of 表三, in 万元 as printed.
SAMPLE_FUNCTION_CLASSES = ("4.58", "6.00", "14,973.81", "196.14", "35.52", "9.40", "352.07")


def test_run_report_is_materialised_after_the_publish(built):
    paths, result = built
    materialisations = [e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey("run_report")]
    assert len(materialisations) == 1
    metadata = materialisations[0].materialization.metadata
    assert metadata["documents"].value == 1 and metadata["pictures"].value > 30
    assert (report_dir(paths) / "index.html").is_file()


def test_the_sample_report_links_every_class_to_its_printed_cell(built):
    paths, _ = built
    target = report_dir(paths)
    page = next(target.glob("doc-*.html")).read_text(encoding="utf-8")
    for printed in SAMPLE_FUNCTION_CLASSES:
        link = re.search(rf'<a class="amount" href="(provenance/[^"]+/p01[12]-[^"]+\.png)" title="[^"]*第 1[12] 页[^"]*">{re.escape(printed)}</a>', page)
        assert link and (target / link.group(1)).is_file(), printed


def test_the_sample_report_has_both_data_docs(built):
    paths, _ = built
    target = report_dir(paths)
    assert "reconciliation_result" in (target / DBT_DOCS).read_text(encoding="utf-8")
    validation = (target / "great-expectations" / "index.html").read_text(encoding="utf-8")
    assert validation.count('<h2 id="') >= 16 and "fail</span>" not in validation


def test_each_side_of_every_comparison_is_the_printed_figures_it_names(built):
    """int_check_comparisons' sides, carried into reconciliation_result: the expected cell prints the expected amount on its
    page; the actual side's cells (rows × columns) add up to the actual amount on its pages, or its sentence states it."""
    paths, _ = built
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        compared = con.execute("select count(*) from marts.reconciliation_result where status <> 'not_applicable'").fetchone()[0]
        expected = con.execute("""
            select r.check_id, r.subject
            from marts.reconciliation_result as r
            left join marts.printed_cell as c
                on c.document_id = r.document_id and c.table_key = r.expected_source and c.row_number = r.expected_row_number
                and c.column_key = r.expected_column_key
            where r.status <> 'not_applicable'
                and (c.page is distinct from r.expected_page or c.amount_yuan is distinct from r.expected_yuan or r.expected_label is null)""").fetchall()
        actual = con.execute("""
            with sides as (
                select document_id, check_id, subject, actual_yuan, actual_pages, actual_source, actual_column_keys, unnest(actual_row_numbers) as row_number,
                    len(actual_row_numbers) * len(actual_column_keys) as cells
                from marts.reconciliation_result
                where status <> 'not_applicable' and actual_source <> 'narrative'
            )
            select s.document_id, s.check_id, s.subject
            from sides as s
            left join marts.printed_cell as c
                on c.document_id = s.document_id and c.table_key = s.actual_source and c.row_number = s.row_number
                and list_contains(s.actual_column_keys, c.column_key)
            group by all
            having sum(c.amount_yuan) is distinct from any_value(s.actual_yuan) or count(c.page) <> any_value(s.cells)
                or not bool_and(list_contains(s.actual_pages, c.page))""").fetchall()
        prose = con.execute("""
            select r.check_id, r.subject
            from marts.reconciliation_result as r
            where r.actual_source = 'narrative' and not exists (
                select 1 from marts.fct_narrative_figure as n
                where n.document_id = r.document_id and n.snippet = r.actual_label and n.amount_yuan = r.actual_yuan and [n.page] = r.actual_pages)""").fetchall()
        narrated = con.execute("select count(*) from marts.reconciliation_result where actual_source = 'narrative'").fetchone()[0]
    assert compared > 300 and narrated > 5
    assert expected == [] and actual == [] and prose == []
