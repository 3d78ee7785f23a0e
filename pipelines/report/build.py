"""Build the run report from the published warehouse: pages, charts, provenance pictures and data docs."""

import os
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.paths import BudgetPaths, scan_raw_dir
from pipelines.report import site
from pipelines.report.charts import write_plotly_js
from pipelines.report.compare import budget_vs_final, comparison_years, earlier_documents, year_on_year
from pipelines.report.data import DocumentFigures, document_figures, documents, open_warehouse
from pipelines.report.datadocs import SuiteOutcome, generate_dbt_docs, validation_outcomes
from pipelines.report.provenance import Evidence, prune_pictures, render_pictures


@dataclass(frozen=True)
class ReportOutcome:
    """What a report build produced, for the asset's metadata."""

    index: Path
    documents: int
    pictures: int
    pictures_drawn: int
    document_pages_written: int
    seconds: float
    problems: tuple[str, ...]


def report_dir(paths: BudgetPaths) -> Path:
    """BUDGET_REPORT_DIR, else `report/` beside the warehouse file."""
    configured = os.environ.get("BUDGET_REPORT_DIR")
    return Path(configured).resolve() if configured else paths.warehouse.parent / "report"


def build_report(paths: BudgetPaths, target: Path, with_dbt_docs: bool = True) -> ReportOutcome:
    """Write the whole report into `target`; the data docs' failures are reported on the page, not raised."""
    started = time.perf_counter()
    problems = []
    if with_dbt_docs:
        try:
            generate_dbt_docs(paths.build_path, paths.cache_dir / "report-dbt-docs", target)
        except (OSError, RuntimeError) as exc:
            problems.append(f"dbt docs were not generated: {exc}")
    with open_warehouse(paths.warehouse) as con:
        docs = documents(con)
        # By content hash, not by dim_document.source_file: a file since replaced must not be drawn as the old document.
        pdfs = {document_id: paths.raw_dir / files[0] for document_id, files in scan_raw_dir(paths).items()}
        figures = document_figures(con, [d for d in docs if d.status != "rejected"], set(pdfs))
    suites = suite_outcomes(paths, problems)

    evidence = {e for f in figures for e in _all_evidence(f)}
    drawn = render_pictures(evidence, pdfs, target)
    prune_pictures(target, {e.picture for e in evidence})
    write_plotly_js(target)
    by_id = {f.document.document_id: f for f in figures}
    names, earlier_of = site.document_names(docs), earlier_documents(figures)
    written_with, digests, pages_written = site.read_page_inputs(target), {}, 0
    for f in figures:
        earlier, budget, page = earlier_of[f.document.document_id], by_id.get(f.budget_document_id or ""), site.doc_page(f.document)
        digests[page], wrote = site.write_document(
            target, f, names, f.document.document_id in pdfs, earlier, year_on_year(f, earlier) if earlier else [], budget,
            budget_vs_final(f, budget), written_with.get(page),
        )
        pages_written += wrote
    site.write_page_inputs(target, digests)
    site.prune_document_pages(target, [f.document for f in figures])
    checks = [c for f in figures for c in f.failed_checks]
    site.write_validation(target, suites, docs, checks)
    site.write_index(target, docs, figures, comparison_years(figures), problems)
    return ReportOutcome(
        target / "index.html", len(docs), len(evidence), drawn, pages_written, round(time.perf_counter() - started, 2), tuple(problems),
    )


def suite_outcomes(paths: BudgetPaths, problems: list[str]) -> list[SuiteOutcome]:
    """The suites' recorded verdicts: internal layers, which only the build copy holds (the published file has none)."""
    if not paths.build_path.exists():
        problems.append(f"validation results were not shown: no build copy of the warehouse at {paths.build_path}")
        return []
    with open_warehouse(paths.build_path) as con:
        return validation_outcomes(con)


def _all_evidence(f: DocumentFigures) -> list[Evidence]:
    """Every picture a document's page links to."""
    figures = [f.total, f.basic, f.project, *f.revenue, *f.revenue_children]
    figures += [x for c in f.function_classes + f.economic_classes for x in (c.total, c.basic, c.project)]
    figures += [x for by_category in f.three_public.values() for x in by_category.values()]
    return [e for x in figures for e in x.evidence] + [e for c in f.failed_checks for e in c.evidence]
