"""Layout profiles: the national vocabulary of tables and header words, and the few things a family of
disclosures does its own way (narrative sentences, a looser text grouping). All read from the dbt seeds.

A profile ("dialect") adds rows to the national vocabulary, never replaces its mechanism: the tables a
document prints are recognised by `vocabulary.py` whatever the profile, and a profile's own header-word
rows are tried before the national ones.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipelines.extraction.vocabulary import TableRule, TitleLabels, load_table_rules, load_title_labels, read_seed

# Where header rows end when a table prints no amount: a classification code (also as "[201]" or "201-") or an
# ordinal ("一、"); failing those, a total row or "无" (nothing to report), words a header row may also print.
_DATA_ROW = re.compile(r"^(?:\[?\d{3}(?:\d{2}){0,2}\]?(?:$|[-\s\u4e00-\u9fff])|[一二三四五六七八九十]+、)")
_TOTAL_ROW = re.compile(r"^(?:合计|总计|无)$")


@dataclass(frozen=True)
class ColumnSpec:
    """A header label pattern and the meaning of the column it names."""

    header_pattern: re.Pattern
    column_key: str
    is_amount: bool


@dataclass(frozen=True)
class TableSpec:
    """A canonical table as the extractor reads it: its vocabulary rule and what its header words mean."""

    rule: TableRule
    columns: tuple[ColumnSpec, ...]
    data_row_pattern: re.Pattern = _DATA_ROW
    total_row_pattern: re.Pattern = _TOTAL_ROW

    @property
    def table_key(self) -> str:
        return self.rule.table_key

    @property
    def kind(self) -> str:
        return self.rule.kind

    @property
    def header_rows(self) -> int | None:
        return self.rule.header_rows

    def column_for(self, header_label: str) -> ColumnSpec | None:
        """The first column spec whose pattern matches a joined header label."""
        return next((c for c in self.columns if c.header_pattern.search(header_label)), None)


@dataclass(frozen=True)
class NarrativeSpec:
    """A figure stated in the prose, found by a regex with an `amount` group."""

    figure_key: str
    pattern: re.Pattern
    repeats: bool


@dataclass(frozen=True)
class LayoutProfile:
    """Everything the extractor knows about one family of disclosures."""

    layout: str
    # Found in the text of a document of this family; empty for the national fallback of a document type.
    detect_pattern: re.Pattern | None
    document_type: str
    empty_table_pattern: re.Pattern
    tables: tuple[TableSpec, ...]
    narrative: tuple[NarrativeSpec, ...]
    # Groups of table keys the family prints (one of each group: "gpb_basic_economic|gpb_economic").
    expected_tables: tuple[tuple[str, ...], ...]
    labels: TitleLabels
    # Some producers set digits below the Chinese baseline; text lines need a looser grouping there.
    text_y_tolerance: float

    def spec(self, table_key: str) -> TableSpec:
        return next(s for s in self.tables if s.table_key == table_key)


def _optional_regex(pattern: str) -> re.Pattern | None:
    return re.compile(pattern) if pattern else None


def _column_rank(row: dict[str, str], layout: str, rule: TableRule) -> int | None:
    """Where a header-word row stands for this table of this profile (lower first), None when it does not apply.

    A row's scope names tables (space-separated): a table key, `kind:<kind>`, `class:<classification>` or `*`;
    the profile's own rows come before the national ones, and a narrower scope before a wider one.
    """
    if row["layout"] not in ("", layout):
        return None
    ranks = {rule.table_key: 1, f"kind:{rule.kind}": 2, f"class:{rule.classification}": 2, "*": 3}
    found = [ranks[scope] for scope in row["scope"].split() if scope in ranks]
    if not found:
        return None
    if row["column_key"] == "prior_year" or row["column_key"].endswith("__prior_year"):
        # A column of last year is never this year's figure, whatever else its label says.
        return 0
    return (0 if row["layout"] else 3) + min(found)


def table_specs(layout: str, rules: list[TableRule], column_rows: list[dict[str, str]]) -> tuple[TableSpec, ...]:
    """Every canonical table with the header words that name its columns, the profile's own words first."""
    specs = []
    for rule in rules:
        ranked = sorted(
            ((rank, index, row) for index, row in enumerate(column_rows) if (rank := _column_rank(row, layout, rule)) is not None),
            key=lambda item: item[:2],
        )
        columns = tuple(ColumnSpec(re.compile(row["header_pattern"]), row["column_key"], row["value_type"] == "amount") for _, _, row in ranked)
        specs.append(TableSpec(rule, columns))
    return tuple(specs)


def seeds_to_stamp(seed_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every seed file: changes whenever a seed is edited."""
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(Path(seed_dir).glob("*.csv")))


def load_profiles(seed_dir: Path) -> list[LayoutProfile]:
    """Every layout profile from the seed CSVs, those detected by their text first."""
    # Building the header vocabulary of every table costs as much as reading a short PDF; a worker reading many
    # documents builds it once per version of the seeds.
    return list(_profiles_of(Path(seed_dir), seeds_to_stamp(seed_dir)))


@lru_cache(maxsize=4)
def _profiles_of(seed_dir: Path, stamp: tuple[tuple[str, int, int], ...]) -> tuple[LayoutProfile, ...]:
    """The profiles of the seeds as they are at `stamp` (the cache key)."""
    rules = load_table_rules(seed_dir)
    labels = load_title_labels(seed_dir)
    column_rows = read_seed(seed_dir, "column_vocabulary.csv")
    narrative: dict[str, list[NarrativeSpec]] = {}
    for row in read_seed(seed_dir, "layout_narrative.csv"):
        narrative.setdefault(row["layout"], []).append(NarrativeSpec(row["figure_key"], re.compile(row["pattern"]), row["repeats"] == "true"))
    profiles = [
        LayoutProfile(
            layout=row["layout"],
            detect_pattern=_optional_regex(row["detect_pattern"]),
            document_type=row["document_type"],
            empty_table_pattern=re.compile(row["empty_table_pattern"]),
            tables=table_specs(row["layout"], rules, column_rows),
            narrative=tuple(narrative.get(row["layout"], ())),
            expected_tables=tuple(tuple(group.split("|")) for group in row["expected_tables"].split()),
            labels=labels,
            text_y_tolerance=float(row["text_y_tolerance"]),
        )
        for row in read_seed(seed_dir, "layout_profiles.csv")
    ]
    return tuple(sorted(profiles, key=lambda p: p.detect_pattern is None))
