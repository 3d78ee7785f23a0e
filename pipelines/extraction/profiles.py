"""Layout profiles: what each family of disclosures prints, read from the dbt seeds (data, not code)."""

import csv
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ColumnSpec:
    """A header label pattern and the meaning of the column it names."""

    header_pattern: re.Pattern
    column_key: str
    is_amount: bool


@dataclass(frozen=True)
class TableSpec:
    """One standard table of a layout: how its title reads and what its columns mean."""

    table_key: str
    table_no: int
    title_pattern: re.Pattern
    kind: str
    columns: tuple[ColumnSpec, ...]
    header_rows: int | None = None
    # First cell of a data row (a code, 合计, an ordinal): where header rows end when no amount is printed.
    data_row_pattern: re.Pattern | None = None

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
    """Everything the extractor knows about one layout family."""

    layout: str
    title_pattern: re.Pattern
    entity_pattern: re.Pattern | None
    region_pattern: re.Pattern
    empty_table_pattern: re.Pattern
    tables: tuple[TableSpec, ...]
    narrative: tuple[NarrativeSpec, ...]
    # Some producers set digits below the Chinese baseline; text lines need a looser grouping there.
    text_y_tolerance: float


def _read(seed_dir: Path, name: str) -> list[dict[str, str]]:
    with open(seed_dir / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _optional_regex(pattern: str) -> re.Pattern | None:
    return re.compile(pattern) if pattern else None


def load_profiles(seed_dir: Path) -> list[LayoutProfile]:
    """Read every layout profile from the seed CSVs."""
    columns: dict[tuple[str, str], list[ColumnSpec]] = {}
    for row in _read(seed_dir, "layout_columns.csv"):
        spec = ColumnSpec(re.compile(row["header_pattern"]), row["column_key"], row["value_type"] == "amount")
        columns.setdefault((row["layout"], row["table_key"]), []).append(spec)
    profile_rows = _read(seed_dir, "layout_profiles.csv")
    data_rows = {row["layout"]: _optional_regex(row["data_row_pattern"]) for row in profile_rows}
    tables: dict[str, list[TableSpec]] = {}
    for row in _read(seed_dir, "layout_tables.csv"):
        spec = TableSpec(
            table_key=row["table_key"],
            table_no=int(row["table_no"]),
            title_pattern=re.compile(row["title_pattern"]),
            kind=row["kind"],
            # Table-specific labels first, then the layout's shared ones (table_key '*').
            columns=tuple(columns.get((row["layout"], row["table_key"]), []) + columns.get((row["layout"], "*"), [])),
            # 'auto': header rows are the rows above the first printed amount.
            header_rows=None if row["header_rows"] == "auto" else int(row["header_rows"]),
            data_row_pattern=data_rows.get(row["layout"]),
        )
        tables.setdefault(row["layout"], []).append(spec)
    narrative: dict[str, list[NarrativeSpec]] = {}
    for row in _read(seed_dir, "layout_narrative.csv"):
        spec = NarrativeSpec(row["figure_key"], re.compile(row["pattern"]), row["repeats"] == "true")
        narrative.setdefault(row["layout"], []).append(spec)
    return [
        LayoutProfile(
            layout=row["layout"],
            title_pattern=re.compile(row["title_pattern"]),
            entity_pattern=_optional_regex(row["entity_pattern"]),
            region_pattern=re.compile(row["region_pattern"]),
            empty_table_pattern=re.compile(row["empty_table_pattern"]),
            tables=tuple(tables.get(row["layout"], ())),
            narrative=tuple(narrative.get(row["layout"], ())),
            text_y_tolerance=float(row["text_y_tolerance"]),
        )
        for row in profile_rows
    ]
