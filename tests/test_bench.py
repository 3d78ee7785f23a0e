"""The benchmark corpus is deterministic and fully recovered by extraction; the benchmark script runs."""

import random
from dataclasses import replace
from decimal import Decimal

import pytest

from pipelines.accuracy import hierarchy_mismatches, name_paths, total_row_amount
from pipelines.bench.__main__ import main as bench_main
from pipelines.bench import shanghai
from pipelines.bench.corpus import Truth, generate_corpus, load_truth, printed_rows
from pipelines.bench.truth import extract_to_match
from pipelines.extraction import extract_document

SEED = 3  # its 决算 has other income and spending, both carry-overs and every kind of 三公 figure
COUNT = 4  # documents 0 and 2 are Shenzhen 部门预算, 1 a Shanghai 部门/单位预算, 3 a Shanghai 部门决算
FINAL_ACCOUNT = 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return folder, generate_corpus(folder, SEED, range(COUNT), jobs=1)


@pytest.fixture(scope="module")
def final_account(corpus):
    _, pdfs = corpus
    return extract_document(pdfs[FINAL_ACCOUNT])


def test_both_families_and_both_document_types(corpus):
    _, pdfs = corpus
    truths = [load_truth(p) for p in pdfs]
    assert [t.layout for t in truths] == ["shenzhen_department_budget", "shanghai_department_budget",
                                          "shenzhen_department_budget", "shanghai_department_final_account"]
    assert [t.document_type for t in truths] == ["budget", "budget", "budget", "final_account"]
    assert pdfs[FINAL_ACCOUNT].name.endswith("-shanghai-final.pdf")


def test_same_seed_same_bytes(corpus, tmp_path):
    _, pdfs = corpus
    again = generate_corpus(tmp_path, SEED, range(COUNT), jobs=1)
    for first, second in zip(pdfs, again):
        assert first.read_bytes() == second.read_bytes(), first.name
        assert first.with_suffix(".truth.json").read_bytes() == second.with_suffix(".truth.json").read_bytes()


def test_extraction_recovers_every_truth_cell(corpus):
    _, pdfs = corpus
    for pdf in pdfs:
        match = extract_to_match(extract_document(pdf), load_truth(pdf))
        assert match.cells > 0
        assert match.problems == ()
        assert match.matched == match.cells, pdf.name


def test_a_total_row_alone_on_the_next_page_keeps_its_label_in_the_first_column(tmp_path):
    """A 合计 label merged over the code columns is read in the first of them; printed alone on the next page,
    its one wide cell covers several of the table's columns and must be read there too, not under its middle
    (bench-s0-0009-shanghai: the 经济分类 table's 合计 came out under 经济分类科目名称)."""
    budget = shanghai.random_budget(random.Random("lone-total"), 2025)
    document = shanghai.budget_to_document(budget)

    def total_on_next_page(table: shanghai.PrintedTable) -> shanghai.PrintedTable:
        body = table.rows[:-1] * shanghai.FIRST_PAGE_ROWS
        return replace(table, rows=(*body[: shanghai.FIRST_PAGE_ROWS], table.rows[-1]))

    lone = {1: 4, 7: 3}  # 收入预算总表 (合计 over 类|款|项|名称), 经济分类 table (over 类|款|名称)
    tables = [total_on_next_page(t) if i in lone else t for i, t in enumerate(document.tables)]
    assert all(tables[i].label_span == span for i, span in lone.items())
    pdf = shanghai.render(replace(document, tables=tuple(tables)), tmp_path / "lone-total.pdf")
    truth = Truth("shanghai_department_budget", budget.year, "budget", budget.scope, budget.entity, f"上海市{budget.district}",
                  {n: printed_rows(shanghai.truth_rows(t)) for n, t in enumerate(tables, start=1)})
    extract = extract_document(pdf)
    assert [extract.table(k).pages[-1] - extract.table(k).pages[0] for k in ("revenue", "gpb_basic_economic")] == [1, 1]
    match = extract_to_match(extract, truth)
    assert match.problems == ()


def test_a_synthetic_final_account_reads_like_the_real_one(corpus, final_account):
    """Cover entity / 年度部门决算 / year, 9 tables in 万元, the two 合计-in-header tables, the two-block economic
    table, 三公 预算数 beside 决算数, and two empty tables that say so."""
    _, pdfs = corpus
    truth = load_truth(pdfs[FINAL_ACCOUNT])
    extract = final_account
    assert (extract.layout, extract.document_type, extract.scope) == ("shanghai_department_final_account", "final_account", "department")
    assert (extract.fiscal_year, extract.entity_name, extract.region) == (truth.fiscal_year, truth.entity_name, truth.region)
    assert 10 <= extract.page_count <= 40
    assert len(extract.tables) == extract.expected_tables == 9 and {t.unit_factor for t in extract.tables} == {10000}
    assert [c.printed for c in extract.table("revenue").rows[0].cells[:4]] == ["类", "款", "项", "合计"]
    assert extract.table("gpb_basic_economic").printed_width == 8
    assert [c.column_key for c in extract.table("three_public").columns][:2] == ["total__budget", "total"]
    assert all("故本表无数据" in extract.table(key).empty_statement for key in ("gov_fund", "state_capital"))


def test_a_synthetic_final_account_adds_up_exactly(final_account):
    """The invariants the warehouse checks, on the extract: hierarchies, totals, the summaries and the prose agree to the cent."""
    extract = final_account
    for key, columns in {"revenue": ("total", "fiscal_appropriation", "other_income"), "expenditure": ("total", "basic", "project"),
                         "gpb_function": ("total", "basic", "project"), "gpb_basic_economic": ("basic",)}.items():
        for column in columns:
            assert hierarchy_mismatches(extract.table(key), column) == [], (key, column)
    figures = {f.figure_key: f.amount for f in extract.figures}

    def summary(key: str, label: str) -> list[Decimal]:
        row = next(r for r in extract.table(key).rows if r.cells[0].printed == label)
        return [c.amount for c in row.cells if c.amount is not None and c.column_index in (1, 3)]

    grand, current, carried = summary("income_expense_summary", "总计"), summary("income_expense_summary", "本年收入合计"), \
        summary("income_expense_summary", "年初结转和结余")
    assert grand[0] == grand[1] == figures["grand_total"] == current[0] + carried[0]
    assert current[0] == figures["revenue_total"] == total_row_amount(extract.table("revenue"), "total")
    assert current[1] == figures["expenditure_total"] == total_row_amount(extract.table("expenditure"), "total")
    assert summary("fiscal_summary", "总计")[0] == figures["fiscal_grand_total"]
    gpb = extract.table("gpb_function")
    assert figures["gpb_actual"] == total_row_amount(gpb, "total") == sum(name_paths(gpb, "total").values())
    items = {tuple(f.label.split("|")): f.amount for f in extract.figures if f.figure_key == "item_actual"}
    assert items == name_paths(gpb, "total")
    three_public = extract.table("three_public")
    assert figures["three_public_budget"] == total_row_amount(three_public, "total__budget")
    assert figures["three_public_total"] == total_row_amount(three_public, "total")
    subtotals = [a for code, a in ((r.cells[0].printed, r.cells[3].amount) for r in extract.table("gpb_basic_economic").rows) if code.endswith("合计")]
    assert sum(subtotals) == total_row_amount(gpb, "basic")


def test_bench_runs_extraction_only(corpus, capsys):
    folder, _ = corpus
    assert bench_main(["--corpus", str(folder), "--count", str(COUNT), "--seed", str(SEED), "--skip-pipeline"]) == 0
    printed = capsys.readouterr().out
    assert "(a) naive pdfplumber" in printed and "(b) extract_document" in printed
    assert "= 100.00%" in printed
