"""The run_report asset inside the real graph: the report of the sample, built by the session's pipeline run."""

import re

import dagster as dg

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
        link = re.search(rf'<a class="amount" href="(provenance/[^"]+\.png)" title="第 1[12] 页">{re.escape(printed)}</a>', page)
        assert link and (target / link.group(1)).is_file(), printed


def test_the_sample_report_has_both_data_docs(built):
    paths, _ = built
    target = report_dir(paths)
    assert "reconciliation_result" in (target / DBT_DOCS).read_text(encoding="utf-8")
    validation = (target / "great-expectations" / "index.html").read_text(encoding="utf-8")
    assert validation.count('<h2 id="') >= 16 and "fail</span>" not in validation
