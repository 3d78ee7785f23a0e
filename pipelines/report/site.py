"""The report's HTML pages, written from Jinja templates."""

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import jinja2

from pipelines.report.charts import PLOTLY_JS, bar_chart, format_wan, grouped_bar_chart, pie_chart
from pipelines.report.compare import Change
from pipelines.report.data import DOCUMENT_TYPES, THREE_PUBLIC_LABELS, CheckSide, Document, DocumentFigures, FailedCheck, Figure
from pipelines.report.datadocs import DBT_DOCS, SuiteOutcome
from pipelines.version import report_version

VALIDATION = "great-expectations/index.html"
# Each document page's input digest when it was last written: a rerun rewrites only the pages whose inputs changed.
PAGE_INPUTS = ".page-inputs.json"
_TEMPLATE_DIR = Path(__file__).parent / "templates"
SCOPES = {"department": "部门", "unit": "单位"}
# Parts of 三公经费 charted side by side; the totals and 机关运行经费 (another scale) are in the table only.
THREE_PUBLIC_PARTS = ("overseas_travel", "reception", "vehicle_purchase", "vehicle_operation")

_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(_TEMPLATE_DIR),
    autoescape=jinja2.select_autoescape(["j2"]),
    undefined=jinja2.StrictUndefined,
)
_templates.filters["wan"] = format_wan

# Where a side of a check is printed, in a sentence: (table form, prose form) per language.
_WHERE = {
    "zh": ("{item}（{table}，第{pages}页）", "“{item}”（说明，第{pages}页）"),
    "en": ("{item} ({table}, p.{pages})", "“{item}” (narrative, p.{pages})"),
}
_PAGE_SEPARATOR = {"zh": "、", "en": ", "}
_NOT_PRINTED = {"zh": "未列示", "en": "not printed"}


def side_reference(side: CheckSide, language: str) -> str:
    """A side of a check as a sentence names it, e.g. 总计 · 收入/决算数 (表四, p.13)."""
    table_form, prose_form = _WHERE[language]
    pages = _PAGE_SEPARATOR[language].join(str(p) for p in side.pages)
    return (prose_form if side.in_prose else table_form).format(item=side.item, table=side.table or "", pages=pages)


def _amount(amount_yuan, language: str) -> str:
    return f"{format_wan(amount_yuan)} 万元" if amount_yuan is not None else _NOT_PRINTED[language]


def check_sentence(check: FailedCheck, language: str) -> str:
    """A failed comparison in plain words, from its check's sentence template (seed `checks`)."""
    template = check.wording.sentence_zh if language == "zh" else check.wording.sentence_en
    return template.format(
        expected=side_reference(check.expected, language), actual=side_reference(check.actual, language),
        expected_amount=_amount(check.expected.figure.amount_yuan, language), actual_amount=_amount(check.actual.figure.amount_yuan, language),
        difference=format_wan(abs(check.difference_yuan)) if check.difference_yuan is not None else "—",
        tolerance=format_wan(check.tolerance_yuan), parts=check.parts,
    )


def plain_reason(document: Document, checks: list[FailedCheck]) -> str | None:
    """Why a flagged document is flagged, in words: its status_reason names checks as an engineer writes them."""
    errors = [c for c in checks if c.severity == "error"]
    if document.status != "flagged" or not errors:
        return document.status_reason
    titles = list(dict.fromkeys(c.wording for c in errors))
    return (f"{len(errors)} 项检查未通过：" + "；".join(t.title_zh for t in titles)
            + f" — {len(errors)} failed check(s): " + "; ".join(t.title_en for t in titles))


def doc_page(document: Document) -> str:
    return doc_page_of(document.document_id)


def doc_page_of(document_id: str) -> str:
    return f"doc-{document_id[:16]}.html"


# The macros use them: imported macros see the environment's globals, not the page's context.
_templates.globals.update(check_sentence=check_sentence, doc_page_of=doc_page_of)


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


def document_names(documents: list[Document]) -> dict[str, str]:
    """Each document's name on the pages: computed once per report, not once per page."""
    return {d.document_id: f"{d.entity_name or d.source_file} {d.fiscal_year or ''}".strip() for d in documents}


def inputs_to_digest(context: dict) -> str:
    """What a page is made from, the report's code and templates included; reprs of the frozen dataclasses the report
    reads are stable."""
    return hashlib.sha256(f"{report_version()}|{sorted(context.items())!r}".encode()).hexdigest()


def read_page_inputs(report_dir: Path) -> dict[str, str]:
    path = report_dir / PAGE_INPUTS
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_page_inputs(report_dir: Path, digests: dict[str, str]) -> None:
    _write(report_dir / PAGE_INPUTS, json.dumps(digests, sort_keys=True))


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
    checks = {f.document.document_id: f.failed_checks for f in figures}
    _render(
        report_dir, "index.html", "index.html.j2",
        documents=documents, counts=counts, names=document_names(documents), problems=problems,
        reasons={d.document_id: plain_reason(d, checks.get(d.document_id, [])) for d in documents},
        failed_checks=[c for f in figures for c in f.failed_checks], comparisons=comparisons,
        uses_plotly=bool(comparisons), comparison_charts={year: comparison_chart(year, group) for year, group in comparisons.items()},
    )


def write_document(
    report_dir: Path, f: DocumentFigures, names: dict[str, str], has_pdf: bool, earlier: DocumentFigures | None, changes: list[Change],
    budget: DocumentFigures | None, budget_lines: list[Change], written_digest: str | None,
) -> tuple[str, bool]:
    """The page's input digest, and whether the page was written: not when its digest is the one it was written with."""
    # Only the names the page prints: another document arriving must not change every page's inputs.
    names = {c.document_id: names[c.document_id] for c in f.failed_checks}
    context = dict(
        f=f, names=names, has_pdf=has_pdf, earlier=earlier, changes=changes, budget=budget, budget_lines=budget_lines,
    )
    digest = inputs_to_digest(context)
    page = doc_page(f.document)
    if digest == written_digest and (report_dir / page).exists():
        return digest, False
    _render(
        report_dir, page, "document.html.j2", **context, uses_plotly=True, charts=document_charts(f),
        three_public_labels=THREE_PUBLIC_LABELS, reason=plain_reason(f.document, f.failed_checks),
    )
    return digest, True


def write_validation(report_dir: Path, suites: list[SuiteOutcome], documents: list[Document], checks: list[FailedCheck]) -> None:
    _render(
        report_dir, VALIDATION, "validation.html.j2",
        suites=suites, names=document_names(documents), documents={d.document_id: d for d in documents},
        checks={(c.document_id, c.check_id, c.subject): c for c in checks},
    )
