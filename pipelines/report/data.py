"""What the report shows, read from the published warehouse (read-only), each figure with the cells it was printed in."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.paths import duckdb_config
from pipelines.report.provenance import NUMBER, Box, Evidence, span

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
    """A printed cell a figure comes from: the figure's document and key, and the cell's table, row and column."""

    document_id: str
    key: str
    table_key: str
    row_number: int
    column_key: str


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _by_document(rows: list[dict]) -> defaultdict[str, list[dict]]:
    """Rows of a query over all documents, by document, in the query's order."""
    grouped: defaultdict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["document_id"]].append(row)
    return grouped


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """Read-only: the report never holds a write lock on the file BI tools read. Capped like every pipeline
    connection: its joins over every printed cell would otherwise let DuckDB grow with the corpus."""
    return duckdb.connect(str(path), read_only=True, config=duckdb_config())


def documents(con: duckdb.DuckDBPyConnection) -> list[Document]:
    """Every document of the warehouse, latest year first."""
    columns = ", ".join(Document.__dataclass_fields__)
    rows = _records(con, f"select {columns} from marts.dim_document order by fiscal_year desc nulls last, entity_name, source_file")
    return [Document(**row) for row in rows]


def _cell_evidence(con: duckdb.DuckDBPyConnection, targets: list[_Target]) -> defaultdict[str, dict[str, tuple[Evidence, ...]]]:
    """Per document and figure key, one picture per page: the table's region on that page, the figure's rows and cells marked."""
    evidence: defaultdict[str, dict[str, tuple[Evidence, ...]]] = defaultdict(dict)
    if not targets:
        return evidence
    frame = pd.DataFrame([t.__dict__ for t in targets], columns=list(_Target.__dataclass_fields__))
    con.register("report_targets", frame)
    try:
        found = _records(con, """
            with regions as (
                select document_id, table_key, page, min(x0) as rx0, min(y0) as ry0, max(x1) as rx1, max(y1) as ry1
                from marts.printed_cell
                where x0 is not null and document_id in (select document_id from report_targets)
                group by all
            )
            select t.document_id, t.key, c.page, c.x0, c.y0, c.x1, c.y1, c.column_key = t.column_key as is_target, r.rx0, r.ry0, r.rx1, r.ry1
            from report_targets as t
            inner join marts.printed_cell as c
                on c.document_id = t.document_id and c.table_key = t.table_key and c.row_number = t.row_number and c.x0 is not null
            inner join regions as r on r.document_id = c.document_id and r.table_key = c.table_key and r.page = c.page
            order by t.document_id, t.key, c.page, c.y0, c.x0""")
    finally:
        con.unregister("report_targets")
    by_page: dict[tuple[str, str, int], list[dict]] = defaultdict(list)
    for row in found:
        by_page[row["document_id"], row["key"], row["page"]].append(row)
    for (document_id, key, page), rows in by_page.items():
        cells = tuple(dict.fromkeys(Box(r["x0"], r["y0"], r["x1"], r["y1"]) for r in rows if r["is_target"]))
        if not cells:
            continue  # the row continues on this page, but the figure's own cell is printed elsewhere
        region = span([Box(r["rx0"], r["ry0"], r["rx1"], r["ry1"]) for r in rows])
        row = span([Box(r["x0"], r["y0"], r["x1"], r["y1"]) for r in rows])
        evidence[document_id][key] = evidence[document_id].get(key, ()) + (Evidence(document_id, page, region, rows=(row,), cells=cells),)
    return evidence


def _expenditure_rows(con: duckdb.DuckDBPyConnection) -> defaultdict[str, list[dict]]:
    """The 类 rows of every expenditure table, with the table's printed title."""
    return _by_document(_records(con, """
        select e.document_id, e.classification, e.fund_scope, e.subject_code, e.subject_name, e.total_yuan, e.basic_yuan, e.project_yuan,
            e.table_key, e.row_number, t.title
        from marts.fct_expenditure as e
        left join (
            select document_id, table_key, any_value(table_title) as title from marts.printed_cell group by all
        ) as t on t.document_id = e.document_id and t.table_key = e.table_key
        where e.level = 1
        order by e.document_id, e.classification, e.subject_code"""))


def _level_one(rows: list[dict], classification: str) -> tuple[str, list[dict]]:
    """The 类 rows of the document's broadest expenditure table for a classification, and that table's printed title."""
    for scope in SCOPE_PREFERENCE:
        chosen = [r for r in rows if r["classification"] == classification and r["fund_scope"] == scope]
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
        _Target(r["document_id"], f"{prefix}:{r['subject_code']}:{measure}", r["table_key"], r["row_number"], measure)
        for r in rows for measure in ("total", "basic", "project")
    ]


def _revenue_rows(con: duckdb.DuckDBPyConnection) -> defaultdict[str, list[dict]]:
    """Non-zero fund sources of each revenue table's own total row, each matched to the cell it is printed in."""
    return _by_document(_records(con, """
        select r.document_id, r.fund_source_code, r.amount_yuan, s.name, s.parent_code, c.table_key, c.row_number, c.header_label
        from marts.fct_revenue as r
        left join marts.dim_fund_source as s using (fund_source_code)
        left join marts.printed_cell as c
            on c.document_id = r.document_id and c.page = r.page and c.column_key = r.fund_source_code and c.amount_yuan = r.amount_yuan
        where r.amount_yuan <> 0
        qualify row_number() over (partition by r.document_id, r.fund_source_code order by c.row_number) = 1
        order by r.document_id, s.parent_code nulls first, r.amount_yuan desc"""))


def _three_public_rows(con: duckdb.DuckDBPyConnection) -> defaultdict[str, list[dict]]:
    """三公经费 by year and category; a table printing several years has a 年度 cell that must name the year."""
    return _by_document(_records(con, """
        with cells as (
            select c.*, y.printed as year_label
            from marts.printed_cell as c
            left join marts.printed_cell as y
                on y.document_id = c.document_id and y.table_key = c.table_key and y.row_number = c.row_number and y.column_key = 'year_label'
        )
        select t.document_id, t.fiscal_year, t.category, t.amount_yuan, t.page, c.table_key, c.row_number, c.header_label
        from marts.fct_three_public as t
        left join cells as c
            on c.document_id = t.document_id and c.page = t.page and c.column_key = t.category and c.amount_yuan = t.amount_yuan
            and (c.year_label is null or c.year_label like t.fiscal_year || '%')
        qualify row_number() over (partition by t.document_id, t.fiscal_year, t.category order by c.row_number) = 1
        order by t.document_id, t.fiscal_year"""))


def _narrative_snippets(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, int], str]:
    """The sentence of the prose each figure is read from, by document, figure key and page."""
    rows = _records(con, "select document_id, figure_key, page, any_value(snippet) as snippet from marts.fct_narrative_figure group by all")
    return {(r["document_id"], r["figure_key"], r["page"]): r["snippet"] for r in rows}


def _failing_rows(con: duckdb.DuckDBPyConnection) -> defaultdict[str, list[dict]]:
    """The failing comparisons of every document, by severity, check and subject."""
    return _by_document(_records(con, """
        select document_id, check_id, severity, subject, expected_yuan, actual_yuan, difference_yuan, tolerance_yuan, pages
        from marts.reconciliation_result where status = 'fail' order by document_id, severity, check_id, subject"""))


@dataclass(frozen=True)
class _Rows:
    """What the queries over all documents read of one document."""

    function_title: str
    function: list[dict]
    economic_title: str
    economic: list[dict]
    revenue: list[dict]
    three_public: list[dict]
    failing: list[dict]

    def targets(self) -> list[_Target]:
        """Every printed cell one of the document's figures comes from."""
        revenue = [
            _Target(r["document_id"], f"revenue:{r['fund_source_code']}", r["table_key"], r["row_number"], r["fund_source_code"])
            for r in self.revenue if r["table_key"]
        ]
        three_public = [
            _Target(r["document_id"], f"three_public:{r['fiscal_year']}:{r['category']}", r["table_key"], r["row_number"], r["category"])
            for r in self.three_public if r["table_key"]
        ]
        return _class_targets(self.function, "function") + _class_targets(self.economic, "economic") + revenue + three_public


def _rows(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> dict[str, _Rows]:
    """Each document's rows, read with one query a kind for all documents."""
    expenditure, revenue, three_public, failing = _expenditure_rows(con), _revenue_rows(con), _three_public_rows(con), _failing_rows(con)
    rows = {}
    for document_id in document_ids:
        function_title, function = _level_one(expenditure[document_id], "function")
        economic_title, economic = _level_one(expenditure[document_id], "economic")
        rows[document_id] = _Rows(function_title, function, economic_title, economic, revenue[document_id], three_public[document_id], failing[document_id])
    return rows


def _printed_label(header_label: str | None, fallback: str) -> str:
    """The most specific level of a printed multi-level header that names something: 一般公共预算拨款/小计 → 一般公共预算拨款."""
    levels = [level for level in (header_label or "").split("/") if level not in ("小计", "合计") and not NUMBER.fullmatch(level)]
    return levels[-1] if levels else fallback


def _merge_pages(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """One picture per page for a figure summed from several rows: their regions joined, all rows and cells marked."""
    by_page: dict[int, list[Evidence]] = defaultdict(list)
    for item in evidence:
        by_page[item.page].append(item)
    return tuple(
        Evidence(
            items[0].document_id, page, span([i.region for i in items if i.region]) if all(i.region for i in items) else None,
            rows=tuple(b for i in items for b in i.rows), cells=tuple(b for i in items for b in i.cells),
            snippets=tuple(s for i in items for s in i.snippets),
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


def _narrative_evidence(row: dict, snippets: dict[tuple[str, str, int], str]) -> tuple[Evidence, ...]:
    """A figure stated in the prose: its sentence, to be marked on the whole page."""
    sentence = snippets.get((row["document_id"], row["category"], row["page"]))
    return (Evidence(row["document_id"], row["page"], None, snippets=(sentence,) if sentence else ()),)


def _three_public_figures(
    rows: list[dict], evidence: dict[str, tuple[Evidence, ...]], snippets: dict[tuple[str, str, int], str], with_pictures: bool
) -> dict[int, dict[str, Figure]]:
    """Year → category → figure, categories in printed order; a figure without a table cell comes from the prose."""
    order = list(THREE_PUBLIC_LABELS)
    by_year: dict[int, dict[str, Figure]] = defaultdict(dict)
    for row in sorted(rows, key=lambda r: (r["fiscal_year"], order.index(r["category"]) if r["category"] in order else len(order))):
        key = f"three_public:{row['fiscal_year']}:{row['category']}"
        found = evidence.get(key) or (_narrative_evidence(row, snippets) if with_pictures and not row["table_key"] else ())
        by_year[row["fiscal_year"]][row["category"]] = Figure(THREE_PUBLIC_LABELS.get(row["category"], row["category"]), row["amount_yuan"], found)
    return dict(by_year)


# Documents whose printed cells are read in one query: ~40 MB at most, whatever the corpus size.
EVIDENCE_BATCH = 100


def document_figures(con: duckdb.DuckDBPyConnection, docs: list[Document], with_pdf: set[str]) -> list[DocumentFigures]:
    """The charts' and tables' figures of each document, with their evidence if its PDF (by id, in `with_pdf`) is there.

    Queries read many documents at once: run per document, their fixed cost (~30 ms a document) made a report
    of hundreds of documents slow even when only one of them was new.
    """
    rows = _rows(con, [d.document_id for d in docs])
    snippets = _narrative_snippets(con)
    figures = []
    # Cells are read EVIDENCE_BATCH documents at a time: in one query, every printed cell of the corpus would
    # be in memory at once, and a corpus of thousands of documents would not fit in a process.
    for start in range(0, len(docs), EVIDENCE_BATCH):
        batch = docs[start:start + EVIDENCE_BATCH]
        evidence = _cell_evidence(con, [t for d in batch if d.document_id in with_pdf for t in rows[d.document_id].targets()])
        figures += [_figures(con, d, rows[d.document_id], evidence[d.document_id], snippets, d.document_id in with_pdf) for d in batch]
    return figures


def _figures(
    con: duckdb.DuckDBPyConnection, document: Document, rows: _Rows, evidence: dict[str, tuple[Evidence, ...]],
    snippets: dict[tuple[str, str, int], str], with_pictures: bool,
) -> DocumentFigures:
    classes = _class_rows(rows.function, evidence, "function")
    revenue, revenue_children = _revenue_figures(rows.revenue, evidence)
    return DocumentFigures(
        document,
        function_title=rows.function_title, function_classes=classes,
        economic_title=rows.economic_title, economic_classes=_class_rows(rows.economic, evidence, "economic"),
        revenue=revenue, revenue_children=revenue_children,
        total=_sum([c.total for c in classes], "支出合计"),
        basic=_sum([c.basic for c in classes], "基本支出"),
        project=_sum([c.project for c in classes], "项目支出"),
        three_public=_three_public_figures(rows.three_public, evidence, snippets, with_pictures),
        failed_checks=failed_checks(con, rows.failing, with_pictures),
    )


def _check_page_evidence(con: duckdb.DuckDBPyConnection, document_id: str, page: int, amounts: list[Decimal]) -> Evidence:
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
    rows = tuple(dict.fromkeys(Box(c["rx0"], c["ry0"], c["rx1"], c["ry1"]) for c in cells))
    return Evidence(document_id, page, None, rows=rows, cells=marks, snippets=tuple(s["snippet"] for s in snippets if s["snippet"]))


def failed_checks(con: duckdb.DuckDBPyConnection, rows: list[dict], with_pictures: bool) -> list[FailedCheck]:
    """A document's failing comparisons, each with a picture of every page it names."""
    checks = []
    for row in rows:
        pages = sorted({int(p) for p in (row["pages"] or "").split(",") if p.strip().isdigit()})
        amounts = [row["expected_yuan"], row["actual_yuan"]]
        evidence = tuple(_check_page_evidence(con, row["document_id"], page, amounts) for page in pages) if with_pictures else ()
        checks.append(FailedCheck(
            row["document_id"], row["check_id"], row["severity"], row["subject"],
            Figure("expected", row["expected_yuan"], evidence), Figure("actual", row["actual_yuan"], evidence),
            row["difference_yuan"], row["tolerance_yuan"], evidence,
        ))
    return checks
