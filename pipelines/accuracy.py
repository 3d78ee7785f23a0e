"""Extraction accuracy per PDF: `python -m pipelines.accuracy [PDF ...] [--warehouse budget.duckdb]`.

Prints, per PDF: standard tables found / expected, rows extracted, amount cells parsed as numbers /
amount cells, header columns without a meaning, coded rows that agree with the PDF's own text layer,
and, with --warehouse, the document's status and its checks passed / failed / not applicable.

The text-layer comparison is independent of the table extractor: pdfplumber's extract_text() writes
each printed table row as a line whose codes and amounts appear in print order (blank cells print
nothing), so one wrong digit, a shifted column or a lost row shows as a disagreement. No Dagster here.
"""

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import groupby
from pathlib import Path

import duckdb
import pdfplumber

from pipelines.extraction import RejectedDocument, extract_document, load_profiles
from pipelines.extraction.document import DocumentExtract, bytes_to_document_id
from pipelines.extraction.settings import ExtractionSettings
from pipelines.extraction.tables import Table
from pipelines.extraction.text import text_to_name
from pipelines.paths import BudgetPaths

_CODED = re.compile(r"^\d{3}(?:\d{2}){0,2}(?!\d)")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CODE_KEYS = ("code_class", "code_section", "code_item")


@dataclass(frozen=True)
class Accuracy:
    """What one PDF yielded."""

    source: str
    document_id: str
    layout: str
    tables_found: int
    tables_expected: int
    rows: int
    amounts_parsed: int
    amount_cells: int
    unmapped_columns: int
    text_rows_agreeing: int = 0
    text_rows: int = 0
    rejected: str | None = None


@dataclass(frozen=True)
class CheckCounts:
    """The warehouse's verdicts on one document."""

    status: str
    passed: int
    failed: int
    not_applicable: int


def pdf_to_coded_lines(path: Path, pages: list[int], y_tolerance: float) -> dict[int, list[tuple[str, ...]]]:
    """Page → the numbers of every text line that starts with a classification code, top to bottom."""
    lines: dict[int, list[tuple[str, ...]]] = {}
    with pdfplumber.open(path) as pdf:
        for number in pages:
            text = pdf.pages[number - 1].extract_text(y_tolerance=y_tolerance) or ""
            lines[number] = [tuple(_NUMBER.findall(line)) for line in text.splitlines() if _CODED.match(line.strip())]
    return lines


def table_to_coded_rows(table: Table) -> dict[int, list[tuple[str, ...]]]:
    """Page → the printed codes and amounts of every extracted row starting with a classification code, as
    the text layer prints them: side-by-side blocks of one printed line are joined again."""
    rows: dict[int, list[tuple[str, ...]]] = {page: [] for page in table.pages}
    for (page, _), printed_line in groupby(table.rows, key=lambda row: (row.page, row.bbox)):
        printed = [cell.printed.strip() for row in printed_line for cell in row.cells]
        first = next((text for text in printed if text), "")
        if _CODED.fullmatch(first):
            rows[page].append(tuple(text for text in printed if _NUMBER.fullmatch(text)))
    return rows


def text_layer_agreement(path: Path, tables: list[Table], y_tolerance: float) -> tuple[int, int]:
    """(extracted coded rows also printed as a text line on their page, extracted coded rows)."""
    extracted = [table_to_coded_rows(table) for table in tables]
    printed = pdf_to_coded_lines(path, sorted({page for rows in extracted for page in rows}), y_tolerance)
    pages = [(rows, printed[page]) for by_page in extracted for page, rows in by_page.items()]
    agreeing = sum(sum((Counter(rows) & Counter(lines)).values()) for rows, lines in pages)
    return agreeing, sum(len(rows) for rows, _ in pages)


def column_values(table: Table, column_key: str) -> list[tuple[str, Decimal | None]]:
    """(code as the warehouse builds it: digits only, 款/项 zero-padded; amount) per row; code '' for 合计 rows."""
    index = next(c.index for c in table.columns if c.column_key == column_key)
    parts = [c.index for c in table.columns if c.column_key in _CODE_KEYS]
    values = []
    for row in table.rows:
        printed = {cell.column_index: cell.printed.strip() for cell in row.cells}
        digits = [printed.get(i, "") for i in parts if printed.get(i, "").isdigit()]
        code = "".join(digits[:1] + [d.zfill(2) for d in digits[1:]])
        values.append((code, next((c.amount for c in row.cells if c.column_index == index), None)))
    return values


def total_row_amount(table: Table, column_key: str) -> Decimal | None:
    """The amount of the last row printed without a code (the 合计 row)."""
    return dict(column_values(table, column_key)).get("")


def name_paths(table: Table, column_key: str) -> dict[tuple[str, ...], Decimal | None]:
    """(类 name, 款 name, 项 name) → amount of every 项 row: how the prose names a function item."""
    name_column = next(c.index for c in table.columns if c.column_key == "name")
    names: dict[str, str] = {}
    paths = {}
    for row, (code, amount) in zip(table.rows, column_values(table, column_key)):
        names[code] = text_to_name(next((c.printed for c in row.cells if c.column_index == name_column), ""))
        if len(code) == 7:
            paths[(names.get(code[:3], ""), names.get(code[:5], ""), names[code])] = amount
    return paths


def hierarchy_mismatches(table: Table, column_key: str, tolerance: Decimal = Decimal(0)) -> list[str]:
    """Every printed parent whose amount differs from the sum of its printed children by more than tolerance.

    Amounts printed in 元 are exact, so the default tolerance is 0; 万元 figures are rounded to 0.01.
    """
    amounts = dict(column_values(table, column_key))
    children: dict[str, Decimal] = {}
    for code, amount in amounts.items():
        if len(code) > 3:
            children[code[:-2]] = children.get(code[:-2], Decimal(0)) + (amount or 0)
    return [
        f"{code}: {amounts.get(code)} ≠ Σ {total}"
        for code, total in children.items()
        if amounts.get(code) is None or abs(amounts[code] - total) > tolerance
    ]


def extract_to_accuracy(source: str, extract: DocumentExtract) -> Accuracy:
    """Count tables, rows and amount cells of one extract."""
    amount_cells = [
        cell
        for table in extract.tables
        for row in table.rows
        for cell in row.cells
        if table.columns[cell.column_index].is_amount
    ]
    return Accuracy(
        source=source,
        document_id=extract.document_id,
        layout=extract.layout,
        tables_found=len({t.spec.table_no for t in extract.tables}),
        tables_expected=extract.expected_tables,
        rows=sum(len(t.rows) for t in extract.tables),
        amounts_parsed=sum(1 for cell in amount_cells if cell.amount is not None),
        amount_cells=len(amount_cells),
        unmapped_columns=sum(1 for t in extract.tables for c in t.columns if c.column_key is None),
    )


def pdf_to_accuracy(path: Path, settings: ExtractionSettings | None = None) -> Accuracy:
    """Extract one PDF and compare it with its text layer; a rejected file is reported with the reason."""
    settings = settings or ExtractionSettings()
    try:
        extract = extract_document(path, settings)
        profile = next(p for p in load_profiles(settings.seed_dir) if p.layout == extract.layout)
        agreeing, total = text_layer_agreement(path, extract.tables, profile.text_y_tolerance)
        return replace(extract_to_accuracy(str(path), extract), text_rows_agreeing=agreeing, text_rows=total)
    except RejectedDocument as exc:
        return Accuracy(str(path), bytes_to_document_id(path.read_bytes()), "", 0, 0, 0, 0, 0, 0, rejected=str(exc))


def warehouse_to_checks(con: duckdb.DuckDBPyConnection, document_id: str) -> CheckCounts | None:
    """Status and verdict counts of a document in a built warehouse; None when it is not loaded there."""
    found = con.execute("select status from marts.dim_document where document_id = ?", [document_id]).fetchone()
    if found is None:
        return None
    passed, failed, not_applicable = con.execute(
        "select count(*) filter (where status = 'pass'), count(*) filter (where status = 'fail'),"
        " count(*) filter (where status = 'not_applicable') from marts.reconciliation_result where document_id = ?",
        [document_id],
    ).fetchone()
    return CheckCounts(found[0], passed, failed, not_applicable)


def accuracy_to_line(accuracy: Accuracy, checks: CheckCounts | None = None, warehouse: bool = False) -> str:
    """One line per PDF: the counts, then (with a warehouse) the verdicts."""
    name = Path(accuracy.source).name
    if accuracy.rejected:
        return f"{name}: rejected — {accuracy.rejected}"
    line = (
        f"{name}: layout {accuracy.layout}; tables {accuracy.tables_found}/{accuracy.tables_expected}; "
        f"rows {accuracy.rows}; amounts parsed {accuracy.amounts_parsed}/{accuracy.amount_cells}; "
        f"unmapped columns {accuracy.unmapped_columns}; "
        f"coded rows agreeing with the text layer {accuracy.text_rows_agreeing}/{accuracy.text_rows}"
    )
    if checks is not None:
        line += (
            f"; status {checks.status}; checks passed {checks.passed}, failed {checks.failed}, "
            f"not applicable {checks.not_applicable}"
        )
    elif warehouse:
        line += "; not in the warehouse"
    return line


def _pdfs(arguments: list[Path]) -> list[Path]:
    if arguments:
        return arguments
    raw_dir = BudgetPaths.from_env().raw_dir
    return sorted(p for p in raw_dir.rglob("*") if p.suffix.lower() == ".pdf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.accuracy", description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, help="PDF files (default: every PDF under $BUDGET_RAW_DIR or raw/)")
    parser.add_argument("--warehouse", type=Path, help="a built warehouse to read the check verdicts from")
    args = parser.parse_args(argv)
    con = duckdb.connect(str(args.warehouse), read_only=True) if args.warehouse else None
    try:
        for path in _pdfs(args.pdfs):
            accuracy = pdf_to_accuracy(path)
            checks = warehouse_to_checks(con, accuracy.document_id) if con else None
            print(accuracy_to_line(accuracy, checks, warehouse=con is not None), flush=True)
    finally:
        if con:
            con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
