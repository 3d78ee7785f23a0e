"""The national vocabulary of disclosure tables: which printed title names which canonical table.

Every government prints the same Ministry of Finance tables under its own titles ("表3 部门支出总体情况表",
"公开03表 支出总表", "三、支出预算总表"). A title is matched by meaning: what varies (label, year, entity,
部门/单位, spaces, punctuation) is stripped, and the rest must hold the words of a canonical table's rule
and none of its exclusions (seeds `table_vocabulary.csv`, `title_labels.csv`). A new wording is a new row.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# "苏州市审计局2026年度" before a title: the entity and the year say which document, not which table.
_ENTITY_AND_YEAR = re.compile(r"^.{0,40}?(?:19|20)\d{2}年度?")
_SCOPE_WORDS = re.compile(r"^(?:预算单位|本部门|本单位|部门|单位|[省市区县]级(?:部门|单位)?)")
_TRAILING_NOTE = re.compile(r"[（(][^（()）]{0,20}[）)]$")
_PUNCTUATION = re.compile(r"[\s“”\"'‘’「」《》、，,：:·•．.\-—－–_~～（）()\[\]【】]")
_MAX_TITLE = 40


@dataclass(frozen=True)
class TableRule:
    """A canonical table and the words by which its printed title is recognised."""

    table_key: str
    kind: str
    fund_scope: str
    classification: str
    in_facts: bool
    all_of: tuple[tuple[str, ...], ...]
    none_of: tuple[str, ...]
    priority: int
    # "title": matched on a title line; "header": a sub-table opened by its header row inside a grid.
    match: str
    # Printed many times by design (one 项目绩效目标表 per project), so a second one is no duplicate.
    repeats: bool
    header_rows: int | None
    total_row_pattern: str

    def matches(self, words: str) -> bool:
        """True when the normalised title holds every required word (one of each group) and no excluded one."""
        return all(any(w in words for w in group) for group in self.all_of) and not any(w in words for w in self.none_of)


@dataclass(frozen=True)
class TitleLabels:
    """How a table's label is printed before or after its title (表3, 公开03表, 一、, （预算表1）)."""

    prefixes: tuple[re.Pattern, ...]
    suffixes: tuple[re.Pattern, ...]


def read_seed(seed_dir: Path, name: str) -> list[dict[str, str]]:
    with open(seed_dir / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_table_rules(seed_dir: Path) -> list[TableRule]:
    """The canonical tables, most specific first (highest priority)."""
    rules = [
        TableRule(
            table_key=row["table_key"], kind=row["kind"], fund_scope=row["fund_scope"], classification=row["classification"],
            in_facts=row["in_facts"] == "true",
            all_of=tuple(tuple(group.split("|")) for group in row["all_of"].split()),
            none_of=tuple(row["none_of"].split()),
            priority=int(row["priority"]), match=row["match"], repeats=row["repeats"] == "true",
            header_rows=None if row["header_rows"] == "auto" else int(row["header_rows"]),
            total_row_pattern=row["total_row_pattern"],
        )
        for row in read_seed(seed_dir, "table_vocabulary.csv")
    ]
    return sorted(rules, key=lambda r: -r.priority)


def load_title_labels(seed_dir: Path) -> TitleLabels:
    rows = read_seed(seed_dir, "title_labels.csv")
    return TitleLabels(
        prefixes=tuple(re.compile(r["pattern"]) for r in rows if r["position"] == "prefix"),
        suffixes=tuple(re.compile(r["pattern"]) for r in rows if r["position"] == "suffix"),
    )


def text_to_flat(text: str) -> str:
    """NFKC, no whitespace: how a line reads whatever the producer's spacing."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def line_to_label(flat: str, labels: TitleLabels) -> tuple[str, str]:
    """(label, rest): the printed table label (表3, 公开03表, 一、) split off a flattened line."""
    for pattern in labels.prefixes:
        if match := pattern.match(flat):
            return match.group(0), flat[match.end():]
    for pattern in labels.suffixes:
        if match := pattern.search(flat):
            return match.group(0), flat[: match.start()]
    return "", flat


def line_to_title(text: str, labels: TitleLabels) -> str | None:
    """The words of a table title, or None when the line is no title (a sentence, a contents entry, a heading).

    A title names a table: after its label, entity and year, it ends with 表 (or 表 and a note in brackets,
    "（按功能分类科目）") and is short. A contents line ends in a page number or leader dots.
    """
    flat = text_to_flat(text)
    if re.search(r"(?:\.{3,}|…+|·{3,})\d*$", flat):
        return None
    _, rest = line_to_label(flat, labels)
    rest = _SCOPE_WORDS.sub("", _ENTITY_AND_YEAR.sub("", rest, count=1), count=1)
    core = rest
    while _TRAILING_NOTE.search(core):
        core = _TRAILING_NOTE.sub("", core)
    if not core.endswith("表") or len(core) > _MAX_TITLE or len(core) < 3:
        return None
    return _PUNCTUATION.sub("", rest)


def title_to_rule(words: str, rules: list[TableRule], match: str = "title") -> TableRule | None:
    """The most specific canonical table whose words the title holds."""
    return next((rule for rule in rules if rule.match == match and rule.matches(words)), None)


def label_to_number(label: str) -> int | None:
    """The table number a label prints: 表3, 公开03表, 表十一, 三、 → 3, 3, 11, 3."""
    digits = re.search(r"\d+", label)
    if digits:
        return int(digits.group(0))
    chinese = re.search(r"[一二三四五六七八九十]+", label)
    return chinese_to_int(chinese.group(0)) if chinese else None


def chinese_to_int(numeral: str) -> int:
    """一 … 九十九 as an integer."""
    values = dict(zip("一二三四五六七八九", range(1, 10)))
    if "十" not in numeral:
        return values.get(numeral, 0)
    tens, _, units = numeral.partition("十")
    return (values.get(tens, 1) if tens else 1) * 10 + values.get(units, 0)
