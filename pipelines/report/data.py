"""What the report shows, read from the published warehouse (read-only), each figure with the cells it was printed in."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.report.provenance import NUMBER, Box, Evidence, find_text, span

# 三公经费 categories in the order the tables print them, by their full names (each layout abbreviates its headers differently).
THREE_PUBLIC_LABELS = {
    "total": "“三公”经费合计",
    "overseas_travel": "因公出国（境）费",
    "reception": "公务接待费",
    "vehicle_total": "公务用车购置及运行费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "admin_operation": "机关运行经费",
}
# Fund scopes whose expenditure table stands for the whole document, best first.
SCOPE_PREFERENCE = ("all_funds", "general_public_budget")


@dataclass(frozen=True)
class Figure:
    """A number the report shows, with the pictures of where it is printed."""

    label: str
    amount_yuan: Decimal | None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Document:
    """One row of `marts.dim_document`."""

    document_id: str
    source_file: str
    fiscal_year: int | None
    document_type: str | None
    scope: str | None
    entity_name: str | None
    region: str | None
    status: str
    status_reason: str | None

    @property
    def slug(self) -> str:
        return self.document_id[:16]


@dataclass(frozen=True)
class ClassRow:
    """One 类 (level-1 subject) of an expenditure table."""

    code: str
    name: str
    total: Figure
    basic: Figure
    project: Figure


@dataclass(frozen=True)
class FailedCheck:
    """One failing comparison of `marts.reconciliation_result`."""

    document_id: str
    check_id: str
    severity: str
    subject: str
    expected: Figure
    actual: Figure
    difference_yuan: Decimal | None
    tolerance_yuan: Decimal | None
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class DocumentFigures:
    """Everything the report shows about one loaded or flagged document."""

    document: Document
    function_title: str
    function_classes: list[ClassRow]
    economic_title: str
    economic_classes: list[ClassRow]
    revenue: list[Figure]
    revenue_children: list[Figure]
    total: Figure
    basic: Figure
    project: Figure
    three_public: dict[int, dict[str, Figure]]
    failed_checks: list[FailedCheck]

    def three_public_total(self) -> Figure:
        """This year's 三公经费 total (a table may print last year's beside it)."""
        year = self.three_public.get(self.document.fiscal_year or 0, {})
        return year.get("total", Figure(THREE_PUBLIC_LABELS["total"], None))


@dataclass(frozen=True)
class _Target:
    """A printed cell a figure comes from: key of the figure, and the cell's table, row and column."""

    key: str
    table_key: str
    row_number: int
    column_key: str


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """Read-only: the report never holds a write lock on the file BI tools read."""
    return duckdb.connect(str(path), read_only=True)


def documents(con: duckdb.DuckDBPyConnection) -> list[Document]:
    """Every document of the warehouse, latest year first."""
    columns = ", ".join(Document.__dataclass_fields__)
    rows = _records(con, f"select {columns} from marts.dim_document order by fiscal_year desc nulls last, entity_name, source_file")
    return [Document(**row) for row in rows]


def _cell_evidence(con: duckdb.DuckDBPyConnection, document_id: str, targets: list[_Target]) -> dict[str, tuple[Evidence, ...]]:
    """Per figure key, one picture per page: the table's region on that page, the figure's rows and cells marked."""
    if not targets:
        return {}
    frame = pd.DataFrame([t.__dict__ for t in targets], columns=["key", "table_key", "row_number", "column_key"])
    con.register("report_targets", frame)
    try:
        found = _records(con, """
            with regions as (
                select table_key, page, min(x0) as rx0, min(y0) as ry0, max(x1) as rx1, max(y1) as ry1
                from marts.printed_cell where document_id = ? and x0 is not null group by all
            )
            select t.key, c.page, c.x0, c.y0, c.x1, c.y1, c.column_key = t.column_key as is_target, r.rx0, r.ry0, r.rx1, r.ry1
            from report_targets as t
            inner join marts.printed_cell as c
                on c.document_id = ? and c.table_key = t.table_key and c.row_number = t.row_number and c.x0 is not null
            inner join regions as r on r.table_key = c.table_key and r.page = c.page
            order by t.key, c.page""", [document_id, document_id])
    finally:
        con.unregister("report_targets")
    by_page: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for row in found:
        by_page[row["key"], row["page"]].append(row)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for (key, page), rows in by_page.items():
        cells = tuple(dict.fromkeys(Box(r["x0"], r["y0"], r["x1"], r["y1"]) for r in rows if r["is_target"]))
        if not cells:
            continue  # the row continues on this page, but the figure's own cell is printed elsewhere
        region = span([Box(r["rx0"], r["ry0"], r["rx1"], r["ry1"]) for r in rows])
        row = span([Box(r["x0"], r["y0"], r["x1"], r["y1"]) for r in rows])
        evidence[key].append(Evidence(document_id, page, region, rows=(row,), cells=cells))
    return {key: tuple(items) for key, items in evidence.items()}


def _level_one(con: duckdb.DuckDBPyConnection, document_id: str, classification: str) -> tuple[str, list[dict]]:
    """The 类 rows of the document's broadest expenditure table for a classification, and that table's printed title."""
    rows = _records(con, """
        select e.fund_scope, e.subject_code, e.subject_name, e.total_yuan, e.basic_yuan, e.project_yuan, e.table_key, e.row_number,
            (select any_value(c.table_title) from marts.printed_cell as c where c.document_id = e.document_id and c.table_key = e.table_key) as title
        from marts.fct_expenditure as e
        where e.document_id = ? and e.classification = ? and e.level = 1
        order by e.subject_code""", [document_id, classification])
    for scope in SCOPE_PREFERENCE:
        chosen = [r for r in rows if r["fund_scope"] == scope]
        if chosen:
            return chosen[0]["title"] or "", chosen
    return "", []


def _class_rows(rows: list[dict], evidence: dict[str, tuple[Evidence, ...]], prefix: str) -> list[ClassRow]:
    def figure(row: dict, measure: str, label: str) -> Figure:
        amount = row[f"{measure}_yuan"]
        if measure == "total" and amount is None:
            measure, amount = "basic", row["basic_yuan"]  # tables of 基本支出 only print no 合计 column
        return Figure(label, amount, evidence.get(f"{prefix}:{row['subject_code']}:{measure}", ()))

    return [
        ClassRow(r["subject_code"], r["subject_name"], figure(r, "total", r["subject_name"]), figure(r, "basic", "基本支出"), figure(r, "project", "项目支出"))
        for r in rows
    ]


def _class_targets(rows: list[dict], prefix: str) -> list[_Target]:
    return [
        _Target(f"{prefix}:{r['subject_code']}:{measure}", r["table_key"], r["row_number"], measure)
        for r in rows for measure in ("total", "basic", "project")
    ]


def _revenue(con: duckdb.DuckDBPyConnection, document_id: str) -> tuple[list[dict], list[_Target]]:
    """Non-zero fund sources of the revenue table's own total row, each matched to the cell it is printed in."""
    rows = _records(con, """
        select r.fund_source_code, r.amount_yuan, s.name, s.parent_code, c.table_key, c.row_number, c.header_label
        from marts.fct_revenue as r
        left join marts.dim_fund_source as s using (fund_source_code)
        left join marts.printed_cell as c
            on c.document_id = r.document_id and c.page = r.page and c.column_key = r.fund_source_code and c.amount_yuan = r.amount_yuan
        where r.document_id = ? and r.amount_yuan <> 0
        qualify row_number() over (partition by r.fund_source_code order by c.row_number) = 1
        order by s.parent_code nulls first, r.amount_yuan desc""", [document_id])
    targets = [_Target(f"revenue:{r['fund_source_code']}", r["table_key"], r["row_number"], r["fund_source_code"]) for r in rows if r["table_key"]]
    return rows, targets


def _three_public(con: duckdb.DuckDBPyConnection, document_id: str) -> tuple[list[dict], list[_Target]]:
    """三公经费 by year and category; a table printing several years has a 年度 cell that must name the year."""
    rows = _records(con, """
        with cells as (
            select c.*, y.printed as year_label
            from marts.printed_cell as c
            left join marts.printed_cell as y
                on y.document_id = c.document_id and y.table_key = c.table_key and y.row_number = c.row_number and y.column_key = 'year_label'
            where c.document_id = ?
        )
        select t.fiscal_year, t.category, t.amount_yuan, t.page, c.table_key, c.row_number, c.header_label
        from marts.fct_three_public as t
        left join cells as c
            on c.page = t.page and c.column_key = t.category and c.amount_yuan = t.amount_yuan
            and (c.year_label is null or c.year_label like t.fiscal_year || '%')
        where t.document_id = ?
        qualify row_number() over (partition by t.fiscal_year, t.category order by c.row_number) = 1
        order by t.fiscal_year""", [document_id, document_id])
    targets = [_Target(f"three_public:{r['fiscal_year']}:{r['category']}", r["table_key"], r["row_number"], r["category"]) for r in rows if r["table_key"]]
    return rows, targets


def _printed_label(header_label: str | None, fallback: str) -> str:
    """The most specific level of a printed multi-level header that names something: 一般公共预算拨款/小计 → 一般公共预算拨款."""
    levels = [level for level in (header_label or "").split("/") if level not in ("小计", "合计") and not NUMBER.fullmatch(level)]
    return levels[-1] if levels else fallback


def _narrative_evidence(con: duckdb.DuckDBPyConnection, document: Document, pdf: Path | None, figure_key: str, page: int) -> tuple[Evidence, ...]:
    """A figure stated in the prose: its sentence marked on the whole page."""
    if pdf is None:
        return ()
    snippets = _records(con, "select snippet from marts.fct_narrative_figure where document_id = ? and figure_key = ? and page = ?", [document.document_id, figure_key, page])
    marks = find_text(pdf, page, snippets[0]["snippet"]) if snippets and snippets[0]["snippet"] else ()
    return (Evidence(document.document_id, page, None, cells=marks),)


def _merge_pages(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """One picture per page for a figure summed from several rows: their regions joined, all rows and cells marked."""
    by_page: dict[int, list[Evidence]] = defaultdict(list)
    for item in evidence:
        by_page[item.page].append(item)
    return tuple(
        Evidence(
            items[0].document_id, page, span([i.region for i in items if i.region]) if all(i.region for i in items) else None,
            rows=tuple(b for i in items for b in i.rows), cells=tuple(b for i in items for b in i.cells),
        )
        for page, items in sorted(by_page.items())
    )


def _sum(figures: list[Figure], label: str) -> Figure:
    """A total of printed figures (None when none is printed), shown with all the cells it adds up."""
    amounts = [f.amount_yuan for f in figures if f.amount_yuan is not None]
    evidence = _merge_pages(tuple(e for f in figures for e in f.evidence))
    return Figure(label, sum(amounts, Decimal(0)) if amounts else None, evidence)


def _revenue_figures(rows: list[dict], evidence: dict[str, tuple[Evidence, ...]]) -> tuple[list[Figure], list[Figure]]:
    """Fund sources labelled as their table prints them: top-level ones, and the finer ones (e.g. 基本支出拨款)."""
    top, finer = [], []
    for row in rows:
        label = _printed_label(row["header_label"], row["name"] or row["fund_source_code"])
        figure = Figure(label, row["amount_yuan"], evidence.get(f"revenue:{row['fund_source_code']}", ()))
        (finer if row["parent_code"] else top).append(figure)
    return top, finer


def _three_public_figures(
    con: duckdb.DuckDBPyConnection, document: Document, pdf: Path | None, rows: list[dict], evidence: dict[str, tuple[Evidence, ...]]
) -> dict[int, dict[str, Figure]]:
    """Year → category → figure, categories in printed order; a figure without a table cell comes from the prose."""
    order = list(THREE_PUBLIC_LABELS)
    by_year: dict[int, dict[str, Figure]] = defaultdict(dict)
    for row in sorted(rows, key=lambda r: (r["fiscal_year"], order.index(r["category"]) if r["category"] in order else len(order))):
        key = f"three_public:{row['fiscal_year']}:{row['category']}"
        found = evidence.get(key) or (_narrative_evidence(con, document, pdf, row["category"], row["page"]) if not row["table_key"] else ())
        by_year[row["fiscal_year"]][row["category"]] = Figure(THREE_PUBLIC_LABELS.get(row["category"], row["category"]), row["amount_yuan"], found)
    return dict(by_year)


def document_figures(con: duckdb.DuckDBPyConnection, document: Document, pdf: Path | None) -> DocumentFigures:
    """The charts' and tables' figures for one document, each with its evidence."""
    doc_id = document.document_id
    function_title, function_rows = _level_one(con, doc_id, "function")
    economic_title, economic_rows = _level_one(con, doc_id, "economic")
    revenue_rows, revenue_targets = _revenue(con, doc_id)
    three_rows, three_targets = _three_public(con, doc_id)
    targets = _class_targets(function_rows, "function") + _class_targets(economic_rows, "economic") + revenue_targets + three_targets
    evidence = _cell_evidence(con, doc_id, targets) if pdf else {}  # no pictures without the PDF

    classes = _class_rows(function_rows, evidence, "function")
    revenue, revenue_children = _revenue_figures(revenue_rows, evidence)
    return DocumentFigures(
        document,
        function_title=function_title, function_classes=classes,
        economic_title=economic_title, economic_classes=_class_rows(economic_rows, evidence, "economic"),
        revenue=revenue, revenue_children=revenue_children,
        total=_sum([c.total for c in classes], "支出合计"),
        basic=_sum([c.basic for c in classes], "基本支出"),
        project=_sum([c.project for c in classes], "项目支出"),
        three_public=_three_public_figures(con, document, pdf, three_rows, evidence),
        failed_checks=failed_checks(con, doc_id, pdf),
    )


def _check_page_evidence(con: duckdb.DuckDBPyConnection, document_id: str, page: int, amounts: list[Decimal], pdf: Path) -> Evidence:
    """A check's page with the printed cells and sentences that carry the compared amounts marked."""
    nonzero = [a for a in amounts if a]
    if not nonzero:
        return Evidence(document_id, page, None)
    holes = ", ".join("?" * len(nonzero))
    cells = _records(con, f"""
        select c.x0, c.y0, c.x1, c.y1, r.rx0, r.ry0, r.rx1, r.ry1
        from marts.printed_cell as c
        inner join (
            select table_key, row_number, min(x0) as rx0, min(y0) as ry0, max(x1) as rx1, max(y1) as ry1
            from marts.printed_cell where document_id = ? and page = ? group by all
        ) as r using (table_key, row_number)
        where c.document_id = ? and c.page = ? and c.amount_yuan in ({holes}) and c.x0 is not null""", [document_id, page, document_id, page, *nonzero])
    snippets = _records(con, f"select snippet from marts.fct_narrative_figure where document_id = ? and page = ? and amount_yuan in ({holes})", [document_id, page, *nonzero])
    marks = tuple(Box(c["x0"], c["y0"], c["x1"], c["y1"]) for c in cells)
    marks += tuple(b for s in snippets if s["snippet"] for b in find_text(pdf, page, s["snippet"]))
    rows = tuple(dict.fromkeys(Box(c["rx0"], c["ry0"], c["rx1"], c["ry1"]) for c in cells))
    return Evidence(document_id, page, None, rows=rows, cells=marks)


def failed_checks(con: duckdb.DuckDBPyConnection, document_id: str, pdf: Path | None) -> list[FailedCheck]:
    """Failing comparisons, each with a picture of every page it names."""
    rows = _records(con, """
        select check_id, severity, subject, expected_yuan, actual_yuan, difference_yuan, tolerance_yuan, pages
        from marts.reconciliation_result where document_id = ? and status = 'fail' order by severity, check_id, subject""", [document_id])
    checks = []
    for row in rows:
        pages = sorted({int(p) for p in (row["pages"] or "").split(",") if p.strip().isdigit()})
        amounts = [row["expected_yuan"], row["actual_yuan"]]
        evidence = tuple(_check_page_evidence(con, document_id, page, amounts, pdf) for page in pages) if pdf else ()
        checks.append(FailedCheck(
            document_id, row["check_id"], row["severity"], row["subject"],
            Figure("expected", row["expected_yuan"], evidence), Figure("actual", row["actual_yuan"], evidence),
            row["difference_yuan"], row["tolerance_yuan"], evidence,
        ))
    return checks
