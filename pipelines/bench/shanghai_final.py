"""Synthetic Shanghai-layout 部门决算 (final accounts, every amount in 万元), as docs/shanghai-layouts.md §3 describes FB24F.

The 决算数 come from the same leaf-first generator as the budgets (`shanghai.random_budget`, in whole
hundreds of 元 so that 万元 with 2 decimals is exact); the 年初预算 of each 项 and of the 三公经费, the
income and spending outside the appropriations, and the carry-overs are drawn beside them. Every total,
summary row and narrative figure is summed from those, so the document reconciles exactly.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial

from pipelines.bench.shanghai import (
    ECONOMIC,
    HUNDRED_YUAN,
    Budget,
    FunctionLeaf,
    Money,
    PrintedDocument,
    PrintedTable,
    Row,
    Section,
    ThreePublic,
    _function_rows,
    _two_sided,
    cents_to_text,
    cents_to_wan,
    random_budget,
)
from pipelines.sample.render_shenzhen import LANDSCAPE_WIDTH_MM, PORTRAIT_WIDTH_MM

LAYOUT = "shanghai_department_final_account"

# The 类 of the 政府收支分类科目 as the summaries list them, printed or not.
CLASSES = (
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出",
    "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出",
    "资源勘探工业信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出", "自然资源海洋气象等支出", "住房保障支出",
    "粮油物资储备支出", "国有资本经营预算支出", "灾害防治及应急管理支出", "其他支出", "债务还本支出", "债务付息支出",
    "抗疫特别国债安排的支出",
)
DIGITS = "一二三四五六七八九"
TABLE_TITLES = (
    "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款基本支出决算表", "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款收入支出决算表",
)
EMPTY_FUNDS = ("政府性基金预算", "国有资本经营预算")
EXPLANATIONS = (
    "一、收入支出决算总体情况说明", "二、收入决算情况说明", "三、支出决算情况说明", "四、财政拨款收入支出决算总体情况说明",
    "五、一般公共预算财政拨款支出决算情况说明", "六、一般公共预算财政拨款基本支出决算情况说明", "七、财政拨款“三公”经费支出决算情况说明",
    "八、政府性基金预算财政拨款收入支出决算情况说明", "九、国有资本经营预算财政拨款收入支出决算情况说明", "十、预算绩效管理情况",
    "十一、其他重要事项的情况说明",
)
TERMS = (
    "财政拨款收入：指本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。",
    "其他收入：指除财政拨款收入、上级补助收入、事业收入、经营收入和附属单位上缴收入以外的各项收入。",
    "年初结转和结余：指以前年度尚未完成、结转到本年按有关规定继续使用的资金。",
    "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。",
    "项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。",
    "机关运行经费：指为保障行政单位运行用于购买货物和服务等的各项资金。",
)
FUNCTION_CODES = "支出功能分类|<<|科目名称"
CODE_COLUMNS_MM = (11.0, 11.0, 11.0)


@dataclass(frozen=True)
class AccountLeaf:
    """One 项: its 一般公共预算财政拨款 决算数 (basic, project), 年初预算, and money outside the appropriations."""

    function: FunctionLeaf
    initial: int  # 年初预算 of the appropriation
    other_income: int  # 其他收入 booked under this 项
    other_project: int  # 项目支出 paid from other income

    @property
    def codes(self) -> tuple[str, str, str]:
        return self.function.codes

    @property
    def names(self) -> tuple[str, str, str]:
        return self.function.names

    @property
    def appropriation(self) -> int:
        return self.function.basic + self.function.project


@dataclass(frozen=True)
class FinalAccount:
    """The numbers of one Shanghai 部门决算; everything printed is derived from them."""

    budget: Budget  # 决算数: appropriation spending by 项 and by economic item, 三公 and 机关运行经费
    leaves: tuple[AccountLeaf, ...]
    three_public_initial: ThreePublic  # 年初预算 of the 三公经费
    fiscal_carryover: int  # 年初 = 年末财政拨款结转和结余: the appropriations received are spent
    other_carryover: int  # 年初结转和结余 outside the appropriations
    last_year_total: int  # 上年度收入支出总计, for the year-on-year sentence

    @property
    def appropriation(self) -> int:
        return sum(leaf.appropriation for leaf in self.leaves)

    @property
    def other_income(self) -> int:
        return sum(leaf.other_income for leaf in self.leaves)

    @property
    def other_project(self) -> int:
        return sum(leaf.other_project for leaf in self.leaves)

    @property
    def opening_carryover(self) -> int:
        return self.fiscal_carryover + self.other_carryover

    @property
    def closing_carryover(self) -> int:
        return self.opening_carryover + self.other_income - self.other_project

    @property
    def grand_total(self) -> int:
        """收入支出总计 = 本年收入合计 + 年初结转和结余 = 本年支出合计 + 年末结转和结余."""
        return self.appropriation + self.other_income + self.opening_carryover


def _hundreds(rng: random.Random, low: int, high: int) -> int:
    """A random amount of whole hundreds of 元, in 分."""
    return rng.randint(low, high) * HUNDRED_YUAN


def _share(rng: random.Random, cents: int, low: int, high: int) -> int:
    """low–high percent of `cents`, in whole hundreds of 元."""
    return cents // HUNDRED_YUAN * rng.randint(low, high) // 100 * HUNDRED_YUAN


def random_final_account(rng: random.Random, year: int) -> FinalAccount:
    """A department's final account: 决算数 leaf first, 年初预算 a little above or below, some other income."""
    drawn = random_budget(rng, year, step=HUNDRED_YUAN)
    leaves = tuple(
        AccountLeaf(f, _share(rng, f.basic + f.project, 95, 110),
                    _hundreds(rng, 1, 800) if rng.random() < 0.2 else 0,
                    _hundreds(rng, 1, 500) if rng.random() < 0.15 else 0)
        for f in drawn.functions
    )
    initial = drawn.three_public
    if initial.total == 0:  # a 三公 table with no figure at all prints no data row
        initial = replace(initial, reception=_hundreds(rng, 1, 90))
    spent = [_share(rng, a, 50, 100) for a in (initial.overseas, initial.reception, initial.vehicle_purchase, initial.vehicle_operation)]
    public_use = sum(e.amount for e in drawn.economics if not e.personnel)  # 机关运行经费: the 公用经费
    budget = replace(drawn, scope="department", blank_zero=True, three_public=ThreePublic(*spent, public_use))
    fiscal = rng.choice((0, _hundreds(rng, 1, 5_000)))
    other = max(0, sum(leaf.other_project - leaf.other_income for leaf in leaves)) + rng.choice((0, _hundreds(rng, 1, 3_000)))
    account = FinalAccount(budget, leaves, initial, fiscal, other, 0)
    return replace(account, last_year_total=_share(rng, account.grand_total, 85, 115))


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 26 → 二十六 (the ordinals of the summaries' class list)."""
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else "十" if tens == 1 else f"{DIGITS[tens - 1]}十") + (DIGITS[ones - 1] if ones else "")


def percent(part: int, whole: int) -> str:
    """part / whole in percent with 2 decimals, rounded half up; 0.00 of nothing."""
    if whole == 0:
        return "0.00"
    hundredths = (part * 20_000 + whole) // (2 * whole)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def _nothing(leaf: AccountLeaf) -> int:
    """The columns a department's final account leaves blank (上级补助, 事业, 经营, 附属单位 …)."""
    return 0


def _total_first(rows: list[Row]) -> list[Row]:
    """收入/支出决算表 print the 合计 amounts on the 类|款|项 header line, not below the items."""
    *items, total = rows
    return [("类", "款", "项", "合计", *total[4:]), *items]


def _function_header(labels: Sequence[str], code_line: bool = False) -> tuple[str, ...]:
    """项目 over 支出功能分类 科目编码 | 科目名称, then one column per label spanning the header's height."""
    down = "|".join("^" * len(labels))
    header = (f"项目|<<<|{'|'.join(labels)}", f"{FUNCTION_CODES}|{down}", f"科目编码|<<|^|{down}")
    return (*header, f"类|款|项|^|{down}") if code_line else header


def _economic_blocks(budget: Budget, money: Money) -> list[Row]:
    """人员经费 (301, 303) on the left, 公用经费 (302) on the right, the whole catalogue with unused lines blank;
    the last line holds both subtotals."""
    amounts = {e.codes: e.amount for e in budget.economics}

    def block(personnel: bool) -> list[Row]:
        rows: list[Row] = []
        for c, name, is_personnel, items in ECONOMIC:
            if is_personnel == personnel:
                rows.append((c, "", name, money(sum(a for (code, _), a in amounts.items() if code == c))))
                rows += [(c, k, item, money(amounts.get((c, k), 0))) for k, item in items]
        return rows

    left, right = block(True), block(False)
    totals = [sum(e.amount for e in budget.economics if e.personnel is side) for side in (True, False)]
    return _two_sided(left, right, ("人员经费合计", "", "", money(totals[0]), "公用经费合计", "", "", money(totals[1])))


def final_account_to_document(account: FinalAccount) -> PrintedDocument:
    """Every printed line of the final account, following FB24F (ONLYOFFICE, portrait and landscape pages)."""
    budget, leaves = account.budget, account.leaves
    y, entity = budget.year, budget.entity
    money = partial(cents_to_text, blank_zero=True, scale=HUNDRED_YUAN)
    appropriation, income, carried = account.appropriation, account.appropriation + account.other_income, account.fiscal_carryover
    spending = appropriation + account.other_project
    tp, initial = budget.three_public, account.three_public_initial

    def by_class(column) -> list[tuple[str, int]]:
        return [(f"{chinese_number(i)}、{name}", sum(column(leaf) for leaf in leaves if leaf.names[0] == name))
                for i, name in enumerate(CLASSES, start=1)]

    def table(number: int, header, rows, widths, landscape: bool = True, **extra) -> PrintedTable:
        return PrintedTable(TABLE_TITLES[number - 1], "", "单位：万元", tuple(header), tuple(rows), tuple(widths),
                            landscape=landscape, **extra)

    def empty_table(number: int, fund: str) -> PrintedTable:
        header = ("项目|<<<|年初结转和结余|本年收入|本年支出|<<|年末结转和结余",
                  "支出功能分类科目编码|<<|科目名称|^|^|小计|基本支出|项目支出|^", "类|款|项|^|^|^|^|^|^|^")
        rows = [("",) * 10] * 8 + [("合计", *("",) * 9)]
        note = f"注：{entity}无{fund}财政拨款支出，故本表无数据。"
        return table(number, header, rows, (*CODE_COLUMNS_MM, 64.0, *(((LANDSCAPE_WIDTH_MM - 97.0) / 6),) * 6),
                     label_span=4, note=note)

    sources = ("一、一般公共预算财政拨款", "二、政府性基金预算财政拨款", "三、国有资本经营预算财政拨款")
    incomes = (("一、一般公共预算财政拨款收入", appropriation), ("二、政府性基金预算财政拨款收入", 0), ("三、国有资本经营预算财政拨款收入", 0),
               ("四、上级补助收入", 0), ("五、事业收入", 0), ("六、经营收入", 0), ("七、附属单位上缴收入", 0), ("八、其他收入", account.other_income))
    name_w, amount_w = PORTRAIT_WIDTH_MM * 0.36, PORTRAIT_WIDTH_MM * 0.14
    pairs = [(getattr(initial, k), getattr(tp, k))
             for k in ("total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")]
    tables = (
        table(1, ("收入|<|支出|<", "项目|决算数|项目|决算数"),
              _two_sided([(n, money(a)) for n, a in incomes],
                         [(n, money(a)) for n, a in by_class(lambda leaf: leaf.appropriation + leaf.other_project)],
                         ("本年收入合计", money(income), "本年支出合计", money(spending)),
                         ("使用非财政拨款结余（含专用结余）", "", "结余分配", ""),
                         ("年初结转和结余", money(account.opening_carryover), "年末结转和结余", money(account.closing_carryover)),
                         ("总计", money(account.grand_total), "总计", money(account.grand_total))),
              (name_w, amount_w, name_w, amount_w), landscape=False),
        table(2, _function_header(("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")),
              _total_first(_function_rows(leaves, (lambda leaf: leaf.appropriation + leaf.other_income, lambda leaf: leaf.appropriation,
                                                   *(_nothing,) * 4, lambda leaf: leaf.other_income), money)),
              (*CODE_COLUMNS_MM, 72.0, *(((LANDSCAPE_WIDTH_MM - 105.0) / 7),) * 7)),
        table(3, _function_header(("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")),
              _total_first(_function_rows(leaves, (lambda leaf: leaf.appropriation + leaf.other_project, lambda leaf: leaf.function.basic,
                                                   lambda leaf: leaf.function.project + leaf.other_project, *(_nothing,) * 3), money)),
              (*CODE_COLUMNS_MM, 72.0, *(((LANDSCAPE_WIDTH_MM - 105.0) / 6),) * 6)),
        table(4, ("收入|<|支出|<<<<", "项目|决算数|项目|合计|一般公共预算财政拨款|政府性基金预算财政拨款|国有资本经营预算财政拨款"),
              _two_sided([(sources[0], money(appropriation)), *((s, "") for s in sources[1:])],
                         [(n, money(a), money(a), "", "") for n, a in by_class(lambda leaf: leaf.appropriation)],
                         ("本年收入合计", money(appropriation), "本年支出合计", money(appropriation), money(appropriation), "", ""),
                         ("年初财政拨款结转和结余", money(carried), "年末财政拨款结转和结余", money(carried), money(carried), "", ""),
                         *((s, money(a), *("",) * 5) for s, a in zip(sources, (carried, 0, 0))),
                         ("总计", money(appropriation + carried), "总计", *(money(appropriation + carried),) * 2, "", "")),
              (56.0, 27.0, 56.0, *(((LANDSCAPE_WIDTH_MM - 139.0) / 4),) * 4)),
        table(5, _function_header(("合计", "基本支出", "项目支出"), code_line=True),
              _function_rows(leaves, (lambda leaf: leaf.appropriation, lambda leaf: leaf.function.basic,
                                      lambda leaf: leaf.function.project), money),
              (10.0, 10.0, 10.0, PORTRAIT_WIDTH_MM - 108.0, 26.0, 26.0, 26.0), landscape=False, label_span=4),
        table(6, ("经济分类|<|科目名称|决算数|经济分类|<|科目名称|决算数", "科目编码|<|^|^|科目编码|<|^|^", "类|款|^|^|类|款|^|^"),
              _economic_blocks(budget, money), (10.0, 9.0, PORTRAIT_WIDTH_MM / 2 - 40.0, 21.0) * 2,
              landscape=False, label_span=3, blocks=2),
        table(7, ("财政拨款“三公”经费|<<<<<<<<<<<", "合计|<|因公出国（境）费|<|公务用车购置及运行费|<<<<<|公务接待费|<",
                  "^|^|^|^|小计|<|公务用车购置费|<|公务用车运行费|<|^|^", "|" * 11, "|".join(("预算数", "决算数") * 6)),
              [tuple(money(a) for pair in pairs for a in pair)], (LANDSCAPE_WIDTH_MM / 12,) * 12),
        empty_table(8, EMPTY_FUNDS[0]),
        empty_table(9, EMPTY_FUNDS[1]),
    )
    cover = (entity, "年度部门决算", str(y))
    return PrintedDocument(cover, _front_matter(account), tables, _explanations(account))


def _front_matter(account: FinalAccount) -> tuple[Section, ...]:
    """目录, 第一部分 概况, and the page that opens 第二部分 (the tables)."""
    entity, y = account.budget.entity, account.budget.year
    contents = (
        f"第一部分 {entity}概况", "一、主要职能", "二、部门决算单位构成",
        f"第二部分 {entity}{y}年度部门决算表", *(f"{chinese_number(i)}、{t}" for i, t in enumerate(TABLE_TITLES, start=1)),
        f"第三部分 {entity}{y}年度部门决算情况说明", *EXPLANATIONS, "第四部分 名词解释",
    )
    return (
        Section("目  录", contents),
        Section(f"第一部分 {entity}概况"),
        Section("一、主要职能", (f"{entity}是主管本区相关工作的区政府工作部门，贯彻落实党中央、国务院和市委、市政府的决策部署，"
                               "依法履行职责，完成区委、区政府交办的其他任务。",), new_page=False),
        Section("二、部门决算单位构成", (f"从预算单位构成看，{entity}部门决算包括：{entity}本级决算。纳入{entity}{y}年度部门决算"
                                   f"编制范围的单位共1家，即{entity}（本级）。",), new_page=False),
        Section(f"第二部分 {entity}{y}年度部门决算表"),
    )


def _item_paragraph(number: int, leaf: AccountLeaf) -> str:
    """One 项 of the appropriation spending, named by its 类, 款 and 项, with 年初预算 and 支出决算."""
    c, s, i = leaf.names
    actual, initial = leaf.appropriation, leaf.initial
    reason = ("决算数与预算数持平。" if actual == initial
              else "决算数小于预算数的主要原因：预算执行中按实际需要调减。" if actual < initial
              else "决算数大于预算数的主要原因：年度中追加预算。")
    purpose = "机关正常运转的基本支出" if i == "行政运行" else f"{i}方面的支出"
    return (f"{number}、{c}（类）{s}（款）{i}（项）。主要用于：{purpose}。"
            f"年初预算为{cents_to_wan(initial)}万元，支出决算为{cents_to_wan(actual)}万元。{reason}")


def _explanations(account: FinalAccount) -> tuple[Section, ...]:
    """第三部分 情况说明 (every figure the profile reads agrees with the tables) and 第四部分 名词解释."""
    budget, leaves, wan = account.budget, account.leaves, cents_to_wan
    entity, y, tp, initial = budget.entity, budget.year, budget.three_public, account.three_public_initial
    appropriation, other = account.appropriation, account.other_income
    income, spending = appropriation + other, appropriation + account.other_project
    basic = sum(leaf.function.basic for leaf in leaves)
    total, last = account.grand_total, account.last_year_total
    personnel = [e for e in budget.economics if e.personnel and e.amount]
    public_use = [e for e in budget.economics if not e.personnel and e.amount]
    classes = [(name, sum(leaf.appropriation for leaf in leaves if leaf.names[0] == name)) for name in CLASSES]
    paragraphs = (
        (f"{entity}{y}年度收入支出总计{wan(total)}万元。与{y - 1}年度相比，收入支出总计{'增加' if total >= last else '减少'}"
         f"{wan(abs(total - last))}万元，{'增长' if total >= last else '下降'}{percent(abs(total - last), last)}%。"
         "主要原因：人员变动，以及项目支出按合同进度支付。",),
        (f"本年收入合计{wan(income)}万元，其中：财政拨款收入{wan(appropriation)}万元，占{percent(appropriation, income)}%"
         + (f"；其他收入{wan(other)}万元，占{percent(other, income)}%" if other else "") + "。",),
        (f"本年支出合计{wan(spending)}万元，其中：基本支出{wan(basic)}万元，占{percent(basic, spending)}%；"
         f"项目支出{wan(spending - basic)}万元，占{percent(spending - basic, spending)}%。",),
        (f"{entity}{y}年度财政拨款收入支出总计{wan(appropriation + account.fiscal_carryover)}万元。",),
        ("（一）一般公共预算财政拨款支出决算总体情况",
         f"一般公共预算财政拨款支出{wan(appropriation)}万元，占本年支出合计的{percent(appropriation, spending)}%。",
         "（二）一般公共预算财政拨款支出决算结构情况",
         f"一般公共预算财政拨款支出{wan(appropriation)}万元，主要用于以下方面："
         + "；".join(f"{name}（类）{wan(a)}万元，占{percent(a, appropriation)}%" for name, a in classes if a) + "。",
         "（三）一般公共预算财政拨款支出决算具体情况",
         f"一般公共预算财政拨款支出年初预算为{wan(sum(leaf.initial for leaf in leaves))}万元，支出决算为{wan(appropriation)}万元，"
         f"完成年初预算的{percent(appropriation, sum(leaf.initial for leaf in leaves))}%。其中：",
         *(_item_paragraph(n, leaf) for n, leaf in enumerate(leaves, start=1))),
        (f"一般公共预算财政拨款基本支出{wan(basic)}万元。其中：人员经费{wan(sum(e.amount for e in personnel))}万元，主要包括："
         f"{'、'.join(e.names[1] for e in personnel)}；公用经费{wan(sum(e.amount for e in public_use))}万元，主要包括："
         f"{'、'.join(e.names[1] for e in public_use)}。",),
        (f"“三公”经费财政拨款支出年初预算为{wan(initial.total)}万元，支出决算为{wan(tp.total)}万元，完成预算的"
         f"{percent(tp.total, initial.total)}%，其中：因公出国（境）费支出决算为{wan(tp.overseas)}万元，完成预算的"
         f"{percent(tp.overseas, initial.overseas)}%；公务用车购置及运行维护费支出决算为{wan(tp.vehicle_total)}万元，完成预算的"
         f"{percent(tp.vehicle_total, initial.vehicle_total)}%；公务接待费支出决算为{wan(tp.reception)}万元，完成预算的"
         f"{percent(tp.reception, initial.reception)}%。",),
        *((f"{entity}{y}年度无{fund}财政拨款收入和支出。",) for fund in EMPTY_FUNDS),
        (f"{entity}{y}年度对项目支出开展了绩效目标编报、绩效跟踪和绩效自评，评价结果用于改进管理和安排以后年度预算。",),
        ("（一）机关运行经费支出情况", f"机关运行经费支出{wan(tp.admin_operation)}万元，主要用于办公、水电、差旅和会议等。",
         "（二）国有资产占有使用情况", f"截至{y}年12月31日，{entity}国有资产按规定登记入账、管理和使用。"),
    )
    return (
        Section(f"第三部分 {entity}{y}年度部门决算情况说明"),
        *(Section(heading, texts, new_page=False) for heading, texts in zip(EXPLANATIONS, paragraphs, strict=True)),
        Section("第四部分 名词解释", TERMS),
    )
