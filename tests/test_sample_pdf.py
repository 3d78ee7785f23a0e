"""The sample PDF: the parsed reference text is the truth, the rendering is faithful and stable."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from pipelines.sample.reference_text import (
    Paragraph,
    ReferenceDocument,
    TextTable,
    is_amount,
    load_reference,
    normalize,
)
from pipelines.sample.render_shenzhen import (
    DEFAULT_OUTPUT,
    DEFAULT_REFERENCE,
    LAYOUTS,
    LEFT,
    TARGET_FORM_LABELS,
    UP,
    render,
)

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("BUDGET_REFERENCE_TEXT", DEFAULT_REFERENCE))
SHIPPED = ROOT / DEFAULT_OUTPUT

pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason=f"reference text not found at {REFERENCE}")

# Rows per table, counted from what each table lists (entity rows included).
EXPECTED_ROWS = {
    1: 34,  # 3 income + 29 function lines, 本年合计, 上年结余, 2 of its parts, 总计 (paired left/right)
    2: 2,  # the department and its 本级 unit
    3: 30,  # the 本级 unit + 29 function codes (8 类, 10 款, 11 项)
    4: 24,  # 2 entities + 3 economic 类 + 19 款
    5: 9,  # 2 entities + 7 first-level projects
    6: 35,  # as 表一, with three 结余 parts instead of two
    7: 31,  # 2 entities + the 29 function codes of 表三
    8: 30,  # 2 entities + 4 economic 类 + 24 款
    9: 3,  # 2023, 2024 and the change
    10: 5,  # 2 entities + 3 empty-code rows of 0.00
    11: 5,
    12: 5,
    13: 2,
    14: 83,  # 年度绩效指标 rows
}
EXPECTED_WIDTHS = {1: 4, 2: 17, 3: 12, 4: 13, 5: 16, 6: 4, 7: 6, 8: 6, 9: 8, 10: 6, 11: 6, 12: 5, 13: 4, 14: 4}
LANDSCAPE_TABLES = {2, 3, 4, 5}


@pytest.fixture(scope="module")
def doc() -> ReferenceDocument:
    """The parsed reference text."""
    return load_reference(REFERENCE)


@pytest.fixture(scope="module")
def rendered(doc: ReferenceDocument, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh rendering of the sample PDF."""
    return render(doc, tmp_path_factory.mktemp("sample") / "budget.pdf")


@pytest.fixture(scope="module")
def pdf(rendered: Path) -> Iterator[pdfplumber.PDF]:
    """The fresh rendering opened with pdfplumber."""
    with pdfplumber.open(rendered) as opened:
        yield opened


@pytest.fixture(scope="module")
def table_pages(doc: ReferenceDocument, pdf: pdfplumber.PDF) -> dict[int, list[int]]:
    """Page indices of each table: from the page with its title to the page before the next title."""
    texts = [page.extract_text() or "" for page in pdf.pages]
    starts = {n: next(i for i, t in enumerate(texts) if table.title in t) for n, table in doc.tables.items()}
    ends = [*[starts[n] for n in sorted(starts)][1:], len(texts)]
    return {n: list(range(starts[n], end)) for n, end in zip(sorted(starts), ends)}


def _extracted_rows(pdf: pdfplumber.PDF, pages: list[int]) -> list[list[str | None]]:
    """All rows of all ruled tables found on `pages`, in order."""
    return [row for i in pages for table in pdf.pages[i].extract_tables() for row in table]


def _flat(cell: str | None) -> str:
    """A cell as printed on one line."""
    return (cell or "").replace("\n", "")


# --- the parser -------------------------------------------------------------------------------


def test_parser_finds_the_fourteen_tables(doc: ReferenceDocument) -> None:
    assert sorted(doc.tables) == list(range(1, 15))
    assert {n: len(t.rows) for n, t in doc.tables.items()} == EXPECTED_ROWS
    assert {n: t.width for n, t in doc.tables.items()} == EXPECTED_WIDTHS
    assert all(len(row) == t.width for t in doc.tables.values() for row in t.rows)


def test_titles_and_captions_are_as_printed(doc: ReferenceDocument) -> None:
    assert doc.title == "2024年深圳市罗湖区科技创新局（本级）部门预算"
    assert doc.tables[3].title == "表三：支出总表"
    assert doc.tables[7].title == "表七：一般公共预算支出表 (按功能分类)"
    assert doc.tables[8].title == "表八：一般公共预算支出表(按经济分类)"
    assert doc.tables[9].entity_line == "单位名称:深圳市罗湖区科技创新局(本级)"  # printed over three lines
    assert doc.tables[4].unit_line == "单位:万元"
    assert doc.tables[14].entity_line == "2024年度"


def test_table_three_entity_row_keeps_the_printed_rounding(doc: ReferenceDocument) -> None:
    entity = doc.tables[3].rows[0]
    assert entity[:6] == ("深圳市罗湖区科技创新局（本级）", "", "", "15,577.52", "1,307.20", "14,270.33")
    basic, project, total = (Decimal(a.replace(",", "")) for a in (entity[4], entity[5], entity[3]))
    assert basic + project - total == Decimal("0.01")  # as published: the README's 0.01 difference


def test_rows_split_by_the_text_rendering_are_repaired(doc: ReferenceDocument) -> None:
    names = [row[0] for row in doc.tables[4].rows]
    assert "其他社会保障缴费" in names
    assert "住房公积金" in names and "其他对个人和家庭的补助" in names
    assert not any(n in ("其他社", "会保障缴费") for n in names)
    assert doc.tables[4].rows[names.index("其他社会保障缴费")][1] == "0.73"


def test_wrapping_spaces_are_removed_from_names(doc: ReferenceDocument) -> None:
    assert doc.tables[2].rows[1][0] == "深圳市罗湖区科技创新局(本级)"
    assert doc.tables[1].header_rows[1] == ("项目", "2024年预算数", "项目", "2024年预算数")
    assert doc.tables[9].rows[2][1] == "增减变化金额"
    assert not any(" " in cell for t in doc.tables.values() for row in t.rows for cell in row)


def test_names_are_kept_as_printed_per_table(doc: ReferenceDocument) -> None:
    name_of = {n: {row[1]: row[2] for row in doc.tables[n].rows} for n in (3, 7)}
    assert name_of[3]["20604"] == "技术与开发"
    assert name_of[7]["20604"] == "技术与研究开发"


def test_amounts_are_printed_strings(doc: ReferenceDocument) -> None:
    for n in (2, 3, 4, 5, 7, 8):
        first_amount = {2: 1, 3: 3, 4: 1, 5: 1, 7: 3, 8: 3}[n]
        assert all(is_amount(c) for row in doc.tables[n].rows for c in row[first_amount:]), n
    assert doc.tables[10].rows[2] == ("", "", "", "0.00", "0.00", "0.00")


def test_page_breaks_of_the_original_are_recorded(doc: ReferenceDocument) -> None:
    assert doc.tables[3].page_breaks == (11,)
    assert doc.tables[3].rows[11][1] == "20604"
    assert doc.tables[4].page_breaks == (10,)
    assert doc.tables[1].page_breaks == ()


def test_narrative_parts(doc: ReferenceDocument) -> None:
    headings = [p.heading for p in doc.parts]
    assert headings[0] == "目 录"
    assert [h[:4] for h in headings[1:]] == [f"第{n}部分" for n in "一二三四五六七八九"]
    assert doc.preface.startswith("本预算草案根据《中华人民共和国预算法》")
    duties = doc.part("第一部分").paragraphs
    assert "引导与协助辖区企业申报国家高新技术企业、软件企业等资质。" in duties[7]  # re-joined over a page break
    assert all(p.endswith(("。", "：", ":", "；")) for part in doc.parts for p in part.paragraphs)


def test_performance_table_of_part_seven(doc: ReferenceDocument) -> None:
    (table,) = [b for b in doc.part("第七部分").blocks if isinstance(b, TextTable)]
    assert table.header == ("项目名称（一级项目）", "预算数（万元）", "绩效目标")
    assert [r[:2] for r in table.rows][:2] == [("产业专项资金", "13,000.00"), ("科技创新与产业发展", "938.60")]
    assert len(table.rows) == 7
    assert "引进培育大健康领域相关企业数量≥5家" in table.rows[0][2]
    assert table.rows[1][2].startswith("高质量完成深创赛罗湖预选赛区赛事;")
    assert table.rows[5][2].endswith("事故发生率≤全区事故发生率等。")
    paragraphs = [b.text for b in doc.part("第七部分").blocks if isinstance(b, Paragraph)]
    text = " ".join([*(c for r in table.rows for c in r), *paragraphs])
    assert not any(mark in text for mark in ("$", "<p>", "<math>", "\\geq"))


def test_target_form_of_table_fourteen(doc: ReferenceDocument) -> None:
    table = doc.tables[14]
    form = table.form
    assert form is not None
    assert (form.department, form.supervisor) == ("深圳市罗湖区科技创新局（本级）", "深圳市罗湖区科技创新局")
    assert len(form.tasks) == 20
    assert form.tasks[9].content.endswith("深港科技合作项目，安全节能环保、大健康产业集群工作，以及城市更新项目履约监管服务项目。")
    assert form.total == ("15,577.52", "15,577.52", "0.00")
    assert [g[:2] for g in form.goals] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert table.rows[0] == ("产出指标", "数量指标", "服务活动举办数量", "≥10场")
    assert table.rows[20] == ("产出指标", "数量指标", "扶持引进高成长性企业数量", "≥21家")
    assert table.rows[58] == ("产出指标", "成本指标", "经费支付合格率", "100%")
    assert table.rows[-1] == ("满意度指标", "其他满意度指标", "企业高交会参展满意度", "≥95%")


def test_header_labels_of_the_layouts_are_printed_in_the_text(doc: ReferenceDocument) -> None:
    for n, layout in LAYOUTS.items():
        printed = "".join(c for row in doc.tables[n].header_rows for c in row)
        labels = {c for line in layout.header for c in line.split("|") if set(c) - {LEFT, UP}}
        assert {label for label in labels if label not in printed} == set(), n
    text = normalize(REFERENCE.read_text(encoding="utf-8"))
    assert {label for label in TARGET_FORM_LABELS.values() if label not in text} == set()


# --- the rendering ----------------------------------------------------------------------------


def test_rendering_is_deterministic(doc: ReferenceDocument, rendered: Path, tmp_path: Path) -> None:
    again = render(doc, tmp_path / "again.pdf")
    assert again.read_bytes() == rendered.read_bytes()


def test_shipped_sample_is_a_fresh_rendering(rendered: Path) -> None:
    assert SHIPPED.read_bytes() == rendered.read_bytes(), "re-run python -m pipelines.sample.render_shenzhen"


def test_metadata_and_embedded_cjk_font(doc: ReferenceDocument, pdf: pdfplumber.PDF, rendered: Path) -> None:
    assert pdf.metadata["Title"] == doc.title
    assert pdf.metadata["Author"] == "深圳市罗湖区科技创新局"
    fontname = pdf.pages[0].chars[0]["fontname"]
    assert "+" in fontname and "WenQuanYiZenHei" in fontname  # a subset, i.e. embedded
    assert b"/FontFile2" in rendered.read_bytes()
    assert doc.title in pdf.pages[0].extract_text()
    assert doc.preface[:20] in pdf.pages[0].extract_text().replace("\n", "")


def test_contents_and_parts_are_printed(doc: ReferenceDocument, pdf: pdfplumber.PDF) -> None:
    lines = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    text = "".join(line for line in lines if not re.fullmatch(r"- \d+ -", line))  # folios cut paragraphs
    for part in doc.parts:
        assert part.heading in text
        assert all(p in text for p in part.paragraphs), part.heading


def test_every_table_starts_a_page_with_its_title(
    doc: ReferenceDocument, pdf: pdfplumber.PDF, table_pages: dict[int, list[int]]
) -> None:
    starts = [table_pages[n][0] for n in sorted(table_pages)]
    assert starts == sorted(starts) and len(set(starts)) == 14
    for n, pages in table_pages.items():
        page = pdf.pages[pages[0]]
        assert (page.width > page.height) == (n in LANDSCAPE_TABLES), n
        text = page.extract_text()
        assert doc.tables[n].entity_line in text and doc.tables[n].unit_line in text
        title_line = next(line for line in text.splitlines() if doc.tables[n].title in line)
        assert title_line == doc.tables[n].title  # a heading of its own, not a table cell


def test_table_three_continues_on_a_second_page_without_header(
    doc: ReferenceDocument, pdf: pdfplumber.PDF, table_pages: dict[int, list[int]]
) -> None:
    first, second = table_pages[3]
    (continued,) = pdf.pages[second].extract_tables()
    assert continued[0][1:3] == ["20604", "技术与开发"]
    assert "支出总计" not in pdf.pages[second].extract_text()
    rows = _extracted_rows(pdf, [first, second])
    header, data = rows[:2], rows[2:]
    assert header[0][9] == "其中：" and header[0][10] is None and header[1][10] is not None
    assert [[_flat(c) for c in row] for row in data] == [list(r) for r in doc.tables[3].rows]


def test_merged_headers_come_back_as_none(pdf: pdfplumber.PDF, table_pages: dict[int, list[int]]) -> None:
    income = _extracted_rows(pdf, table_pages[2])
    assert income[0][:3] == ["预算单位", "收入总计", "本年收入"] and income[0][3:16] == [None] * 13
    assert income[1][0] is None and _flat(income[3][3]) == "基本支出拨款"
    three_public = _extracted_rows(pdf, table_pages[9])
    assert three_public[0][5:] == ["公务用车购置及运行维护费", None, None]
    assert [row[0] for row in three_public[3:]] == [None, None]  # 预算单位 spans the three years


def test_every_amount_is_extracted_unbroken(
    doc: ReferenceDocument, pdf: pdfplumber.PDF, table_pages: dict[int, list[int]]
) -> None:
    for n in range(1, 14):
        cells = {c for row in _extracted_rows(pdf, table_pages[n]) for c in row if c}
        amounts = {c for row in doc.tables[n].rows for c in row if is_amount(c)}
        assert amounts - cells == set(), n
    form = doc.tables[14].form
    assert form is not None
    cells = {c for row in _extracted_rows(pdf, table_pages[14]) for c in row if c}
    assert {t.total for t in form.tasks} | set(form.total) <= cells


def test_long_names_wrap_inside_their_cells(pdf: pdfplumber.PDF, table_pages: dict[int, list[int]]) -> None:
    cells = [c for row in _extracted_rows(pdf, table_pages[1]) for c in row if c]
    wrapped = [c for c in cells if _flat(c) == "其他巩固脱贫攻坚成果衔接乡村振兴支出"]
    assert wrapped and all("\n" in c for c in wrapped)
