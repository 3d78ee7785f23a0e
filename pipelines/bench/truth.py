"""How much of the truth an extraction recovered: metadata and every printed cell."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.bench.corpus import Truth
from pipelines.extraction.document import DocumentExtract
from pipelines.extraction.text import text_to_name

METADATA = ("layout", "fiscal_year", "document_type", "scope", "entity_name", "region")


@dataclass(frozen=True)
class Match:
    """Cells of the truth found at their place in the extracted tables, and what differed."""

    cells: int
    matched: int
    problems: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.matched / self.cells if self.cells else 1.0


def extracted_rows(extract: DocumentExtract, table_no: int) -> list[list[str]] | None:
    """Printed cells of the first extracted table with this number, each at its table column (None when
    the table was not found): a lone 合计 row on a page of its own prints fewer, merged cells."""
    table = next((t for t in extract.tables if t.number == table_no), None)
    if table is None:
        return None
    rows = []
    for row in table.rows:
        cells = [""] * (max((c.column_index for c in row.cells), default=-1) + 1)
        for cell in row.cells:
            cells[cell.column_index] = cell.printed
        rows.append(cells)
    return rows


def row_matches(got: list[str], want: list[str]) -> int:
    """Cells of `want` equal, as names, to the cell at the same column of `got`."""
    padded = got + [""] * (len(want) - len(got))
    return sum(text_to_name(g) == text_to_name(w) for g, w in zip(padded, want))


def extract_to_match(extract: DocumentExtract, truth: Truth) -> Match:
    """Compare metadata and every truth cell, row by row in print order."""
    problems = [f"{key}: {getattr(extract, key)!r} != {getattr(truth, key)!r}" for key in METADATA
                if getattr(extract, key) != getattr(truth, key)]
    cells = matched = 0
    for number, want_rows in sorted(truth.tables.items()):
        got_rows = extracted_rows(extract, number) or []
        table_cells = sum(len(row) for row in want_rows)
        table_matched = sum(row_matches(got, want) for got, want in zip(got_rows, want_rows))
        cells, matched = cells + table_cells, matched + table_matched
        if table_matched < table_cells or len(got_rows) != len(want_rows):
            problems.append(f"table {number}: {table_matched}/{table_cells} cells, {len(got_rows)}/{len(want_rows)} rows")
    return Match(cells, matched, tuple(problems))
