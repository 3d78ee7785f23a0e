"""What the report shows, read from the published warehouse (read-only), each figure with the cells it was printed in."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import product
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.paths import duckdb_config
from pipelines.report.provenance import NUMBER, Box, Caption, Evidence, span

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
DOCUMENT_TYPES = {"budget": "预算", "final_account": "决算"}


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

    @property
    def caption(self) -> str:
        """The document as its pictures' captions name it, e.g. 上海市普陀区财政局 2024 年决算 · finance-2024.pdf."""
        kind = DOCUMENT_TYPES.get(self.document_type or "", "")
        name = " ".join(part for part in (self.entity_name, f"{self.fiscal_year} 年{kind}" if self.fiscal_year else kind) if part)
        return f"{name} · {self.source_file}" if name else self.source_file


@dataclass(frozen=True)
class ClassRow:
    """One 类 (level-1 subject) of an expenditure table."""

    code: str
    name: str
    total: Figure
    basic: Figure
    project: Figure


@dataclass(frozen=True)
class CheckWording:
    """A check in plain words, from the seed `checks`: its title and the sentence template of a failed comparison."""

    title_zh: str
    title_en: str
    sentence_zh: str
    sentence_en: str


@dataclass(frozen=True)
class CheckSide:
    """One side of a comparison where it is printed: cells of a table, or a sentence of the prose."""

    source: str  # the table_key, or 'narrative'
    table: str | None  # the table by its number, e.g. 表四
    pages: tuple[int, ...]
    item: str  # row and column, e.g. 总计 · 收入/决算数; or the prose's sentence
    label: str  # table, row and column, e.g. 表四 财政拨款收入支出决算总表 · 总计 · 收入/决算数
    figure: Figure  # the amount, with a picture of each page it is printed on

    @property
    def in_prose(self) -> bool:
        return self.source == "narrative"


@dataclass(frozen=True)
class FailedCheck:
    """One failing comparison of `marts.reconciliation_result`, each side with its own table, pages and pictures."""

    document_id: str
    check_id: str
    severity: str
    subject: str
    wording: CheckWording
    expected: CheckSide
    actual: CheckSide
    parts: int  # printed figures the actual side adds up
    difference_yuan: Decimal | None
    tolerance_yuan: Decimal | None

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return self.expected.figure.evidence + self.actual.figure.evidence


@dataclass(frozen=True)
class BudgetRow:
    """An item of `marts.budget_vs_final_account` for a final account: what the budget document and the final account print."""

    topic: str  # expenditure (a function 类) or three_public
    code: str
    name: str
    budget_yuan: Decimal | None
    final_yuan: Decimal | None


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
    three_public_budget: dict[int, dict[str, Figure]]  # the 预算数 a final account prints beside its 决算数
    failed_checks: list[FailedCheck]
    budget_document_id: str | None  # the same entity's budget for the year, when it is loaded
    budget_rows: list[BudgetRow]

    def three_public_total(self) -> Figure:
        """This year's 三公经费 total (a table may print last year's beside it)."""
        year = self.three_public.get(self.document.fiscal_year or 0, {})
        return year.get("total", Figure(THREE_PUBLIC_LABELS["total"], None))


@dataclass(frozen=True)
class _Target:
    """A printed cell a figure comes from: the figure's document and key, and the cell's table, row and column.

    A figure's caption names its table, `row_label` and column header as printed, or is `label` where given. The cell
    is printed in `printed_in`, the figure's own document unless it is the tables PDF of a split publication.
    """

    document_id: str
    key: str
    table_key: str
    row_number: int
    column_key: str
    row_label: str = ""
    label: str | None = None
    printed_in: str = ""

    def __post_init__(self) -> None:
        if not self.printed_in:
            object.__setattr__(self, "printed_in", self.document_id)


_TARGET_COLUMNS = ["document_id", "key", "table_key", "row_number", "column_key", "printed_in"]


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


def _header(header_label: str | None) -> str:
    """A printed multi-level header without the amounts of a first data row read into it: 本年支出合计/2,940.05 → 本年支出合计."""
    return "/".join(level for level in (header_label or "").split("/") if level and not NUMBER.fullmatch(level))


def _cell_evidence(
    con: duckdb.DuckDBPyConnection, targets: list[_Target], captions: dict[str, str]
) -> defaultdict[str, dict[str, tuple[Evidence, ...]]]:
    """Per document and figure key, one picture per page: the table's region on that page, the figure's rows and cells marked.

    `captions` names each document in its pictures' captions.
    """
    evidence: defaultdict[str, dict[str, tuple[Evidence, ...]]] = defaultdict(dict)
    if not targets:
        return evidence
    frame = pd.DataFrame([{c: getattr(t, c) for c in _TARGET_COLUMNS} for t in targets], columns=_TARGET_COLUMNS)
    labels = {(t.document_id, t.key): t for t in targets}
    con.register("report_targets", frame)
    try:
        found = _records(con, """
            with regions as (
                select document_id, table_key, page, min(x0) as rx0, min(y0) as ry0, max(x1) as rx1, max(y1) as ry1
                from marts.printed_cell
                where x0 is not null and document_id in (select printed_in from report_targets)
                group by all
            )
            select t.document_id, t.key, c.page, c.row_number, c.table_title, c.header_label, c.x0, c.y0, c.x1, c.y1,
                c.column_key = t.column_key as is_target, r.rx0, r.ry0, r.rx1, r.ry1
            from report_targets as t
            inner join marts.printed_cell as c
                on c.document_id = t.printed_in and c.table_key = t.table_key and c.row_number = t.row_number and c.x0 is not null
            inner join regions as r on r.document_id = c.document_id and r.table_key = c.table_key and r.page = c.page
            order by t.document_id, t.key, c.page, c.y0, c.x0""")
    finally:
        con.unregister("report_targets")
    by_page: dict[tuple[str, str, int], list[dict]] = defaultdict(list)
    for row in found:
        by_page[row["document_id"], row["key"], row["page"]].append(row)
    for (document_id, key, page), rows in by_page.items():
        own = [r for r in rows if r["is_target"]]
        cells = tuple(dict.fromkeys(Box(r["x0"], r["y0"], r["x1"], r["y1"]) for r in own))
        if not cells:
            continue  # the row continues on this page, but the figure's own cell is printed elsewhere
        region = span([Box(r["rx0"], r["ry0"], r["rx1"], r["ry1"]) for r in rows])
        by_row: dict[int, list[Box]] = defaultdict(list)
        for r in rows:
            by_row[r["row_number"]].append(Box(r["x0"], r["y0"], r["x1"], r["y1"]))
        target = labels[document_id, key]
        headers = " + ".join(dict.fromkeys(h for h in (_header(r["header_label"]) for r in own) if h))
        subject = target.label or " · ".join(part for part in (rows[0]["table_title"], target.row_label, headers) if part)
        printed_in = target.printed_in
        item = Evidence(printed_in, page, region, rows=tuple(span(boxes) for boxes in by_row.values()), cells=cells,
                        caption=Caption(captions.get(printed_in, captions[document_id]), subject))
        evidence[document_id][key] = evidence[document_id].get(key, ()) + (item,)
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
        _Target(r["document_id"], f"{prefix}:{r['subject_code']}:{measure}", r["table_key"], r["row_number"], measure,
                f"{r['subject_code']} {r['subject_name']}")
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
    """三公经费 by year, category and measure (amount; budget: a final account's 预算数, column `<category>__budget`);
    a table printing several years has a 年度 cell that must name the year."""
    return _by_document(_records(con, """
        with cells as (
            select c.*, y.printed as year_label
            from marts.printed_cell as c
            left join marts.printed_cell as y
                on y.document_id = c.document_id and y.table_key = c.table_key and y.row_number = c.row_number and y.column_key = 'year_label'
        ),
        figures as (
            select document_id, fiscal_year, category, 'amount' as measure, category as column_key, amount_yuan, page
            from marts.fct_three_public
            union all
            select document_id, fiscal_year, category, 'budget', category || '__budget', budget_yuan, page
            from marts.fct_three_public where budget_yuan is not null
        )
        select t.document_id, t.fiscal_year, t.category, t.measure, t.column_key, t.amount_yuan, t.page, c.table_key, c.row_number
        from figures as t
        left join cells as c
            on c.document_id = t.document_id and c.page = t.page and c.column_key = t.column_key and c.amount_yuan = t.amount_yuan
            and (c.year_label is null or c.year_label like t.fiscal_year || '%')
        qualify row_number() over (partition by t.document_id, t.fiscal_year, t.category, t.measure order by c.row_number) = 1
        order by t.document_id, t.fiscal_year"""))


def _narrative_snippets(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, int], str]:
    """The sentence of the prose each figure is read from, by document, figure key and page."""
    rows = _records(con, "select document_id, figure_key, page, any_value(snippet) as snippet from marts.fct_narrative_figure group by all")
    return {(r["document_id"], r["figure_key"], r["page"]): r["snippet"] for r in rows}


def _failing_rows(con: duckdb.DuckDBPyConnection) -> defaultdict[str, list[dict]]:
    """The failing comparisons of every document, by severity, check and subject, with where each side is printed."""
    return _by_document(_records(con, """
        select document_id, check_id, severity, subject, expected_yuan, actual_yuan, difference_yuan, tolerance_yuan,
            expected_source, expected_table, expected_page, expected_item, expected_label, expected_row_number, expected_column_key,
            expected_document_id, actual_source, actual_table, actual_pages, actual_item, actual_label, actual_row_numbers, actual_column_keys
        from marts.reconciliation_result where status = 'fail' order by document_id, severity, check_id, subject"""))


def _check_wording(con: duckdb.DuckDBPyConnection) -> dict[str, CheckWording]:
    """Every check's title and sentences, from the seed the warehouse was built with."""
    fields = ", ".join(CheckWording.__dataclass_fields__)
    return {r.pop("check_id"): CheckWording(**r) for r in _records(con, f"select check_id, {fields} from reference.checks")}


def _budget_rows(con: duckdb.DuckDBPyConnection) -> defaultdict[str, list[dict]]:
    """For each final account whose budget is loaded: its function 类 totals and 三公经费 beside the budget's."""
    return _by_document(_records(con, """
        select final_document_id as document_id, budget_document_id, topic, fund_scope, code, name, budget_yuan, final_yuan
        from marts.budget_vs_final_account
        where
            budget_document_id is not null and final_document_id is not null
            and ((topic = 'expenditure' and classification = 'function' and measure = 'total' and length(code) = 3) or topic = 'three_public')
        order by final_document_id, topic, code"""))


def _broadest(rows: list[dict]) -> list[BudgetRow]:
    """The expenditure rows of the broadest fund scope both documents print, then the 三公 rows in printed order."""
    scopes = {r["fund_scope"] for r in rows if r["topic"] == "expenditure"}
    scope = next((s for s in SCOPE_PREFERENCE if s in scopes), None)
    order = list(THREE_PUBLIC_LABELS)
    chosen = [r for r in rows if r["topic"] == "three_public" or r["fund_scope"] == scope]
    chosen.sort(key=lambda r: (r["topic"] == "three_public", order.index(r["code"]) if r["code"] in order else len(order), r["code"]))
    return [BudgetRow(r["topic"], r["code"], r["name"], r["budget_yuan"], r["final_yuan"]) for r in chosen]


def _side_targets(row: dict, document_id: str, key: str, side: str) -> list[_Target]:
    """The printed cells of one side of a failing comparison: rows × columns of its table (none for the prose)."""
    if row[f"{side}_source"] == "narrative":
        return []
    if side == "expected":
        cells = [(row["expected_row_number"], row["expected_column_key"])]
    else:
        cells = list(product(row["actual_row_numbers"] or [], row["actual_column_keys"] or []))
    return [
        _Target(document_id, key, row[f"{side}_source"], number, column, label=row[f"{side}_label"], printed_in=_side_document(row, side) or "")
        for number, column in cells
    ]


def _side_document(row: dict, side: str) -> str | None:
    """The other document a side is printed in (the tables PDF of a split publication), else None."""
    return row.get("expected_document_id") if side == "expected" else None


def _check_key(row: dict, side: str) -> str:
    return f"check:{row['check_id']}:{row['subject']}:{side}"


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
    budget: list[dict]

    def targets(self) -> list[_Target]:
        """Every printed cell one of the document's figures comes from."""
        revenue = [
            _Target(r["document_id"], f"revenue:{r['fund_source_code']}", r["table_key"], r["row_number"], r["fund_source_code"])
            for r in self.revenue if r["table_key"]
        ]
        three_public = [
            _Target(r["document_id"], f"three_public:{r['fiscal_year']}:{r['category']}:{r['measure']}", r["table_key"], r["row_number"],
                    r["column_key"], f"{r['fiscal_year']} 年")
            for r in self.three_public if r["table_key"]
        ]
        checks = [
            t for r in self.failing for side in ("expected", "actual") for t in _side_targets(r, r["document_id"], _check_key(r, side), side)
        ]
        return _class_targets(self.function, "function") + _class_targets(self.economic, "economic") + revenue + three_public + checks


def _rows(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> dict[str, _Rows]:
    """Each document's rows, read with one query a kind for all documents."""
    expenditure, revenue, three_public, failing = _expenditure_rows(con), _revenue_rows(con), _three_public_rows(con), _failing_rows(con)
    budget = _budget_rows(con)
    rows = {}
    for document_id in document_ids:
        function_title, function = _level_one(expenditure[document_id], "function")
        economic_title, economic = _level_one(expenditure[document_id], "economic")
        rows[document_id] = _Rows(
            function_title, function, economic_title, economic, revenue[document_id], three_public[document_id], failing[document_id],
            budget[document_id],
        )
    return rows


def _printed_label(header_label: str | None, fallback: str) -> str:
    """The most specific level of a printed multi-level header that names something: 一般公共预算拨款/小计 → 一般公共预算拨款."""
    levels = [level for level in (header_label or "").split("/") if level not in ("小计", "合计") and not NUMBER.fullmatch(level)]
    return levels[-1] if levels else fallback


def _merge_pages(evidence: tuple[Evidence, ...], subject: str) -> tuple[Evidence, ...]:
    """One picture per page for a figure summed from several rows: their regions joined, all rows and cells marked."""
    by_page: dict[int, list[Evidence]] = defaultdict(list)
    for item in evidence:
        by_page[item.page].append(item)
    return tuple(
        Evidence(
            items[0].document_id, page, span([i.region for i in items if i.region]) if all(i.region for i in items) else None,
            rows=tuple(b for i in items for b in i.rows), cells=tuple(b for i in items for b in i.cells),
            snippets=tuple(s for i in items for s in i.snippets),
            caption=Caption(items[0].caption.document, subject) if items[0].caption else None,
        )
        for page, items in sorted(by_page.items())
    )


def _sum(figures: list[Figure], label: str, title: str) -> Figure:
    """A total of printed figures (None when none is printed), shown with all the cells it adds up."""
    amounts = [f.amount_yuan for f in figures if f.amount_yuan is not None]
    evidence = _merge_pages(tuple(e for f in figures for e in f.evidence), f"{title} · Σ 类 · {label}")
    return Figure(label, sum(amounts, Decimal(0)) if amounts else None, evidence)


def _revenue_figures(rows: list[dict], evidence: dict[str, tuple[Evidence, ...]]) -> tuple[list[Figure], list[Figure]]:
    """Fund sources labelled as their table prints them: top-level ones, and the finer ones (e.g. 基本支出拨款)."""
    top, finer = [], []
    for row in rows:
        label = _printed_label(row["header_label"], row["name"] or row["fund_source_code"])
        figure = Figure(label, row["amount_yuan"], evidence.get(f"revenue:{row['fund_source_code']}", ()))
        (finer if row["parent_code"] else top).append(figure)
    return top, finer


def _prose_evidence(document: Document, page: int, sentence: str | None) -> Evidence:
    """A figure stated in the prose: the whole page, its sentence marked where it is found."""
    return Evidence(document.document_id, page, None, snippets=(sentence,) if sentence else (),
                    caption=Caption(document.caption, f"说明 narrative · “{sentence}”" if sentence else "说明 narrative"))


def _three_public_figures(
    document: Document, rows: list[dict], evidence: dict[str, tuple[Evidence, ...]], snippets: dict[tuple[str, str, int], str], from_prose: bool
) -> dict[int, dict[str, Figure]]:
    """Year → category → figure, categories in printed order; with `from_prose`, a figure without a table cell is
    pictured on the page of the prose that states it."""
    order = list(THREE_PUBLIC_LABELS)
    by_year: dict[int, dict[str, Figure]] = defaultdict(dict)
    for row in sorted(rows, key=lambda r: (r["fiscal_year"], order.index(r["category"]) if r["category"] in order else len(order))):
        key = f"three_public:{row['fiscal_year']}:{row['category']}:{row['measure']}"
        prose = from_prose and not row["table_key"]
        found = evidence.get(key) or ((_prose_evidence(document, row["page"], snippets.get((document.document_id, row["category"], row["page"]))),) if prose else ())
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
    wording = _check_wording(con)
    captions = {d.document_id: d.caption for d in docs}
    figures = []
    # Cells are read EVIDENCE_BATCH documents at a time: in one query, every printed cell of the corpus would
    # be in memory at once, and a corpus of thousands of documents would not fit in a process.
    for start in range(0, len(docs), EVIDENCE_BATCH):
        batch = docs[start:start + EVIDENCE_BATCH]
        evidence = _cell_evidence(con, [t for d in batch if d.document_id in with_pdf for t in rows[d.document_id].targets()], captions)
        figures += [_figures(d, rows[d.document_id], evidence[d.document_id], snippets, wording, d.document_id in with_pdf) for d in batch]
    return figures


def _figures(
    document: Document, rows: _Rows, evidence: dict[str, tuple[Evidence, ...]],
    snippets: dict[tuple[str, str, int], str], wording: dict[str, CheckWording], with_pictures: bool,
) -> DocumentFigures:
    classes = _class_rows(rows.function, evidence, "function")
    revenue, revenue_children = _revenue_figures(rows.revenue, evidence)
    by_measure = {m: [r for r in rows.three_public if r["measure"] == m] for m in ("amount", "budget")}
    return DocumentFigures(
        document,
        function_title=rows.function_title, function_classes=classes,
        economic_title=rows.economic_title, economic_classes=_class_rows(rows.economic, evidence, "economic"),
        revenue=revenue, revenue_children=revenue_children,
        total=_sum([c.total for c in classes], "支出合计", rows.function_title),
        basic=_sum([c.basic for c in classes], "基本支出", rows.function_title),
        project=_sum([c.project for c in classes], "项目支出", rows.function_title),
        three_public=_three_public_figures(document, by_measure["amount"], evidence, snippets, with_pictures),
        # The prose states a 预算数 under another key than its category: only the table's cell is its picture.
        three_public_budget=_three_public_figures(document, by_measure["budget"], evidence, snippets, False),
        failed_checks=[_failed_check(document, row, evidence, wording, with_pictures) for row in rows.failing],
        budget_document_id=rows.budget[0]["budget_document_id"] if rows.budget else None,
        budget_rows=_broadest(rows.budget),
    )


def _check_side(document: Document, row: dict, side: str, evidence: dict[str, tuple[Evidence, ...]], with_pictures: bool) -> CheckSide:
    """One side of a failing comparison with a picture of each page it is printed on: its cells marked in its table's
    region, or its sentence on the page of the prose (the whole page where its cells have no boxes)."""
    # A finding about the whole document (a fact it does not print) has no expected cell, and maybe no page.
    pages = tuple(p for p in ((row["expected_page"],) if side == "expected" else tuple(row["actual_pages"] or ())) if p is not None)
    source, label = row[f"{side}_source"], row[f"{side}_label"] or row[f"{side}_item"] or ""
    if not with_pictures:
        pictures: tuple[Evidence, ...] = ()
    elif source == "narrative":
        pictures = tuple(_prose_evidence(document, page, row[f"{side}_item"]) for page in pages)
    else:
        pictures = evidence.get(_check_key(row, side)) or tuple(
            Evidence(_side_document(row, side) or document.document_id, page, None, caption=Caption(document.caption, label))
            for page in pages
        )
    figure = Figure(label, row[f"{side}_yuan"], pictures)
    return CheckSide(source, row[f"{side}_table"], pages, row[f"{side}_item"] or "", label, figure)


def _failed_check(
    document: Document, row: dict, evidence: dict[str, tuple[Evidence, ...]], wording: dict[str, CheckWording], with_pictures: bool
) -> FailedCheck:
    parts = len(row["actual_row_numbers"] or [None]) * len(row["actual_column_keys"] or [None])
    return FailedCheck(
        row["document_id"], row["check_id"], row["severity"], row["subject"], wording[row["check_id"]],
        _check_side(document, row, "expected", evidence, with_pictures), _check_side(document, row, "actual", evidence, with_pictures),
        parts, row["difference_yuan"], row["tolerance_yuan"],
    )
