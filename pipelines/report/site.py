"""The report's HTML pages, written from Jinja templates."""

from datetime import datetime, timezone
from pathlib import Path

import jinja2

from pipelines.report.charts import PLOTLY_JS, bar_chart, format_wan, grouped_bar_chart, pie_chart
from pipelines.report.compare import Change
from pipelines.report.data import THREE_PUBLIC_LABELS, Document, DocumentFigures, FailedCheck, Figure
from pipelines.report.datadocs import DBT_DOCS, SuiteOutcome

VALIDATION = "great-expectations/index.html"
DOCUMENT_TYPES = {"budget": "预算", "final_account": "决算"}
SCOPES = {"department": "部门", "unit": "单位"}
# Parts of 三公经费 charted side by side; the totals and 机关运行经费 (another scale) are in the table only.
THREE_PUBLIC_PARTS = ("overseas_travel", "reception", "vehicle_purchase", "vehicle_operation")

_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=jinja2.select_autoescape(["j2"]),
    undefined=jinja2.StrictUndefined,
)
_templates.filters["wan"] = format_wan


def doc_page(document: Document) -> str:
    return f"doc-{document.slug}.html"


def prune_document_pages(report_dir: Path, documents: list[Document]) -> None:
    """Remove the pages of documents no longer in the warehouse."""
    keep = {doc_page(d) for d in documents}
    for path in report_dir.glob("doc-*.html"):
        if path.name not in keep:
            path.unlink()


def _write(path: Path, html: str) -> None:
    """Readers of the folder see a whole page or the previous one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_text(html, encoding="utf-8")
    partial.replace(path)


def _render(report_dir: Path, page: str, template: str, **context) -> None:
    root = "../" * page.count("/")
    common = {
        "root": root, "plotly_js": PLOTLY_JS, "dbt_docs": DBT_DOCS, "validation": VALIDATION, "doc_page": doc_page,
        "document_types": DOCUMENT_TYPES, "scopes": SCOPES, "uses_plotly": False,
        "generated_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    _write(report_dir / page, _templates.get_template(template).render(**{**common, **context}))


def _names(documents: list[Document]) -> dict[str, str]:
    return {d.document_id: f"{d.entity_name or d.source_file} {d.fiscal_year or ''}".strip() for d in documents}


def document_charts(f: DocumentFigures) -> dict[str, str]:
    """The five charts of a document page."""
    years = {f"{year}年": [by_category.get(c, Figure(THREE_PUBLIC_LABELS[c], None)) for c in THREE_PUBLIC_PARTS] for year, by_category in f.three_public.items()}
    parts = [Figure(THREE_PUBLIC_LABELS[c], None) for c in THREE_PUBLIC_PARTS]
    return {
        "function": bar_chart("function-plot", "支出按功能分类（类）", [c.total for c in f.function_classes]),
        "economic": bar_chart("economic-plot", "支出按经济分类（类）", [c.total for c in f.economic_classes]),
        "basic_project": pie_chart("basic-project-plot", "基本支出与项目支出", [f.basic, f.project]),
        "revenue": bar_chart("revenue-plot", "收入按资金来源", f.revenue),
        "three_public": grouped_bar_chart("three-public-plot", "“三公”经费", years or {"": parts}),
    }


def comparison_chart(year: int, group: list[DocumentFigures]) -> str:
    """基本 and 项目 stacked, one bar per entity of the year."""
    series = {
        label: [Figure(f.document.entity_name or f.document.source_file, getattr(f, measure).amount_yuan, getattr(f, measure).evidence) for f in group]
        for label, measure in (("基本支出", "basic"), ("项目支出", "project"))
    }
    return grouped_bar_chart(f"comparison-{year}-plot", f"{year} 年度各单位支出", series, stacked=True)


def write_index(report_dir: Path, documents: list[Document], figures: list[DocumentFigures], comparisons: dict[int, list[DocumentFigures]], problems: list[str]) -> None:
    counts: dict[str, int] = {}
    for d in documents:
        counts[d.status] = counts.get(d.status, 0) + 1
    _render(
        report_dir, "index.html", "index.html.j2",
        documents=documents, counts=counts, names=_names(documents), problems=problems,
        failed_checks=[c for f in figures for c in f.failed_checks], comparisons=comparisons,
        uses_plotly=bool(comparisons), comparison_charts={year: comparison_chart(year, group) for year, group in comparisons.items()},
    )


def write_document(report_dir: Path, f: DocumentFigures, documents: list[Document], has_pdf: bool, earlier: DocumentFigures | None, changes: list[Change]) -> None:
    _render(
        report_dir, doc_page(f.document), "document.html.j2",
        f=f, uses_plotly=True, charts=document_charts(f), names=_names(documents), has_pdf=has_pdf, earlier=earlier, changes=changes,
        three_public_labels=THREE_PUBLIC_LABELS,
    )


def write_validation(report_dir: Path, suites: list[SuiteOutcome], documents: list[Document], checks: list[FailedCheck]) -> None:
    _render(
        report_dir, VALIDATION, "validation.html.j2",
        suites=suites, names=_names(documents), checks={(c.document_id, c.check_id, c.subject): c for c in checks},
    )
