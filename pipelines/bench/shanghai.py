"""Synthetic Shanghai-layout 部门/单位预算 (amounts in 元, 三公 in 万元), as docs/shanghai-layouts.md describes them.

Numbers are generated leaf first and every parent, total and summary is summed from the leaves, so
each document reconciles exactly. Rendering reuses the building blocks of the Shenzhen renderer.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, NextPageTemplate, PageBreak, Paragraph, Spacer

from pipelines.sample.render_shenzhen import (
    BLANK,
    LANDSCAPE_WIDTH_MM,
    LEFT,
    PORTRAIT,
    UP,
    Cell,
    Grid,
    _body_paragraph,
    _caption,
    _data_cell,
    _expand,
    _flowable,
    _forbid_line_start_punctuation,
    _header_spans,
    _markup,
    _page_templates,
    _style,
    register_cjk_font,
)

Row = tuple[str, ...]
Money = Callable[[int], str]  # 分 → the printed amount

DISTRICTS = ("普陀区", "静安区", "徐汇区", "长宁区", "黄浦区", "虹口区", "杨浦区", "闵行区")
DEPARTMENTS = ("司法局", "财政局", "教育局", "民政局", "人民政府办公室", "卫生健康委员会", "人民政府万里街道办事处", "市场监督管理局")

# 功能分类 (类, name, ((款, name, ((项, name), …)), …)): a slice of the 政府收支分类科目.
FUNCTIONS = (
    ("201", "一般公共服务支出", (
        ("03", "政府办公厅（室）及相关机构事务", (("01", "行政运行"), ("02", "一般行政管理事务"), ("99", "其他政府办公厅（室）及相关机构事务支出"))),
        ("05", "统计信息事务", (("07", "专项普查活动"),)),
        ("38", "市场监督管理事务", (("01", "行政运行"), ("02", "一般行政管理事务"))),
    )),
    ("204", "公共安全支出", (("06", "司法", (("01", "行政运行"), ("04", "基层司法业务"), ("05", "普法宣传"), ("10", "社区矫正"))),)),
    ("207", "文化旅游体育与传媒支出", (("01", "文化和旅游", (("09", "群众文化"), ("99", "其他文化和旅游支出"))),)),
    ("208", "社会保障和就业支出", (
        ("05", "行政事业单位养老支出", (("01", "行政单位离退休"), ("05", "机关事业单位基本养老保险缴费支出"), ("06", "机关事业单位职业年金缴费支出"))),
        ("08", "抚恤", (("01", "死亡抚恤"),)),
    )),
    ("210", "卫生健康支出", (("11", "行政事业单位医疗", (("01", "行政单位医疗"), ("02", "事业单位医疗"), ("03", "公务员医疗补助"))),)),
    ("212", "城乡社区支出", (("01", "城乡社区管理事务", (("01", "行政运行"), ("99", "其他城乡社区管理事务支出"))),)),
    ("221", "住房保障支出", (("02", "住房改革支出", (("01", "住房公积金"), ("03", "购房补贴"))),)),
)

# 部门预算经济分类 (类, name, is_personnel, ((款, name), …)): 301 and 303 are 人员经费, 302 公用经费.
ECONOMIC = (
    ("301", "工资福利支出", True, (("01", "基本工资"), ("02", "津贴补贴"), ("03", "奖金"), ("07", "绩效工资"),
                              ("08", "机关事业单位基本养老保险缴费"), ("09", "职业年金缴费"), ("10", "职工基本医疗保险缴费"),
                              ("13", "住房公积金"), ("99", "其他工资福利支出"))),
    ("302", "商品和服务支出", False, (("01", "办公费"), ("05", "水费"), ("06", "电费"), ("07", "邮电费"), ("11", "差旅费"),
                               ("13", "维修(护)费"), ("15", "会议费"), ("16", "培训费"), ("17", "公务接待费"), ("28", "工会经费"),
                               ("29", "福利费"), ("31", "公务用车运行维护费"), ("39", "其他交通费用"), ("99", "其他商品和服务支出"))),
    ("303", "对个人和家庭的补助", True, (("02", "退休费"), ("05", "生活补助"), ("07", "医疗费补助"), ("09", "奖励金"))),
)

ORDINALS = "一二三四五六七八九十"
HUNDRED_YUAN = 10_000  # 分 in 100 元 = 0.01 万元, the last digit of an amount printed in 万元
# Rows per printed page: conservative, so reportlab never splits a piece on its own.
FIRST_PAGE_ROWS = 16
NEXT_PAGE_ROWS = 22


@dataclass(frozen=True)
class FunctionLeaf:
    """One 项 with its 基本支出 and 项目支出 in 分."""

    codes: tuple[str, str, str]
    names: tuple[str, str, str]
    basic: int
    project: int


@dataclass(frozen=True)
class EconomicLeaf:
    """One 款 of the economic classification with its amount in 分."""

    codes: tuple[str, str]
    names: tuple[str, str]
    personnel: bool
    amount: int


@dataclass(frozen=True)
class ThreePublic:
    """三公 and 机关运行经费 in 分 (printed in 万元)."""

    overseas: int
    reception: int
    vehicle_purchase: int
    vehicle_operation: int
    admin_operation: int

    @property
    def vehicle_total(self) -> int:
        return self.vehicle_purchase + self.vehicle_operation

    @property
    def total(self) -> int:
        return self.overseas + self.reception + self.vehicle_total


@dataclass(frozen=True)
class Budget:
    """The numbers of one Shanghai budget; everything printed is derived from them."""

    district: str
    entity: str
    year: int
    scope: str  # 'department' or 'unit'
    functions: tuple[FunctionLeaf, ...]
    economics: tuple[EconomicLeaf, ...]
    three_public: ThreePublic
    blank_zero: bool  # GO25 leaves zero cells blank; JB26 prints 0.00


@dataclass(frozen=True)
class PrintedTable:
    """One table as printed: title, caption line, merged header grid, rows, how it breaks over pages."""

    title: str
    entity_line: str
    unit_line: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    widths_mm: tuple[float, ...]
    label_span: int = 1  # the label of a closing …合计 row spans the code and name columns (of each block)
    repeat_header: bool = False
    note: str = ""
    landscape: bool = True
    blocks: int = 1  # side-by-side blocks of the same columns (决算 基本支出: 人员经费 | 公用经费)


@dataclass(frozen=True)
class Section:
    """A heading and its paragraphs; a part opens a page, a section within a part runs on."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    new_page: bool = True


@dataclass(frozen=True)
class PrintedDocument:
    """Cover lines, the narrative before the tables, the nine tables, the narrative after them."""

    cover: tuple[str, ...]
    narrative: tuple[Section, ...]
    tables: tuple[PrintedTable, ...]
    closing: tuple[Section, ...] = ()


def random_budget(rng: random.Random, year: int, step: int = 1) -> Budget:
    """A plausible department: a subset of the functions, basic spending spread over economic items.

    Every amount is a whole number of `step` 分 (HUNDRED_YUAN where each one is printed in 万元)."""
    district, department = rng.choice(DISTRICTS), rng.choice(DEPARTMENTS)
    functions = [
        FunctionLeaf((c, s, i), (cn, sn, name), *_basic_project(rng, name, step))
        for c, cn, sections in FUNCTIONS if c in ("201", "208", "210", "221") or rng.random() < 0.5
        for s, sn, items in sections if s == sections[0][0] or rng.random() < 0.5
        for i, name in items if i == items[0][0] or rng.random() < 0.6
    ]
    functions = _rounded_to_hundred_yuan(functions)
    basic = sum(f.basic for f in functions)
    personnel = basic // step * rng.randint(70, 90) // 100 * step
    economics = [
        *_economic_leaves(rng, [e for e in ECONOMIC if e[2] and (e[0] == "301" or rng.random() < 0.7)], personnel, step),
        *_economic_leaves(rng, [e for e in ECONOMIC if not e[2]], basic - personnel, step),
    ]
    three_public = ThreePublic(*(rng.choice((0, rng.randint(1, 90) * HUNDRED_YUAN)) for _ in range(4)), rng.randint(100, 600) * HUNDRED_YUAN)
    return Budget(district, f"上海市{district}{department}", year, rng.choice(("department", "unit")),
                  tuple(functions), tuple(economics), three_public, rng.random() < 0.5)


def _basic_project(rng: random.Random, name: str, step: int) -> tuple[int, int]:
    """行政运行 and the personnel-like items are basic spending; the rest mostly projects."""
    amount = rng.randint(20_000, 30_000_000) * 100 // step * step
    if name == "行政运行" or "养老" in name or "医疗" in name or name in ("住房公积金", "购房补贴", "行政单位离退休"):
        return amount, 0
    if rng.random() < 0.3:
        basic = amount * rng.randint(10, 90) // 100 // step * step
        return basic, amount - basic
    return 0, amount


def _rounded_to_hundred_yuan(functions: list[FunctionLeaf]) -> list[FunctionLeaf]:
    """Top up the first leaf so the total is whole hundreds of 元: the narrative states it in 万元 to 2 decimals."""
    short = -sum(f.basic + f.project for f in functions) % HUNDRED_YUAN
    first = functions[0]
    return [FunctionLeaf(first.codes, first.names, first.basic + short, first.project), *functions[1:]]


def _economic_leaves(rng: random.Random, classes: Sequence[tuple], amount: int, step: int) -> list[EconomicLeaf]:
    """`amount` spread over a random choice of the classes' items; the last one takes the remainder."""
    chosen = [(c, cn, personnel, k, kn) for c, cn, personnel, items in classes for k, kn in items if k == items[0][0] or rng.random() < 0.5]
    weights = [rng.randint(1, 100) for _ in chosen]
    amounts = [amount // step * w // sum(weights) * step for w in weights]
    amounts[-1] += amount - sum(amounts)
    return [EconomicLeaf((c, k), (cn, kn), personnel, a) for (c, cn, personnel, k, kn), a in zip(chosen, amounts)]


def cents_to_text(cents: int, blank_zero: bool = False, scale: int = 1) -> str:
    """分 → `1,234,567.89` (元; 万元 with scale HUNDRED_YUAN) as the tables print it; zero blank or `0.00`
    by the document's habit."""
    if cents == 0 and blank_zero:
        return ""
    printed = cents // scale
    return f"{printed // 100:,}.{printed % 100:02d}"


def cents_to_wan(cents: int) -> str:
    """分 → 万元 with 2 decimals, no separators (the narrative and the 三公 table)."""
    return f"{cents // HUNDRED_YUAN // 100}.{cents // HUNDRED_YUAN % 100:02d}"


def _function_rows(functions: Sequence, columns, money: Money) -> list[Row]:
    """类, 款 and 项 rows in code order, parents summed from leaves, then the 合计 row.

    `functions` are leaves with codes and names (FunctionLeaf, or a final account's leaf); `columns` take one to 分."""
    def amounts(leaves: Sequence) -> tuple[str, ...]:
        return tuple(money(sum(column(f) for f in leaves)) for column in columns)

    rows: list[Row] = []
    for c in sorted({f.codes[0] for f in functions}):
        in_class = [f for f in functions if f.codes[0] == c]
        rows.append((c, "", "", in_class[0].names[0], *amounts(in_class)))
        for s in sorted({f.codes[1] for f in in_class}):
            in_section = [f for f in in_class if f.codes[1] == s]
            rows.append((c, s, "", in_section[0].names[1], *amounts(in_section)))
            rows += [(c, s, f.codes[2], f.names[2], *amounts([f])) for f in in_section]
    rows.append(("合计", "", "", "", *amounts(functions)))
    return rows


def _economic_rows(economics: Sequence[EconomicLeaf], money: Money) -> list[Row]:
    """类 and 款 rows with 合计 = 人员经费 + 公用经费, then the 合计 row."""
    def amounts(leaves: Sequence[EconomicLeaf]) -> tuple[str, ...]:
        personnel = sum(e.amount for e in leaves if e.personnel)
        public = sum(e.amount for e in leaves if not e.personnel)
        return tuple(money(a) for a in (personnel + public, personnel, public))

    rows: list[Row] = []
    for c in sorted({e.codes[0] for e in economics}):
        in_class = [e for e in economics if e.codes[0] == c]
        rows.append((c, "", in_class[0].names[0], *amounts(in_class)))
        rows += [(c, e.codes[1], e.names[1], *amounts([e])) for e in sorted(in_class, key=lambda e: e.codes)]
    rows.append(("合计", "", "", *amounts(economics)))
    return rows


def _class_totals(budget: Budget) -> list[tuple[str, int]]:
    """(一、name, total) per 类, the expense side of the two summary tables."""
    codes = sorted({f.codes[0] for f in budget.functions})
    return [
        (f"{ORDINALS[i]}、{next(f.names[0] for f in budget.functions if f.codes[0] == c)}",
         sum(f.basic + f.project for f in budget.functions if f.codes[0] == c))
        for i, c in enumerate(codes)
    ]


def _two_sided(left: Sequence[Row], right: Sequence[Row], *totals: Row) -> list[Row]:
    """Income and expense lists side by side, padded with blanks, the 合计/结转/总计 rows last."""
    height = max(len(left), len(right))
    pad_left = [("",) * len(left[0])] * (height - len(left))
    pad_right = [("",) * len(right[0])] * (height - len(right))
    return [(*a, *b) for a, b in zip([*left, *pad_left], [*right, *pad_right])] + list(totals)


def budget_to_document(budget: Budget) -> PrintedDocument:
    """Every printed line of the budget, following the WPS-produced Putuo budgets."""
    y, entity = budget.year, budget.entity
    money = partial(cents_to_text, blank_zero=budget.blank_zero)
    total = sum(f.basic + f.project for f in budget.functions)
    kind, prefix, who = ("部门", "部门", "本部门") if budget.scope == "department" else ("单位", "预算单位", "本单位")
    caption = f"编制{'部门' if budget.scope == 'department' else '单位'}：{entity}"
    code_widths, width = (12.0, 12.0, 12.0), LANDSCAPE_WIDTH_MM
    function_header = ("项目|<<<|{}|<<", "功能分类科目编码|<<|功能分类科目名称|合计|基本支出|项目支出", "类|款|项|^|^|^|^")
    function_widths = (*code_widths, 93.0, 46.0, 46.0, 46.0)
    by_function = (lambda f: f.basic + f.project, lambda f: f.basic, lambda f: f.project)
    classes = _class_totals(budget)
    blank = ""  # the two summary tables leave a zero blank in every Putuo file
    tp = budget.three_public

    def table(title: str, header, rows, widths, unit="元", **extra) -> PrintedTable:
        return PrintedTable(f"{y}年{prefix}{title}", caption, f"单位：{unit}" if unit == "元" else f"单位:{unit}",
                            tuple(header), tuple(rows), tuple(widths), **extra)

    def empty_function_table(fund: str) -> PrintedTable:
        rows = [("",) * 7] * 5 + [("合计", "", "", "", "", "", "")]
        note = f"注:{who}{y}年无{fund}预算财政拨款安排的预算，故本表为空表。"
        return table(f"{fund}预算支出功能分类预算表", [function_header[0].format(f"{fund}预算支出"), *function_header[1:]],
                     rows, function_widths, label_span=4, note=note)

    income = [("一、财政拨款收入", total), ("1. 一般公共预算资金", total), ("2. 政府性基金", 0), ("3. 国有资本经营预算", 0),
              ("二、事业收入", 0), ("三、事业单位经营收入", 0), ("四、其他收入", 0)]
    tables = (
        table("财务收支预算总表", ("本年收入|<|本年支出|<", "项目|预算数|项目|预算数"),
              _two_sided([(n, cents_to_text(a, True)) for n, a in income], [(n, cents_to_text(a, True)) for n, a in classes],
                         ("收入总计", cents_to_text(total), "支出总计", cents_to_text(total))),
              (80.0, 53.5, 80.0, 53.5)),
        table("收入预算总表", ("项目|<<<|收入预算|<<<<", "功能分类科目编码|<<|功能分类科目名称|合计|财政拨款收入|事业收入|事业单位经营收入|其他收入",
                          "类|款|项|^|^|^|^|^|^"),
              _function_rows(budget.functions, (by_function[0], by_function[0], *(lambda f: 0,) * 3), money),
              (*code_widths, 76.0, *(31.0,) * 5), label_span=4),
        table("支出预算总表", [function_header[0].format("支出预算"), *function_header[1:]],
              _function_rows(budget.functions, by_function, money), function_widths, label_span=4),
        table("财政拨款收支预算总表", ("财政拨款收入|<|财政拨款支出|<<<<", "项目|预算数|项目|合计|一般公共预算|政府性基金预算|国有资本经营预算"),
              _two_sided([("一、一般公共预算资金", cents_to_text(total)), ("二、政府性基金", blank), ("三、国有资本经营预算", blank)],
                         [(n, cents_to_text(a), cents_to_text(a), blank, blank) for n, a in classes],
                         ("收入总计", cents_to_text(total), "支出总计", cents_to_text(total), cents_to_text(total), "", "")),
              (60.0, 35.0, 60.0, 28.0, 28.0, 28.0, 28.0)),
        table("一般公共预算支出功能分类预算表", [function_header[0].format("一般公共预算支出"), *function_header[1:]],
              _function_rows(budget.functions, by_function, money), function_widths, label_span=4, repeat_header=True),
        empty_function_table("政府性基金"),
        empty_function_table("国有资本经营"),
        table("一般公共预算基本支出部门预算经济分类预算表",
              ("项目|<<|一般公共预算基本支出|<<", "部门预算经济分类科目编码|<|经济分类科目名称|合计|人员经费|公用经费", "类|款|^|^|^|^"),
              _economic_rows(budget.economics, money), (20.0, 20.0, 77.0, 50.0, 50.0, 50.0), label_span=3),
        PrintedTable(f"{y}年{kind}“三公”经费和机关运行经费预算表", caption, "单位:万元",
                     (f"{y}年“三公”经费预算数|<<<<<|{y}年机关运行经费预算数",
                      "合计|因公出国(境)费|公务接待费|公务用车购置及运行费|<<|^", "^|^|^|小计|购置费|运行费|^"),
                     (tuple(cents_to_wan(a) for a in (tp.total, tp.overseas, tp.reception, tp.vehicle_total,
                                                     tp.vehicle_purchase, tp.vehicle_operation, tp.admin_operation)),),
                     (width / 7,) * 7),
    )
    wan = cents_to_wan(total)
    narrative = (
        Section("一、主要职能", (f"{entity}是负责本区相关行政管理和公共服务工作的{kind}，贯彻落实党和国家的方针政策，依法履行职责。",)),
        Section(f"{y}年{kind}预算编制说明", (
            f"{y}年，{entity}收入预算{wan}万元，其中：财政拨款收入{wan}万元；事业收入0万元；事业单位经营收入0万元；其他收入0万元。",
            f"支出预算{wan}万元，其中：财政拨款支出预算{wan}万元。财政拨款支出预算中，一般公共预算拨款支出预算{wan}万元；政府性基金拨款支出预算0万元；国有资本经营预算拨款支出预算0万元。",
        )),
        Section("其他相关情况说明", (
            f"{y}年“三公”经费预算数为{cents_to_wan(tp.total)}万元。其中：因公出国（境）费{cents_to_wan(tp.overseas)}万元，"
            f"公务用车购置及运行费{cents_to_wan(tp.vehicle_total)}万元，公务接待费{cents_to_wan(tp.reception)}万元。",
            f"{y}年{entity}下属1家机关财政拨款的机关运行经费预算为{cents_to_wan(tp.admin_operation)}万元。",
        )),
    )
    cover = (f"上海市{budget.district}{y}年区级{kind}预算", f"{'预算主管部门' if budget.scope == 'department' else '预算单位'}：{entity}")
    return PrintedDocument(cover, narrative, tables)


def _grid(header: Sequence[str], rows: Sequence[Row], label_span: int, blocks: int = 1) -> Grid:
    """Header grid above data rows; the label of a closing …合计 row spans the code and name columns of its block."""
    header_rows = [_expand(line) for line in header]
    cells = [[BLANK if c in (LEFT, UP) else Cell(c, "header") for c in row] for row in header_rows]
    cells += [[_data_cell(c) for c in row] for row in rows]
    spans = _header_spans(header_rows)
    if label_span > 1 and rows:
        last, width = len(cells) - 1, len(rows[-1]) // blocks
        spans += [(last, start, last, start + label_span - 1)
                  for start in range(0, len(rows[-1]), width) if rows[-1][start].endswith("合计")]
    return Grid(tuple(tuple(r) for r in cells), tuple(spans), 9.0)


def _pieces(table: PrintedTable) -> Iterator[Grid]:
    """The table in page-sized pieces; later pieces repeat the header where the layout does."""
    first, rest = table.rows[:FIRST_PAGE_ROWS], table.rows[FIRST_PAGE_ROWS:]
    yield _grid(table.header, first, table.label_span, table.blocks)
    for start in range(0, len(rest), NEXT_PAGE_ROWS):
        piece = rest[start : start + NEXT_PAGE_ROWS]
        yield _grid(table.header if table.repeat_header else (), piece, table.label_span, table.blocks)


def truth_rows(table: PrintedTable) -> list[Row]:
    """The rows as an extraction reads them: side-by-side blocks become consecutive rows, left block first."""
    rows = []
    for row in table.rows:
        width = len(row) // table.blocks
        rows += [row[start : start + width] for start in range(0, len(row), width)]
    return rows


def _table_pages(table: PrintedTable) -> Iterator[Flowable]:
    """Title, 编制 line, grid pieces, and the note below the grid."""
    yield NextPageTemplate("landscape" if table.landscape else "portrait")
    yield PageBreak()
    yield Paragraph(_markup(table.title), _style("table-title", 16, TA_CENTER, leading=24, spaceAfter=8))
    yield _caption(table, sum(table.widths_mm))
    for i, grid in enumerate(_pieces(table)):
        if i:
            yield PageBreak()
        yield _flowable(grid, table.widths_mm)
    if table.note:
        yield Spacer(0, 4)
        yield Paragraph(_markup(table.note), _style("note", 10))


def _sections(sections: Sequence[Section]) -> Iterator[Flowable]:
    """Parts open a page under a centred heading, sections run on; no paragraph breaks over pages, so
    no folio falls inside a sentence."""
    for section in sections:
        if section.new_page:
            yield NextPageTemplate("portrait")
            yield PageBreak()
            yield Paragraph(_markup(section.heading), _style("part", 16, TA_CENTER, leading=24, spaceAfter=12))
        else:
            yield Paragraph(_markup(section.heading), _style("section", 12, leading=20, spaceBefore=8, spaceAfter=4))
        yield from (KeepTogether([_body_paragraph(p)]) for p in section.paragraphs)


def _story(document: PrintedDocument) -> Iterator[Flowable]:
    """Cover, the narrative sections, the tables, then the closing sections."""
    yield Spacer(0, 60 * mm)
    for line in document.cover:
        yield Paragraph(_markup(line), _style("cover-title", 20, TA_CENTER, leading=36))
    yield from _sections(document.narrative)
    for table in document.tables:
        yield from _table_pages(table)
    yield from _sections(document.closing)


def render(document: PrintedDocument, output: Path) -> Path:
    """Write the PDF (byte-identical for the same document: reportlab's invariant mode)."""
    register_cjk_font()
    _forbid_line_start_punctuation()
    output.parent.mkdir(parents=True, exist_ok=True)
    doc = BaseDocTemplate(str(output), pagesize=PORTRAIT, title=document.cover[0], author=document.cover[1],
                          creator="budget-etl bench corpus", invariant=1, pageTemplates=_page_templates())
    doc.build(list(_story(document)))
    return output
