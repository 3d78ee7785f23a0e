"""Extraction accuracy over any folder: `python -m pipelines.accuracy FOLDER_OR_PDF ... [--warehouse W | --build]`.

Prints, per PDF: the layout profile, the facts read (year, type, scope, entity, region), standard tables found /
expected, rows, amount cells parsed as numbers / amount cells, header columns without a meaning, coded rows that
agree with the PDF's own text layer, and, with a warehouse (--warehouse, or --build to build one from the PDFs),
the document's status and its checks passed / failed / not applicable. Then per region the same totals, and the
failure classes ranked by how many documents they touch: the list a maintainer works down to add a region.

The text-layer comparison is independent of the table extractor: pdfplumber's extract_text() writes each printed
table row as a line whose codes and amounts appear in print order (blank cells print nothing), so one wrong digit,
a shifted column or a lost row shows as a disagreement. No Dagster here.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
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

# A printed row or text line that starts with a classification code: "201", "[201]", "2010601-".
_CODED = re.compile(r"^[\[【(（]?\d{3}(?:\d{2}){0,2}(?!\d)")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# Tables of words (performance targets): an unmapped column there loses no figure.
_TEXT_KINDS = ("performance", "project_performance", "performance_indicators")
# The tables whose every function-classification row the warehouse's facts rest on.
FACT_TABLES = ("expenditure", "gpb_function")


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
    facts: tuple = ()
    missing_tables: tuple[str, ...] = ()
    # Expected tables the document leaves out of its numbered tables: not expected of it, so not missing.
    not_printed: tuple[str, ...] = ()
    unmapped_labels: tuple[str, ...] = ()
    disagreeing_tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckCounts:
    """The warehouse's verdicts on one document."""

    status: str
    passed: int
    failed: int
    not_applicable: int
    failed_checks: tuple[str, ...] = ()
    reason: str | None = None


def pdf_to_coded_lines(path: Path, pages: list[int], y_tolerance: float) -> dict[int, list[tuple[str, ...]]]:
    """Page → the numbers of every text line that starts with a classification code, top to bottom."""
    lines: dict[int, list[tuple[str, ...]]] = {}
    with pdfplumber.open(path) as pdf:
        for number in pages:
            page = pdf.pages[number - 1]
            text = page.extract_text(y_tolerance=y_tolerance) or ""
            lines[number] = [tuple(_NUMBER.findall(line)) for line in text.splitlines() if _CODED.match(line.strip())]
            page.close()
    return lines


def with_wrapped_rows(lines: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The coded lines, and each one printing its code alone joined with the next: a row whose name wraps prints
    its code on one line and the rest (another code, the amounts) on the next, and is extracted as one row."""
    return lines + [alone + after for alone, after in zip(lines, lines[1:]) if len(alone) == 1]


def table_to_coded_rows(table: Table) -> dict[int, list[tuple[str, ...]]]:
    """Page → the printed codes and amounts of every extracted row starting with a classification code, as
    the text layer prints them: side-by-side blocks of one printed line are joined again."""
    rows: dict[int, list[tuple[str, ...]]] = {page: [] for page in table.pages}
    for (page, _), printed_line in groupby(table.rows, key=lambda row: (row.page, row.bbox)):
        printed = [cell.printed.strip() for row in printed_line for cell in row.cells if cell.printed.strip()]
        if printed and _CODED.match(printed[0]):
            rows[page].append(tuple(_NUMBER.findall(" ".join(printed))))
    return rows


def text_layer_agreement(path: Path, tables: list[Table], y_tolerance: float) -> tuple[int, int, list[str]]:
    """(extracted coded rows also printed as a text line on their page, extracted coded rows, keys of the tables
    with a row the text layer does not print)."""
    extracted = {table.key: table_to_coded_rows(table) for table in tables}
    printed = pdf_to_coded_lines(path, sorted({page for rows in extracted.values() for page in rows}), y_tolerance)
    agreeing = total = 0
    disagreeing = []
    for key, by_page in extracted.items():
        matched = sum(sum((Counter(rows) & Counter(with_wrapped_rows(printed[page]))).values()) for page, rows in by_page.items())
        count = sum(len(rows) for rows in by_page.values())
        agreeing, total = agreeing + matched, total + count
        if matched < count:
            disagreeing.append(key)
    return agreeing, total, disagreeing


def column_values(table: Table, column_key: str) -> list[tuple[str, Decimal | None]]:
    """(the row's code, '' when it has none; the amount in the column) per row."""
    index = next(c.index for c in table.columns if c.column_key == column_key)
    return [(row.code or "", next((c.amount for c in row.cells if c.column_index == index), None)) for row in table.rows]


def total_row_amount(table: Table, column_key: str) -> Decimal | None:
    """The amount of the last row printed without a code (the 合计 row)."""
    return dict(column_values(table, column_key)).get("")


def name_paths(table: Table, column_key: str) -> dict[tuple[str, ...], Decimal | None]:
    """(类 name, 款 name, 项 name) → amount of every 项 row: how the prose names a function item."""
    names: dict[str, str] = {}
    paths = {}
    for row, (code, amount) in zip(table.rows, column_values(table, column_key)):
        names[code] = text_to_name(row.name)
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
        if table.columns[cell.column_index].is_amount and cell.printed.strip()
    ]
    profile = next(p for p in load_profiles(ExtractionSettings().seed_dir) if p.layout == extract.layout)
    keys = {t.spec.table_key for t in extract.tables}
    return Accuracy(
        source=source,
        document_id=extract.document_id,
        layout=extract.layout,
        tables_found=extract.tables_found,
        tables_expected=extract.expected_tables,
        rows=sum(len(t.rows) for t in extract.tables),
        amounts_parsed=sum(1 for cell in amount_cells if cell.amount is not None),
        amount_cells=len(amount_cells),
        unmapped_columns=sum(1 for t in extract.tables for c in t.columns if c.column_key is None),
        facts=(extract.fiscal_year, extract.document_type, extract.scope, extract.entity_name, extract.region),
        missing_tables=tuple(
            "|".join(group) for group in profile.expected_tables if not keys & set(group) and "|".join(group) not in extract.not_printed
        ),
        not_printed=extract.not_printed,
        unmapped_labels=tuple(
            f"{t.spec.table_key}: {c.header_label}"
            for t in extract.tables if t.spec.kind not in _TEXT_KINDS
            for c in t.columns if c.column_key is None and c.header_label
        ),
    )


def pdf_to_accuracy(path: Path, settings: ExtractionSettings | None = None) -> Accuracy:
    """Extract one PDF and compare it with its text layer; a rejected file is reported with the reason."""
    settings = settings or ExtractionSettings()
    try:
        extract = extract_document(path, settings)
        profile = next(p for p in load_profiles(settings.seed_dir) if p.layout == extract.layout)
        facts = [t for t in extract.tables if t.spec.table_key in FACT_TABLES and t.occurrence == 1]
        agreeing, total, disagreeing = text_layer_agreement(path, facts, profile.text_y_tolerance)
        return replace(extract_to_accuracy(str(path), extract), text_rows_agreeing=agreeing, text_rows=total, disagreeing_tables=tuple(disagreeing))
    except RejectedDocument as exc:
        return Accuracy(str(path), bytes_to_document_id(path.read_bytes()), "", 0, 0, 0, 0, 0, 0, rejected=str(exc))


def warehouse_to_checks(con: duckdb.DuckDBPyConnection, document_id: str) -> CheckCounts | None:
    """Status and verdict counts of a document in a built warehouse; None when it is not loaded there."""
    found = con.execute("select * from marts.dim_document where document_id = ?", [document_id]).df()
    if found.empty:
        return None
    row = found.iloc[0].to_dict()
    verdicts = con.execute(
        "select status, check_id from marts.reconciliation_result where document_id = ?", [document_id]
    ).fetchall()
    counts = Counter(status for status, _ in verdicts)
    failed = tuple(sorted({check for status, check in verdicts if status == "fail"}))
    return CheckCounts(row["status"], counts["pass"], counts["fail"], counts["not_applicable"], failed, row.get("status_reason"))


def accuracy_to_line(accuracy: Accuracy, checks: CheckCounts | None = None, warehouse: bool = False) -> str:
    """One line per PDF: the counts, then (with a warehouse) the verdicts."""
    name = Path(accuracy.source).name
    if accuracy.rejected:
        return f"{name}: rejected — {accuracy.rejected}"
    line = (
        f"{name}: layout {accuracy.layout}; tables {accuracy.tables_found}/{accuracy.tables_expected}"
        f"{''.join(f' ({key} not printed)' for key in accuracy.not_printed)}; "
        f"rows {accuracy.rows}; amounts parsed {accuracy.amounts_parsed}/{accuracy.amount_cells}; "
        f"unmapped columns {accuracy.unmapped_columns}; "
        f"coded rows agreeing with the text layer {accuracy.text_rows_agreeing}/{accuracy.text_rows}"
    )
    if accuracy.facts:
        year, kind, scope, entity, region = accuracy.facts
        line += f"; {year} {kind} {scope} {entity} ({region})"
    if checks is not None:
        line += (
            f"; status {checks.status}; checks passed {checks.passed}, failed {checks.failed}, "
            f"not applicable {checks.not_applicable}"
        )
    elif warehouse:
        line += "; not in the warehouse"
    return line


@dataclass
class RegionTotals:
    documents: int = 0
    statuses: Counter = field(default_factory=Counter)
    tables_found: int = 0
    tables_expected: int = 0
    rows_agreeing: int = 0
    rows: int = 0


def region_of(accuracy: Accuracy) -> str:
    return (accuracy.facts[4] if accuracy.facts and accuracy.facts[4] else "?") if not accuracy.rejected else "rejected"


def failure_classes(accuracy: Accuracy, checks: CheckCounts | None) -> set[str]:
    """What went wrong with one document, in words that group documents sharing the cause."""
    if accuracy.rejected:
        return {"rejected: " + re.sub(r"\(.*?\)|\d+", "…", accuracy.rejected)[:80]}
    classes = {f"table missing: {key}" for key in accuracy.missing_tables}
    classes |= {f"unmapped column: {label}" for label in accuracy.unmapped_labels}
    classes |= {f"rows disagree with the text layer: {key}" for key in accuracy.disagreeing_tables}
    classes |= {f"fact missing: {name}" for name, value in zip(("year", "type", "scope", "entity", "region"), accuracy.facts) if not value}
    if checks:
        classes |= {f"check fails: {check}" for check in checks.failed_checks}
    return classes


def report_lines(results: list[tuple[Accuracy, CheckCounts | None]]) -> list[str]:
    """Per region totals, then the failure classes by the number of documents they touch."""
    regions: dict[str, RegionTotals] = defaultdict(RegionTotals)
    classes: Counter = Counter()
    for accuracy, checks in results:
        totals = regions[region_of(accuracy)]
        totals.documents += 1
        totals.statuses[checks.status if checks else ("rejected" if accuracy.rejected else "extracted")] += 1
        totals.tables_found += accuracy.tables_found
        totals.tables_expected += accuracy.tables_expected
        totals.rows_agreeing += accuracy.text_rows_agreeing
        totals.rows += accuracy.text_rows
        classes.update(failure_classes(accuracy, checks))
    lines = ["", "by region:"]
    for region, t in sorted(regions.items()):
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(t.statuses.items()))
        lines.append(f"  {region}: {t.documents} documents ({statuses}); tables {t.tables_found}/{t.tables_expected}; "
                     f"function rows agreeing with the text layer {t.rows_agreeing}/{t.rows}")
    lines += ["", "failure classes (documents touched):"]
    lines += [f"  {count:4d}  {name}" for name, count in classes.most_common()] or ["  none"]
    return lines


def _pdfs(arguments: list[Path]) -> list[Path]:
    if not arguments:
        arguments = [BudgetPaths.from_env().raw_dir]
    found = []
    for argument in arguments:
        found += sorted(p for p in argument.rglob("*") if p.suffix.lower() == ".pdf") if argument.is_dir() else [argument]
    return found


def build_warehouse(pdfs: list[Path], folder: Path) -> Path:
    """Run the whole pipeline (`budget-etl run`) over these PDFs into a warehouse in `folder`."""
    raw = folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for index, pdf in enumerate(pdfs):
        link = raw / f"{index:04d}-{pdf.name}"
        if not link.exists():
            link.symlink_to(pdf.resolve())
    warehouse = folder / "warehouse" / "budget.duckdb"
    environment = {**os.environ, "BUDGET_RAW_DIR": str(raw), "BUDGET_WAREHOUSE": str(warehouse)}
    subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], env=environment, check=True, stdout=subprocess.DEVNULL)
    return warehouse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.accuracy", description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, help="PDF files or folders (default: $BUDGET_RAW_DIR or raw/)")
    parser.add_argument("--warehouse", type=Path, help="a built warehouse to read the check verdicts from")
    parser.add_argument("--build", action="store_true", help="build a warehouse from the PDFs first (in a temporary folder)")
    args = parser.parse_args(argv)
    pdfs = _pdfs(args.pdfs)
    with tempfile.TemporaryDirectory(prefix="budget-accuracy-") as scratch:
        warehouse = build_warehouse(pdfs, Path(scratch)) if args.build else args.warehouse
        con = duckdb.connect(str(warehouse), read_only=True) if warehouse else None
        results = []
        try:
            for path in pdfs:
                accuracy = pdf_to_accuracy(path)
                checks = warehouse_to_checks(con, accuracy.document_id) if con else None
                results.append((accuracy, checks))
                print(accuracy_to_line(accuracy, checks, warehouse=con is not None), flush=True)
        finally:
            if con:
                con.close()
    print("\n".join(report_lines(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
