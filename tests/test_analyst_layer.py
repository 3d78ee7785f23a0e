"""The analyst layer over a warehouse built by the Dagster graph: entities across years and renames, subject paths in
English, year on year, 万元, page lists, budget beside final account, and every column documented in DuckDB."""

import hashlib
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import jinja2
import pytest

from pipelines.paths import REPO_ROOT, file_to_document_id
from tests.analyst_corpus import FINANCE_FINAL_2024, JUSTICE_2026, class_totals_yuan

CONTRACT_MARTS = ("dim_document", "dim_subject", "dim_fund_source", "fct_expenditure", "fct_revenue", "fct_three_public", "reconciliation_result")


@pytest.fixture(scope="module")
def warehouse(analyst_built):
    paths, _ = analyst_built
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        yield con


@pytest.fixture(scope="module")
def entity_of(analyst_built, warehouse):
    """File name → the entity_id dim_document gives its document."""
    paths, _ = analyst_built
    ids = dict(warehouse.execute("select document_id, entity_id from marts.dim_document").fetchall())
    return lambda name: ids[file_to_document_id(paths.raw_dir / name)]


def rows(con, sql: str, params=()) -> list[tuple]:
    return con.execute(sql, params).fetchall()


def test_one_entity_across_two_years_has_one_id(warehouse, entity_of):
    justice = entity_of(JUSTICE_2026)
    assert entity_of("putuo-justice-2025-budget.pdf") == justice
    assert rows(warehouse, "select entity_name, region, scope, names_seen, first_year, last_year, budget_years from marts.dim_entity where entity_id = ?", [justice]) == [
        ("上海市普陀区司法局", "上海市普陀区", "department", ["上海市普陀区司法局"], 2025, 2026, [2025, 2026])]
    # Different bodies, and a department beside a unit's own 本级 budget, are different entities.
    assert len({entity_of(n) for n in (JUSTICE_2026, FINANCE_FINAL_2024, "putuo-health-2019-budget.pdf", "shenzhen-luohu-science-innovation-bureau-2024-budget.pdf")}) == 4


def test_entity_ids_are_derived_from_region_name_and_scope_only(entity_of):
    """Ids others may have stored: a change of how they are derived would orphan them, so it must be deliberate."""
    key = "深圳市罗湖区|深圳市罗湖区科技创新局|unit"
    assert entity_of("shenzhen-luohu-science-innovation-bureau-2024-budget.pdf") == hashlib.md5(key.encode()).hexdigest()[:16]


def test_names_are_compared_whatever_their_width_spacing_or_trailing_benji():
    """dbt macros are Jinja: rendered here as dbt renders them, then run by DuckDB."""
    macros = (REPO_ROOT / "dbt_project" / "macros" / "entities.sql").read_text(encoding="utf-8")
    compared = jinja2.Template(macros + "{{ name_for_identity('name') }}").render()
    printed = ["深圳市罗湖区科技创新局（本级）", "深圳市罗湖区 科技创新局(本级)", "深圳市罗湖区科技创新局\u3000（本级）", "深圳市罗湖区科技创新局",
               "ＸＹ区第１中学", "XY区第1中学", "本级财政局"]
    with duckdb.connect() as con:
        keys = [k for (k,) in con.execute(f"select {compared} from unnest(?) with ordinality as t(name, i) order by i", [printed]).fetchall()]
    assert keys[:4] == ["深圳市罗湖区科技创新局"] * 4
    assert keys[4] == keys[5] == "XY区第1中学"
    assert keys[6] == "本级财政局"  # only a trailing (本级) is the scope's business


def test_a_rename_in_the_seed_joins_the_two_names_into_one_entity(warehouse, entity_of):
    health = entity_of("putuo-health-2019-budget.pdf")
    assert entity_of("putuo-health-2018-budget.pdf") == health
    assert rows(warehouse, "select entity_name, names_seen, first_year, last_year from marts.dim_entity where entity_id = ?", [health]) == [
        ("上海市普陀区卫生健康委员会", ["上海市普陀区卫生和计划生育委员会", "上海市普陀区卫生健康委员会"], 2018, 2019)]
    assert set(rows(warehouse, "select distinct entity_name from marts.fct_expenditure where entity_id = ?", [health])) == {
        ("上海市普陀区卫生和计划生育委员会",), ("上海市普陀区卫生健康委员会",)}


def test_every_fact_carries_the_entity_of_its_document(warehouse):
    facts = [t for (t,) in rows(warehouse, "select table_name from duckdb_tables() where schema_name = 'marts' and (table_name like 'fct_%' or table_name = 'printed_cell')")]
    assert len(facts) >= 9
    for fact in facts:
        counts = rows(warehouse, f"""
            select count(*), count(f.entity_id), count(*) filter (where f.entity_id is distinct from d.entity_id or f.entity_name is distinct from d.entity_name)
            from marts.{fact} as f inner join marts.dim_document as d using (document_id)""")
        total, with_entity, mismatched = counts[0]
        assert (with_entity, mismatched) == (total, 0), fact


def test_year_on_year_compares_each_class_with_the_same_entitys_previous_budget(analyst_built, warehouse, entity_of):
    _, budgets = analyst_built
    current, previous = class_totals_yuan(budgets["putuo-health-2019-budget"]), class_totals_yuan(budgets["putuo-health-2018-budget"])
    got = {code: (amount, before, change) for code, amount, before, change in rows(warehouse, """
        select subject_code, amount_yuan, previous_yuan, change_yuan from analytics.expenditure_yoy
        where entity_id = ? and fiscal_year = 2019 and fund_scope = 'all_funds' and classification = 'function'
          and level = 1 and measure = 'total'""", [entity_of("putuo-health-2019-budget.pdf")])}
    expected = {code: (current.get(code), previous.get(code), current[code] - previous[code] if code in current and code in previous else None)
                for code in current.keys() | previous.keys()}
    assert got == expected
    assert set(current) != set(previous)  # a class printed one year only is there, its other side null
    code = next(c for c in current if c in previous)
    rate = rows(warehouse, """select change_rate from analytics.expenditure_yoy where entity_id = ? and fiscal_year = 2019 and subject_code = ?
                              and fund_scope = 'all_funds' and measure = 'total'""", [entity_of("putuo-health-2019-budget.pdf"), code])
    assert rate == [(round(float((current[code] - previous[code]) / previous[code]), 4),)]


def test_year_on_year_never_sets_a_final_account_beside_a_budget(analyst_built, warehouse, entity_of):
    paths, _ = analyst_built
    # The finance bureau's 2024 budget and 2024 final account: each has no document of its own type the year before.
    assert rows(warehouse, "select distinct document_type, fiscal_year, previous_document_id from analytics.expenditure_yoy where entity_id = ? order by 1",
                [entity_of(FINANCE_FINAL_2024)]) == [("budget", 2024, None), ("final_account", 2024, None)]
    # The justice bureau's real 2026 budget is set beside its 2025 budget.
    assert rows(warehouse, "select distinct previous_document_id from analytics.expenditure_yoy where entity_id = ? and fiscal_year = 2026",
                [entity_of(JUSTICE_2026)]) == [(file_to_document_id(paths.raw_dir / "putuo-justice-2025-budget.pdf"),)]
    for view in ("expenditure_yoy", "revenue_yoy", "three_public_yoy"):
        assert rows(warehouse, f"""
            select count(*) from analytics.{view} as y
            inner join marts.dim_document as p on p.document_id = y.previous_document_id
            where p.document_type <> y.document_type or p.fiscal_year <> y.fiscal_year - 1 or p.entity_id <> y.entity_id""") == [(0,)], view
        assert rows(warehouse, f"select count(*) > 0 from analytics.{view} where previous_yuan is not null and amount_yuan is not null") == [(True,)], view


def test_budget_and_final_account_of_one_entity_and_year_stay_one_query(analyst_built, warehouse, entity_of):
    _, budgets = analyst_built
    finance = entity_of(FINANCE_FINAL_2024)
    sides = dict((code, (budget, final)) for code, budget, final in rows(warehouse, """
        select code, budget_yuan, final_yuan from marts.budget_vs_final_account
        where entity_id = ? and topic = 'expenditure' and fund_scope = 'all_funds' and classification = 'function'
          and measure = 'total' and length(code) = 3""", [finance]))
    budgeted = class_totals_yuan(budgets["putuo-finance-2024-budget"])
    assert {code: budget for code, (budget, _) in sides.items() if budget is not None} == budgeted
    assert any(final is not None for _, final in sides.values()) and any(b is not None and f is not None for b, f in sides.values())


def test_every_class_and_section_seen_has_an_english_name_and_a_path(warehouse):
    assert rows(warehouse, "select classification, code from marts.dim_subject where level < 3 and (name_en is null or class_name_en is null)") == []
    assert rows(warehouse, "select code from marts.dim_subject where level = 2 and section_name_en is null") == []
    assert rows(warehouse, "select count(distinct class_code) >= 8 from marts.dim_subject where classification = 'function'") == [(True,)]
    assert rows(warehouse, "select path, path_en, class_name_en, section_name from marts.dim_subject where classification = 'function' and code = '2040601'") == [(
        "204 公共安全支出 > 20406 司法 > 2040601 行政运行", "Public security > Justice administration > 行政运行", "Public security", "司法")]
    assert rows(warehouse, "select name_en from marts.dim_subject where classification = 'economic' and code = '301'") == [("Wages and benefits",)]


def test_wan_views_show_the_figures_as_a_wan_yuan_table_prints_them(warehouse):
    cent = Decimal("0.01")
    for total, wan in rows(warehouse, "select e.total_yuan, w.total_wan from marts.fct_expenditure as e inner join analytics.fct_expenditure_wan as w using (document_id, fund_scope, classification, subject_code) where e.total_yuan is not null"):
        assert wan == (total / 10000).quantize(cent, rounding=ROUND_HALF_UP)
    # The sample prints 万元: every total is the very figure of its printed cell.
    printed = rows(warehouse, """
        select w.total_wan, c.printed from analytics.fct_expenditure_wan as w
        inner join marts.fct_expenditure as e using (document_id, fund_scope, classification, subject_code)
        inner join marts.printed_cell as c on c.document_id = e.document_id and c.table_key = e.table_key and c.row_number = e.row_number and c.column_key = 'total'
        inner join marts.dim_document as d on d.document_id = e.document_id
        where d.region = '深圳市罗湖区' and e.total_yuan is not null""")
    assert len(printed) > 50
    assert [(wan, text) for wan, text in printed if f"{wan:,.2f}" != text.strip()] == []


def test_pages_are_also_a_list_of_integers(warehouse):
    checked = rows(warehouse, "select pages, page_list from marts.reconciliation_result")
    assert any(pages and "," in pages for pages, _ in checked)
    assert [(pages, listed) for pages, listed in checked if listed != ([int(p) for p in pages.split(",")] if pages else None)] == []


def test_every_column_of_every_mart_and_analytics_view_is_described_in_duckdb(warehouse):
    described = rows(warehouse, """
        select schema_name, table_name, count(*), count(*) filter (where coalesce(comment, '') <> '')
        from duckdb_columns() where schema_name in ('marts', 'analytics') group by all""")
    assert {t for s, t, _, _ in described if s == "marts"} >= set(CONTRACT_MARTS) | {"dim_entity"}
    assert {t for s, t, _, _ in described if s == "analytics"} >= {"expenditure_yoy", "fct_expenditure_wan"}
    assert [(s, t, n, c) for s, t, n, c in described if c != n] == []
    undescribed = rows(warehouse, """
        select table_name from duckdb_tables() where schema_name = 'marts' and coalesce(comment, '') = ''
        union all select view_name from duckdb_views() where schema_name in ('marts', 'analytics') and coalesce(comment, '') = ''""")
    assert undescribed == []


def test_the_published_warehouse_holds_the_contract(analyst_built):
    paths, _ = analyst_built
    checked = subprocess.run([sys.executable, str(REPO_ROOT.parent / "shared" / "tools" / "check_contract.py"), str(paths.warehouse)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "7/7 tables present, 0 problems" in checked.stdout


def test_verdicts_do_not_depend_on_how_many_documents_are_judged_together(analyst_built, tmp_path, monkeypatch):
    """The suites judge a chunk of documents at a time (memory stays bounded): one a chunk or all at once, the same
    verdicts."""
    import shutil
    from datetime import datetime

    from pipelines import reconciliation

    paths, _ = analyst_built
    verdicts = []
    for per_chunk in (1, 10_000):
        copy = tmp_path / f"build-{per_chunk}.duckdb"
        shutil.copy(paths.build_path, copy)
        monkeypatch.setattr(reconciliation, "DOCUMENTS_PER_CHUNK", per_chunk)
        with duckdb.connect(str(copy)) as con:
            reconciliation.judge_documents(con, tmp_path / f"memo-{per_chunk}.parquet", datetime(2026, 1, 1), batch_only=False)
            documents = con.execute("select count(distinct document_id) from raw.check_results").fetchone()[0]
            verdicts.append(con.execute("select * exclude (checked_at) from raw.check_results order by comparison_id").fetchall())
    assert documents > 1 and verdicts[0] and verdicts[0] == verdicts[1]

