"""The run report over a small hand-made warehouse whose cells point into the sample PDF, checked on disk and in headless Chromium."""

import csv
import io
import json
import re
import shutil
import string
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pdfplumber
import pytest
from PIL import Image

from pipelines.extraction.objects import pdfium_reader
from pipelines.paths import REPO_ROOT, BudgetPaths, file_to_document_id
from pipelines.reconciliation import validate_comparisons, verdicts_to_relation
from pipelines.report import ReportOutcome, build_report, data, provenance, report_dir
from pipelines.report.charts import bar_chart
from pipelines.report.data import CheckSide, CheckWording, FailedCheck, Figure
from pipelines.report.datadocs import DBT_DOCS, generate_dbt_docs
from pipelines.report.provenance import CAPTION_BACKGROUND, RESOLUTION, find_text
from pipelines.report.site import check_sentence
from tests.conftest import SAMPLE_PDF

REJECTED = "d" * 64
ENTITY = "深圳市罗湖区科技创新局（本级）"
# (code, name, page, row_number, top, bottom, total, basic, project) of 表三 as printed in the sample (万元 × 10000 = 元).
FUNCTION_ROWS = [
    ("206", "科学技术支出", 11, 8, 379.5, 404.5, 149738100, 7234600, 142503500),
    ("208", "社会保障和就业支出", 12, 16, 142.5, 167.5, 1961400, 1961400, 0),
]
# Children of 206 in the same table: (code, name, page, row_number, top, bottom, total).
SCIENCE_CHILDREN = [("20601", "科学技术管理事务", 11, 9, 404.5, 429.5, 8802100), ("20604", "技术与开发", 12, 12, 42.5, 67.5, 139536000)]
FUNCTION_COLUMNS = {"code": (138.9, 206.9), "name": (206.9, 348.7), "total": (348.7, 398.7), "basic": (398.7, 448.8), "project": (448.8, 498.9)}
ECONOMIC_COLUMNS = {"code": (158.7, 215.4), "name": (215.4, 368.5), "total": (368.5, 425.2), "basic": (425.2, 481.9), "project": (481.9, 538.6)}
HEADERS = {"code": "科目编码", "name": "科目名称", "total": "支出总计", "basic": "基本支出", "project": "项目支出"}
CHECKS_SEED = REPO_ROOT / "dbt_project" / "seeds" / "checks.csv"
# The sides of a comparison as int_check_comparisons gives them (the columns after `pages`).
SIDES = ("expected_source varchar, expected_table varchar, expected_page integer, expected_item varchar, expected_label varchar, "
         "expected_row_number integer, expected_column_key varchar, expected_document_id varchar, actual_source varchar, actual_table varchar, actual_pages integer[], "
         "actual_item varchar, actual_label varchar, actual_row_numbers integer[], actual_column_keys varchar[]")
CHROME_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--window-size=1300,1000",
]


def _copy_of_sample(raw_dir: Path, name: str) -> str:
    """The sample PDF with a comment after its end: the same pages, another document id (SHA-256)."""
    (raw_dir / name).write_bytes(SAMPLE_PDF.read_bytes() + f"\n% {name}\n".encode())
    return file_to_document_id(raw_dir / name)


def _expenditure(con, document_id: str, scale: Decimal) -> None:
    """Two 功能分类 类 rows of 表三 and one 经济分类 类 row of 表八, with their printed cells."""
    rows = [("all_funds", "function", "expenditure", "表三:支出总表", FUNCTION_COLUMNS, r) for r in FUNCTION_ROWS]
    rows.append(("general_public_budget", "economic", "gpb_economic", "表八:一般公共预算支出表（按经济分类）", ECONOMIC_COLUMNS,
                 ("301", "工资福利支出", 18, 3, 184.9, 203.9, 11437900, 11437900, 0)))
    for scope, classification, table_key, title, columns, (code, name, page, row, top, bottom, *amounts) in rows:
        total, basic, project = (Decimal(a) * scale for a in amounts)
        con.execute("insert into marts.fct_expenditure values (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
                    [document_id, scope, classification, code, name, total, basic, project, table_key, row])
        values = {"code": (code, None), "name": (name, None), "total": (None, total), "basic": (None, basic), "project": (None, project)}
        for key, (x0, x1) in columns.items():
            printed, amount = values[key]
            con.execute("insert into marts.printed_cell values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [document_id, table_key, title, row, key, HEADERS[key], printed or f"{amount / 10000:,.2f}", amount, page, x0, top, x1, bottom])
    for code, name, page, row, top, bottom, total in SCIENCE_CHILDREN:
        for key, printed, amount in (("code", code, None), ("name", name, None), ("total", f"{total * scale / 10000:,.2f}", total * scale)):
            x0, x1 = FUNCTION_COLUMNS[key]
            con.execute("insert into marts.printed_cell values (?, 'expenditure', '表三:支出总表', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [document_id, row, key, HEADERS[key], printed, amount, page, x0, top, x1, bottom])


def _cells_and_facts(con, document_id: str, scale: Decimal) -> None:
    _expenditure(con, document_id, scale)
    cells = [
        ("revenue", "表二:收入总表", 1, "general_public_budget", "本年收入/一般公共预算拨款/小计", 154945200, 10, (156.3, 192.3, 199.1, 222.0)),
        ("revenue", "表二:收入总表", 1, "prior_year_carryover", "上年结转", 830000, 10, (756.5, 192.3, 799.4, 222.0)),
        ("three_public", "表九:一般公共预算“三公”经费支出表", 2, "total", "“三公”经费财政拨款预算总额", 26500, 19, (221.1, 174.4, 274.0, 192.7)),
        ("three_public", "表九:一般公共预算“三公”经费支出表", 2, "vehicle_operation", "公务用车运行维护费", 26500, 19, (485.7, 174.4, 538.6, 192.7)),
    ]
    for table_key, title, row, key, label, amount, page, box in cells:
        con.execute("insert into marts.printed_cell values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [document_id, table_key, title, row, key, label, f"{amount * scale / 10000:,.2f}", amount * scale, page, *box])
    con.execute("insert into marts.printed_cell values (?, 'three_public', '表九', 2, 'year_label', '年度', '2024年', null, 19, 153.1, 174.4, 221.1, 192.7)", [document_id])
    for key, amount in (("general_public_budget", 154945200), ("prior_year_carryover", 830000)):
        con.execute("insert into marts.fct_revenue values (?, ?, ?, 10)", [document_id, key, amount * scale])
    for category in ("total", "vehicle_operation"):
        con.execute("insert into marts.fct_three_public values (?, 2024, ?, ?, 19, null)", [document_id, category, 26500 * scale])
    con.execute("insert into marts.fct_three_public values (?, 2024, 'admin_operation', 1684700, 7, null)", [document_id])
    con.execute("insert into marts.fct_narrative_figure values (?, 'admin_operation', 1684700, 7, '机关运行经费财政拨款预算168.47万元')", [document_id])


# Where the two sides of each comparison are printed, as int_check_comparisons gives them (SIDES).
HIERARCHY_SIDES = ("expenditure", "表三", 11, "206 科学技术支出 · 支出总计", "表三 支出总表 · 206 科学技术支出 · 支出总计", 8, "total", None,
                   "expenditure", "表三", [11, 12], "20601 科学技术管理事务 + 20604 技术与开发 · 支出总计",
                   "表三 支出总表 · 20601 科学技术管理事务 + 20604 技术与开发 · 支出总计", [9, 12], ["total"])
NARRATIVE_SIDES = ("expenditure", "表三", 11, "206 科学技术支出 · 项目支出", "表三 支出总表 · 206 科学技术支出 · 项目支出", 8, "project", None,
                   "narrative", None, [5], "项目支出14,270.33万元", "项目支出14,270.33万元", None, None)


@dataclass(frozen=True)
class Ids:
    """The documents of the hand-made warehouse."""

    current: str  # this year's budget of ENTITY
    earlier: str  # last year's, flagged: two comparisons fail
    other: str  # this year's budget of another entity
    final: str  # this year's final account of ENTITY


def _final_account(con, final: str, budget: str) -> None:
    """The final account prints its 三公 预算数 beside the 决算数; it and the budget are paired as marts.budget_vs_final_account pairs them."""
    con.execute("update marts.fct_three_public set budget_yuan = 26500 where document_id = ? and category in ('total', 'vehicle_operation')", [final])
    for key, label, box in (("total__budget", "“三公”经费/合计/预算数", (274.0, 174.4, 326.9, 192.7)),
                            ("vehicle_operation__budget", "公务用车运行维护费/预算数", (432.8, 174.4, 485.7, 192.7))):
        con.execute("insert into marts.printed_cell values (?, 'three_public', '表九:一般公共预算“三公”经费支出表', 2, ?, ?, '2.65', 26500, 19, ?, ?, ?, ?)",
                    [final, key, label, *box])
    con.execute("""
        create table marts.budget_vs_final_account as
        select b.document_id as budget_document_id, f.document_id as final_document_id, 'expenditure' as topic, b.fund_scope, b.classification,
            b.subject_code as code, b.subject_name as name, 'total' as measure, b.total_yuan as budget_yuan, f.total_yuan as final_yuan
        from marts.fct_expenditure as b
        inner join marts.fct_expenditure as f using (fund_scope, classification, subject_code)
        where b.document_id = $budget and f.document_id = $final
        union all
        select b.document_id, f.document_id, 'three_public', null, null, b.category, b.category, 'amount', b.amount_yuan, f.amount_yuan
        from marts.fct_three_public as b
        inner join marts.fct_three_public as f using (fiscal_year, category)
        where b.document_id = $budget and f.document_id = $final""", {"budget": budget, "final": final})


def make_warehouse(root: Path) -> tuple[BudgetPaths, Ids]:
    """Five documents: this year's and last year's budget of one entity (last year's flagged), its final account of this year,
    another entity, and a rejected PDF."""
    paths = BudgetPaths(root / "raw", root / "warehouse" / "budget.duckdb")
    paths.raw_dir.mkdir(parents=True)
    paths.warehouse.parent.mkdir(parents=True)
    names = ("luohu-2024.pdf", "luohu-2023.pdf", "other-2024.pdf", "luohu-2024-final.pdf")
    ids = Ids(*(_copy_of_sample(paths.raw_dir, name) for name in names))
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute(f"""
            create schema marts; create schema intermediate; create schema reference;
            create table marts.dim_document (document_id varchar, source_file varchar, fiscal_year integer, document_type varchar, scope varchar,
                entity_name varchar, region varchar, status varchar, status_reason varchar);
            create table marts.fct_expenditure (document_id varchar, fund_scope varchar, classification varchar, level integer, subject_code varchar,
                subject_name varchar, total_yuan decimal(20, 2), basic_yuan decimal(20, 2), project_yuan decimal(20, 2), table_key varchar, row_number integer);
            create table marts.printed_cell (document_id varchar, table_key varchar, table_title varchar, row_number integer, column_key varchar,
                header_label varchar, printed varchar, amount_yuan decimal(20, 2), page integer, x0 double, y0 double, x1 double, y1 double);
            create table marts.fct_revenue (document_id varchar, fund_source_code varchar, amount_yuan decimal(20, 2), page integer);
            create table marts.fct_three_public (document_id varchar, fiscal_year integer, category varchar, amount_yuan decimal(20, 2), page integer,
                budget_yuan decimal(20, 2));
            create table marts.fct_narrative_figure (document_id varchar, figure_key varchar, amount_yuan decimal(20, 2), page integer, snippet varchar);
            create table marts.dim_fund_source as select * from (values
                ('general_public_budget', '一般公共预算', null), ('prior_year_carryover', '上年结转/结余', null)) as t(fund_source_code, name, parent_code);
            create table intermediate.int_check_comparisons (comparison_id varchar, document_id varchar, check_id varchar, severity varchar,
                subject varchar, expected_yuan decimal(20, 2), actual_yuan decimal(20, 2), difference_yuan decimal(20, 2), tolerance_yuan decimal(20, 2),
                pages varchar, {SIDES});
            create table reference.checks as select * from read_csv('{CHECKS_SEED}', header = true, all_varchar = true);
        """)
        con.executemany("insert into marts.dim_document values (?, ?, ?, ?, 'unit', ?, '深圳市罗湖区', ?, ?)", [
            (ids.current, "luohu-2024.pdf", 2024, "budget", ENTITY, "loaded", None),
            (ids.earlier, "luohu-2023.pdf", 2023, "budget", ENTITY, "flagged",
             "2 error-level check(s) fail, e.g. function_hierarchy: T3 206 科学技术支出 total = Σ children"),
            (ids.other, "other-2024.pdf", 2024, "budget", "深圳市罗湖区另一局", "loaded", None),
            (ids.final, "luohu-2024-final.pdf", 2024, "final_account", ENTITY, "loaded", None),
            (REJECTED, "broken.pdf", None, None, None, "rejected", "the PDF has no text layer; it needs OCR first"),
        ])
        for document_id, scale in ((ids.current, Decimal(1)), (ids.earlier, Decimal("0.8")), (ids.other, Decimal("0.5")), (ids.final, Decimal("0.6"))):
            _cells_and_facts(con, document_id, scale)
        _final_account(con, ids.final, ids.current)
        holes = ", ".join("?" * 25)
        con.executemany(f"insert into intermediate.int_check_comparisons values ({holes})", [
            ("pass-1", ids.current, "function_hierarchy", "error", "T3 206 科学技术支出 total = Σ children", 149738100, 149738100, 0, 150, "11,12",
             *HIERARCHY_SIDES),
            ("fail-1", ids.earlier, "function_hierarchy", "error", "T3 206 科学技术支出 total = Σ children", 119790480, 119890480, 100000, 150, "11,12",
             *HIERARCHY_SIDES),
            ("fail-2", ids.earlier, "narrative_matches_tables", "error", "第5页 project_total = T3 project", 114002800, 142703300, 28700500, 100, "5,11",
             *NARRATIVE_SIDES),
        ])
        verdicts = validate_comparisons(con.execute("select * from intermediate.int_check_comparisons").df(), datetime(2026, 1, 1))
        con.execute("create schema staging")
        verdicts_to_relation(con, verdicts).create("staging.stg_check_results")
        con.execute("""
            create table marts.reconciliation_result as
            select document_id, check_id, severity, case when abs(difference_yuan) <= tolerance_yuan then 'pass' else 'fail' end as status,
                subject, expected_yuan, actual_yuan, difference_yuan, tolerance_yuan, pages, timestamp '2026-01-01' as checked_at,
                * exclude (comparison_id, document_id, check_id, severity, subject, expected_yuan, actual_yuan, difference_yuan, tolerance_yuan, pages)
            from intermediate.int_check_comparisons""")
    # One file stands for both: the report reads the suites' verdicts from the build copy, the rest from the warehouse.
    shutil.copyfile(paths.warehouse, paths.build_path)
    return paths, ids


@dataclass(frozen=True)
class Built:
    """A report built over the hand-made warehouse, and the ids of its documents."""

    paths: BudgetPaths
    target: Path
    outcome: ReportOutcome
    ids: Ids

    @property
    def current(self) -> str:
        return self.ids.current

    @property
    def other(self) -> str:
        return self.ids.other


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Built:
    paths, ids = make_warehouse(tmp_path_factory.mktemp("report"))
    target = paths.warehouse.parent / "report"
    outcome = build_report(paths, target, with_dbt_docs=False)
    return Built(paths, target, outcome, ids)


def page(target: Path, document_id: str) -> str:
    return (target / f"doc-{document_id[:16]}.html").read_text(encoding="utf-8")


def test_index_lists_every_document_with_status_and_reason(report):
    index = (report.target / "index.html").read_text(encoding="utf-8")
    assert report.outcome.documents == 5
    assert "3 loaded" in index and "1 flagged" in index and "1 rejected" in index
    assert "the PDF has no text layer; it needs OCR first" in index
    assert not (report.target / f"doc-{REJECTED[:16]}.html").exists()


def test_amounts_are_shown_in_wan_yuan_with_separators(report):
    html = page(report.target, report.current)
    for printed in ("14,973.81", "15,169.95", "15,494.52", "1,143.79", "168.47"):
        assert printed in html


def test_year_on_year_compares_with_the_earlier_document_of_the_same_entity(report):
    html = page(report.target, report.current)
    assert "2023 → 2024" in html
    # 科学技术支出 11,979.05 → 14,973.81: +2,994.76, +25.0 %
    assert re.search(r"2,994\.76.*\+25\.0%", html, re.S)
    assert "同比" not in page(report.target, report.other)


def test_entities_of_one_year_are_compared(report):
    index = (report.target / "index.html").read_text(encoding="utf-8")
    comparison = index[index.index('id="comparison"'):index.index('id="data-docs"')]
    assert "2024 年度" in comparison and ENTITY in comparison and "深圳市罗湖区另一局" in comparison
    assert "2023 年度" not in comparison  # one document only: nothing to compare


def test_pages_load_nothing_from_the_network(report):
    for html in report.target.rglob("*.html"):
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.read_text(encoding="utf-8")), html
    assert (report.target / "assets" / "plotly.min.js").stat().st_size > 1_000_000


def _red_share(picture: Path) -> float:
    """Share of the picture in the red of a marked cell's frame."""
    pixels = np.asarray(Image.open(picture).convert("RGB")).astype(int)
    red = (pixels[..., 0] > 200) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)
    return float(red.mean())


def test_every_figure_links_to_an_existing_picture_with_its_cell_marked(report):
    links = set(re.findall(r'href="(provenance/[^"]+\.png)"', page(report.target, report.current)))
    assert len(links) >= 10 and report.outcome.pictures >= len(links)
    for link in links:
        assert (report.target / link).is_file(), link
    science = re.search(r'<a class="amount" href="(provenance/[^"]+)"[^>]*>14,973.81</a>', page(report.target, report.current)).group(1)
    picture = Image.open(report.target / science)
    assert picture.width < 842 * RESOLUTION / 72  # cropped to the table, not the whole landscape page
    assert _red_share(report.target / science) > 0.0005  # the cell's red frame


def test_a_figure_stated_in_the_prose_links_to_its_sentence_marked(report):
    """168.47 (机关运行经费) is in no table cell: the sentence stating it is found on page 7 when the picture is drawn."""
    link = re.search(r'<a class="amount" href="(provenance/[^"]+/p007-[^"]+)" title="[^"]*第 7 页[^"]*">168.47</a>', page(report.target, report.current)).group(1)
    assert _red_share(report.target / link) > 0.0002


def test_sentences_are_found_in_pdfiums_chars_where_pdfminer_finds_them(monkeypatch):
    snippet = "机关运行经费财政拨款预算168.47万元"
    with pdfplumber.open(SAMPLE_PDF) as pdf:
        expected = find_text(pdf.pages[6], snippet)
    monkeypatch.setattr(pdfplumber.page.Page, "parse_objects", lambda page: pytest.fail("pdfminer parsed the page"))
    with pdfplumber.open(SAMPLE_PDF) as pdf, pdfium_reader(SAMPLE_PDF) as fill:
        fill(pdf.pages[6])
        found = find_text(pdf.pages[6], snippet)
    assert expected and len(found) == len(expected)
    for ours, theirs in zip(found, expected):
        assert all(abs(a - b) < 0.5 for a, b in zip(vars(ours).values(), vars(theirs).values())), (ours, theirs)


def test_each_document_page_links_only_to_pictures_of_its_own_pdf(report):
    for document_id in (report.current, report.other, report.ids.final):
        # Not the earlier document's figures, nor the budget's beside a final account's.
        own = re.split(r'<section id="(?:year-on-year|budget-vs-final)">', page(report.target, document_id))[0]
        links = re.findall(r'(?:href="|")(provenance/[^"]+)"', own)
        assert links and all(link.startswith(f"provenance/{document_id[:16]}/") for link in links)


def test_pictures_are_lossless_pngs():
    pixels = np.random.default_rng(7).integers(0, 256, (37, 53, 3), dtype=np.uint8)
    encoded = provenance._png(Image.fromarray(pixels))
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(encoded)).convert("RGB")), pixels)


def test_printed_labels_cannot_end_a_charts_script():
    html = bar_chart("x-plot", "标题", [Figure("</script><script>alert(1)</script>", Decimal(10000))])
    assert html.count("</script>") == 1
    figure = json.loads(re.search(r'Plotly\.newPlot\("x-plot", (.*)\)\.then', html).group(1))
    assert figure["data"][0]["y"] == ["</script><script>alert(1)</script>"]


def test_every_check_reads_in_plain_words_in_both_languages():
    """The seed's sentence templates use only the sides and amounts the report fills in, and name the expected side and both amounts."""
    fields = {"expected", "actual", "expected_amount", "actual_amount", "difference", "tolerance", "parts"}
    side = CheckSide("expenditure", "表三", (11,), "206 科学技术支出 · 支出总计", "表三 支出总表 · 206 科学技术支出 · 支出总计", Figure("", Decimal(100)))
    seed = list(csv.DictReader(CHECKS_SEED.read_text(encoding="utf-8").splitlines()))
    assert len(seed) == len({row['check_id'] for row in seed}) > 20
    for row in seed:
        wording = CheckWording(row["title_zh"], row["title_en"], row["sentence_zh"], row["sentence_en"])
        assert re.search(r"[\u4e00-\u9fff]", wording.title_zh) and re.fullmatch(r"[A-Z][\w ,'’()\u4e00-\u9fff-]+", wording.title_en), row["check_id"]
        for template in (wording.sentence_zh, wording.sentence_en):
            used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            # A finding (a cell that is no amount, a fact the document does not print) has only its own words.
            needed = {"actual"} if row["kind"] == "finding" else {"expected", "expected_amount", "actual_amount", "difference", "tolerance"}
            assert needed <= used <= fields, (row["check_id"], template)
        check = FailedCheck("d", row["check_id"], "error", "s", wording, side, side, 2, Decimal(0), Decimal(100))
        assert "206 科学技术支出 · 支出总计" in check_sentence(check, "zh") and "(表三, p.11)" in check_sentence(check, "en")


def test_a_failed_check_links_each_side_to_its_pages_with_its_cells_marked(report):
    index = (report.target / "index.html").read_text(encoding="utf-8")
    failed = index[index.index('id="failed-checks"'):index.index('id="comparison"')]
    hierarchy = failed[failed.index("功能分类科目等于其下级科目之和"):failed.index("说明中的数字与表中一致")]
    expected = hierarchy[hierarchy.index('class="wrap side expected"'):hierarchy.index('class="wrap side actual"')]
    actual = hierarchy[hierarchy.index('class="wrap side actual"'):]
    # 206 is printed on page 11; its children 20601 on page 11 and 20604 on page 12: one picture a page.
    assert re.findall(r'<a class="evidence" href="[^"]+/p(\d+)-[^"]+"', expected) == ["011"]
    assert re.findall(r'<a class="evidence" href="[^"]+/p(\d+)-[^"]+"', actual[:actual.index("</td>")]) == ["011", "012"]
    for link in re.findall(r'<a class="evidence" href="([^"]+)"', hierarchy):
        assert _red_share(report.target / link) > 0.0002


def test_validation_results_page_shows_the_failing_suite(report):
    html = (report.target / "great-expectations" / "index.html").read_text(encoding="utf-8")
    assert "function_hierarchy" in html and "expect_column_values_to_be_between" in html
    # The margin expectation rejected the one failing comparison; both not-null expectations held.
    margin = html[html.index("<td>expect_column_values_to_be_between</td>"):]
    assert re.match(r'<td>expect_column_values_to_be_between</td><td>column=margin_yuan, min_value=0.0</td><td class="fail">fail</td>\s*<td class="num">2</td><td class="num">1</td>', margin)
    # Two suites (function_hierarchy, narrative_matches_tables): both not-null expectations of each held.
    assert html.count('<td>expect_column_values_to_not_be_null</td>') == 4 and html.count('<td class="pass">pass</td>') == 4
    assert f"{ENTITY} 2023" in html and "../provenance/" in html


def test_figures_read_a_few_documents_at_a_time_are_the_figures_read_at_once(report, monkeypatch):
    with data.open_warehouse(report.paths.warehouse) as con:
        docs = [d for d in data.documents(con) if d.status != "rejected"]
        at_once = data.document_figures(con, docs, {d.document_id for d in docs})
        monkeypatch.setattr(data, "EVIDENCE_BATCH", 1)
        assert data.document_figures(con, docs, {d.document_id for d in docs}) == at_once
    assert len(at_once) == 4 and all(f.total.evidence for f in at_once)


def test_pictures_are_reused_and_what_is_gone_is_pruned(report, monkeypatch):
    stale = [report.target / "provenance" / "gone" / "p001-000000000000.png", report.target / "doc-0000000000000000.html"]
    stale[0].parent.mkdir(parents=True)
    for path in stale:
        path.write_bytes(b"")
    monkeypatch.setattr(provenance.pdfplumber, "open", lambda *a, **k: pytest.fail("a PDF was opened though every picture exists"))
    again = build_report(report.paths, report.target, with_dbt_docs=False)
    assert report.outcome.pictures_drawn == report.outcome.pictures > 0
    assert again.pictures_drawn == 0 and again.pictures == report.outcome.pictures
    assert not any(path.exists() for path in stale)


def test_a_rerun_rewrites_only_the_document_pages_whose_inputs_changed(tmp_path):
    paths, ids = make_warehouse(tmp_path)
    target = tmp_path / "report"
    assert build_report(paths, target, with_dbt_docs=False).document_pages_written == 4
    stamps = {p.name: p.stat().st_mtime_ns for p in target.glob("doc-*.html")}
    assert build_report(paths, target, with_dbt_docs=False).document_pages_written == 0
    assert {p.name: p.stat().st_mtime_ns for p in target.glob("doc-*.html")} == stamps

    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("update marts.dim_document set entity_name = '深圳市另一单位' where document_id = ?", [ids.other])
    assert build_report(paths, target, with_dbt_docs=False).document_pages_written == 1
    assert "深圳市另一单位" in page(target, ids.other)
    changed = {p.name for p in target.glob("doc-*.html") if p.stat().st_mtime_ns != stamps[p.name]}
    assert changed == {f"doc-{ids.other[:16]}.html"}


def test_dbt_docs_are_one_static_page_without_tracking_regenerated_only_when_the_schema_changes(report, tmp_path):
    build, work, generated = tmp_path / "budget.duckdb", tmp_path / "work", tmp_path / "work" / "target" / "static_index.html"
    shutil.copyfile(report.paths.warehouse, build)
    generate_dbt_docs(build, work, tmp_path / "first")
    html = (tmp_path / "first" / DBT_DOCS).read_text(encoding="utf-8")
    assert "printed_cell" in html and '"send_anonymous_usage_stats": false' in html

    stamp = generated.stat().st_mtime_ns
    generate_dbt_docs(build, work, tmp_path / "again")
    assert generated.stat().st_mtime_ns == stamp  # nothing changed: dbt did not run
    assert (tmp_path / "again" / DBT_DOCS).read_text(encoding="utf-8") == html

    with duckdb.connect(str(build)) as con:
        con.execute("alter table marts.printed_cell add column font_name varchar")
    generate_dbt_docs(build, work, tmp_path / "changed")
    assert generated.stat().st_mtime_ns != stamp and "font_name" in (tmp_path / "changed" / DBT_DOCS).read_text(encoding="utf-8")


def test_missing_build_copy_is_a_problem_on_the_page_not_a_crash(report, tmp_path):
    paths = BudgetPaths(report.paths.raw_dir, tmp_path / "budget.duckdb")
    shutil.copyfile(report.paths.warehouse, paths.warehouse)
    outcome = build_report(paths, tmp_path / "report")
    assert outcome.problems and "no build copy" in outcome.problems[0]
    assert "no build copy" in (tmp_path / "report" / "index.html").read_text(encoding="utf-8")


def test_report_folder_is_beside_the_warehouse_unless_configured(monkeypatch, tmp_path):
    paths = BudgetPaths(tmp_path / "raw", tmp_path / "wh" / "budget.duckdb")
    monkeypatch.delenv("BUDGET_REPORT_DIR", raising=False)
    assert report_dir(paths) == tmp_path / "wh" / "report"
    monkeypatch.setenv("BUDGET_REPORT_DIR", str(tmp_path / "site"))
    assert report_dir(paths) == tmp_path / "site"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Debian's chromium is missing: scripts/setup.sh installs it")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in CHROME_FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_charts_render_and_provenance_opens_in_chromium(report, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((report.target / f"doc-{report.current[:16]}.html").as_uri())
    for chart in ("function", "economic", "basic-project", "revenue", "three-public"):
        WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#{chart}-chart svg.main-svg"))
    bars = browser.find_elements(By.CSS_SELECTOR, "#function-chart g.point path")
    assert len(bars) == len(FUNCTION_ROWS)
    assert "科学技术支出" in browser.find_element(By.ID, "function-chart").text
    # Side by side, each chart stays inside its own half of the page.
    widths = browser.execute_script(
        "const box = document.getElementById('function-chart');"
        "return [box.getBoundingClientRect().width, box.querySelector('svg.main-svg').getBoundingClientRect().width];"
    )
    assert widths[1] <= widths[0] + 1 < 1000
    assert _console_errors(browser) == []
    browser.save_screenshot(str(tmp_path / "document.png"))

    link = browser.find_element(By.XPATH, "//a[@class='amount' and text()='14,973.81']")
    link.click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith(".png"))
    image = browser.find_element(By.TAG_NAME, "img")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) > 300
    browser.save_screenshot(str(tmp_path / "provenance.png"))

    browser.get((report.target / "index.html").as_uri())
    WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#comparison-2024-chart svg.main-svg"))
    assert _console_errors(browser) == []
    browser.save_screenshot(str(tmp_path / "index.png"))


def _caption_band(picture: Path) -> tuple[int, float]:
    """Rows of caption background above the page region, and the share of ink (text) in them."""
    pixels = np.asarray(Image.open(picture).convert("RGB")).astype(int)
    background = (np.abs(pixels - np.array(CAPTION_BACKGROUND)).sum(axis=2) < 10).mean(axis=1)
    band = int(np.argmax(background < 0.5))  # the first row that is not mostly background: the band's rule
    ink = (pixels[:band].sum(axis=2) < 300).mean() if band else 0.0
    return band, float(ink)


def _failed_check_row(browser, title: str):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.XPATH, f"//section[@id='failed-checks']//tr[contains(@class, 'check')][contains(., '{title}')]")


def _picture_of(report, link) -> Path:
    return report.target / link.get_attribute("href").split("/report/", 1)[1]


def test_a_failed_check_reads_in_plain_words_and_each_side_shows_its_own_page_in_chromium(report, browser):
    """The prose (page 5) and the table (表三, page 11) disagree: each side is labelled and pictured by its own page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((report.target / "index.html").as_uri())
    row = _failed_check_row(browser, "说明中的数字与表中一致")
    assert "Figures the narrative states match the tables" in row.text
    assert ("The narrative states 14,270.33 万元 in “项目支出14,270.33万元” (narrative, p.5), but 206 科学技术支出 · 项目支出 (表三, p.11) "
            "prints 11,400.28 万元: off by 2,870.05 (allowed 0.01)") in row.text
    assert "说明中“项目支出14,270.33万元”（说明，第5页）为 14,270.33 万元，而206 科学技术支出 · 项目支出（表三，第11页）为 11,400.28 万元" in row.text
    shown = browser.find_element(By.ID, "failed-checks").text
    assert "project_total = T3" not in shown and "total = Σ children" not in shown  # the checks' shorthand is not what people read

    expected, actual = row.find_element(By.CSS_SELECTOR, "td.side.expected"), row.find_element(By.CSS_SELECTOR, "td.side.actual")
    assert "表三 支出总表 · 206 科学技术支出 · 项目支出" in expected.text and "第 11 页" in expected.text and "第 5 页" not in expected.text
    assert "说明" in actual.text and "第 5 页" in actual.text and "第 11 页" not in actual.text
    expected_link, actual_link = (side.find_element(By.CSS_SELECTOR, "a.amount") for side in (expected, actual))
    assert expected_link.text == "11,400.28" and f"/{report.ids.earlier[:16]}/p011-" in expected_link.get_attribute("href")
    assert actual_link.text == "14,270.33" and f"/{report.ids.earlier[:16]}/p005-" in actual_link.get_attribute("href")
    assert _red_share(_picture_of(report, expected_link)) > 0.0005  # 表三's 项目支出 cell of 206, framed
    assert _red_share(_picture_of(report, actual_link)) > 0.0002  # the sentence on page 5, framed

    expected_link.click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith(".png"))
    image = browser.find_element(By.TAG_NAME, "img")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) > 300
    assert _console_errors(browser) == []


def test_pictures_carry_the_document_table_header_and_page_in_chromium(report, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((report.target / f"doc-{report.current[:16]}.html").as_uri())
    link = browser.find_element(By.XPATH, "//a[@class='amount' and text()='14,973.81']")
    for part in (ENTITY, "2024 年预算", "luohu-2024.pdf", "表三:支出总表", "206 科学技术支出", "支出总计", "第 11 页"):
        assert part in link.get_attribute("title"), part
    band, ink = _caption_band(_picture_of(report, link))
    assert band > 3 * 20 and ink > 0.01  # three lines of text above the page region

    browser.get((report.target / "index.html").as_uri())
    pictures = _failed_check_row(browser, "说明中的数字与表中一致").find_element(By.XPATH, "following-sibling::tr[1]")
    pictures.find_element(By.TAG_NAME, "summary").click()
    figures = pictures.find_elements(By.CSS_SELECTOR, "figure.evidence")
    assert len(figures) == 2
    for figure, parts in zip(figures, [("luohu-2023.pdf", "表三 支出总表", "项目支出", "第 11 页"), ("luohu-2023.pdf", "说明", "项目支出14,270.33万元", "第 5 页")]):
        image = figure.find_element(By.TAG_NAME, "img")
        WebDriverWait(browser, 10).until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image))
        caption = figure.find_element(By.TAG_NAME, "figcaption").text
        for part in (ENTITY, *parts):
            assert part in image.get_attribute("alt") and part in caption, part
        assert _caption_band(report.target / image.get_attribute("src").split("/report/", 1)[1])[0] > 3 * 20
    assert _console_errors(browser) == []


def test_the_validation_page_links_each_rejection_to_its_document_and_pictures_in_chromium(report, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((report.target / "great-expectations" / "index.html").as_uri())
    rejection = browser.find_element(By.XPATH, "//h2[@id='narrative_matches_tables']/following-sibling::table[1]//div[@class='rejection']")
    assert "The narrative states 14,270.33 万元" in rejection.text
    expected = rejection.find_element(By.CSS_SELECTOR, "a.evidence.expected")
    actual = rejection.find_element(By.CSS_SELECTOR, "a.evidence.actual")
    assert "/p011-" in expected.get_attribute("href") and "/p005-" in actual.get_attribute("href")
    actual.click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith(".png"))
    assert browser.execute_script("return arguments[0].naturalWidth", browser.find_element(By.TAG_NAME, "img")) > 300
    browser.back()

    document = browser.find_element(By.XPATH, "//h2[@id='narrative_matches_tables']/following-sibling::table[1]//a[@class='document']")
    assert document.get_attribute("href").endswith(f"doc-{report.ids.earlier[:16]}.html#failed-checks")
    document.click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "failed-checks"))
    assert f"{ENTITY} 2023" in browser.title and "说明中的数字与表中一致" in browser.find_element(By.ID, "failed-checks").text
    assert _console_errors(browser) == []


def test_a_final_account_shows_the_budget_beside_what_was_spent_in_chromium(report, browser):
    from selenium.webdriver.common.by import By

    browser.get((report.target / f"doc-{report.ids.final[:16]}.html").as_uri())
    three_public = browser.find_element(By.CSS_SELECTOR, "#three-public table")
    assert [th.text for th in three_public.find_elements(By.TAG_NAME, "th")] == ["项目", "2024 年 预算数 budget", "2024 年 决算数 final"]
    total = three_public.find_element(By.XPATH, ".//tr[td[1]='“三公”经费合计']")
    assert [td.text for td in total.find_elements(By.TAG_NAME, "td")] == ["“三公”经费合计", "2.65", "1.59"]
    printed_budget = total.find_element(By.XPATH, "td[2]/a")
    assert f"/{report.ids.final[:16]}/p019-" in printed_budget.get_attribute("href") and "预算数" in printed_budget.get_attribute("title")

    # The budget document of the same entity and year is loaded: marts.budget_vs_final_account puts the two side by side.
    section = browser.find_element(By.ID, "budget-vs-final")
    science = section.find_element(By.XPATH, ".//tr[td[1]='206 科学技术支出']")
    assert [td.text for td in science.find_elements(By.TAG_NAME, "td")] == ["206 科学技术支出", "14,973.81", "8,984.29", "-5,989.52", "60.0%"]
    budget_link, final_link = science.find_elements(By.CSS_SELECTOR, "a.amount")
    assert f"/{report.current[:16]}/p011-" in budget_link.get_attribute("href") and f"/{report.ids.final[:16]}/p011-" in final_link.get_attribute("href")
    assert section.find_element(By.XPATH, ".//p/a").get_attribute("href").endswith(f"doc-{report.current[:16]}.html")
    assert _console_errors(browser) == []
