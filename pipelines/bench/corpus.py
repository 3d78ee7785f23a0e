"""Benchmark corpus: synthetic disclosures of both layout families, each PDF with its truth beside it.

Usage: python -m pipelines.bench.corpus --out DIR [--count 200] [--seed 0] [--jobs N]

Document i of seed S is the same bytes on every run (reportlab's invariant mode, a random
generator seeded with "S-i"), so a corpus can be regenerated instead of stored. Even indices
are Shenzhen 部门预算 (14 tables, 万元), so both layout families stay balanced; of the odd ones,
i % 4 == 1 is a Shanghai 部门/单位预算 (9 tables, 元) and i % 4 == 3 a Shanghai 部门决算 (9 tables, 万元):
a quarter of the corpus is final accounts. `<name>.truth.json` holds the metadata and every printed
data row of every grid table.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from pipelines.bench import shanghai, shanghai_final, shenzhen
from pipelines.sample import render_shenzhen
from pipelines.sample.reference_text import ReferenceDocument, load_reference

YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
FINAL_ACCOUNT_YEARS = YEARS[:4]  # a year's 决算 is published the year after
# 表十四 is a form, not a grid of rows; the Shenzhen truth covers 表一 … 表十三.
SHENZHEN_GRID_TABLES = range(1, 14)


@dataclass(frozen=True)
class Truth:
    """What a perfect extraction of one document yields."""

    layout: str
    fiscal_year: int
    document_type: str
    scope: str
    entity_name: str
    region: str
    tables: dict[int, list[list[str]]]  # table number → printed data rows, blank rows left out


@cache
def reference() -> ReferenceDocument:
    """The Shenzhen reference text every Shenzhen variant starts from."""
    path = os.environ.get("BUDGET_REFERENCE_TEXT", render_shenzhen.DEFAULT_REFERENCE)
    return load_reference(Path(path))


def printed_rows(rows) -> list[list[str]]:
    """Rows as the extractor keeps them: a row with no text at all is not a row."""
    return [list(row) for row in rows if any(cell.strip() for cell in row)]


FAMILIES = ("shenzhen", "shanghai", "shenzhen", "shanghai-final")  # by index % 4


def index_to_name(seed: int, index: int) -> str:
    """File stem of document `index`: the family and the index, stable across runs."""
    return f"bench-s{seed}-{index:04d}-{FAMILIES[index % 4]}"


def render_shenzhen_document(rng: random.Random, output: Path) -> Truth:
    """A Shenzhen 部门预算 of another district, department and year."""
    district, department, year = rng.choice(shenzhen.DISTRICTS), rng.choice(shenzhen.DEPARTMENTS), rng.choice(YEARS)
    document = shenzhen.reference_to_variant(reference(), district, department, year)
    render_shenzhen.render(document, output)
    entity = f"深圳市{district}区{department}（本级）"
    tables = {n: printed_rows(document.tables[n].rows) for n in SHENZHEN_GRID_TABLES}
    return Truth("shenzhen_department_budget", year, "budget", "unit", entity, f"深圳市{district}区", tables)


def render_shanghai_printed(document: shanghai.PrintedDocument, output: Path, layout: str, document_type: str,
                            budget: shanghai.Budget) -> Truth:
    """Render a Shanghai document; its truth is every printed row of its nine tables, block by block."""
    shanghai.render(document, output)
    tables = {n: printed_rows(shanghai.truth_rows(t)) for n, t in enumerate(document.tables, start=1)}
    return Truth(layout, budget.year, document_type, budget.scope, budget.entity, f"上海市{budget.district}", tables)


def render_shanghai_document(rng: random.Random, output: Path) -> Truth:
    """A Shanghai 部门预算 or 单位预算 with freshly generated, exactly reconciling numbers."""
    budget = shanghai.random_budget(rng, rng.choice(YEARS))
    return render_shanghai_printed(shanghai.budget_to_document(budget), output, "shanghai_department_budget", "budget", budget)


def render_shanghai_final_account(rng: random.Random, output: Path) -> Truth:
    """A Shanghai 部门决算 with freshly generated, exactly reconciling 决算数 and 年初预算."""
    account = shanghai_final.random_final_account(rng, rng.choice(FINAL_ACCOUNT_YEARS))
    return render_shanghai_printed(shanghai_final.final_account_to_document(account), output, shanghai_final.LAYOUT,
                                   "final_account", account.budget)


RENDERERS = (render_shenzhen_document, render_shanghai_document, render_shenzhen_document, render_shanghai_final_account)


def generate_document(out: Path, seed: int, index: int) -> Path:
    """Render document `index` of the corpus of `seed` and write its truth beside it."""
    name = index_to_name(seed, index)
    rng = random.Random(f"{seed}-{index}")
    render_family = RENDERERS[index % 4]
    pdf = out / f"{name}.pdf"
    truth = render_family(rng, pdf)
    truth_path = out / f"{name}.truth.json"
    truth_path.write_text(json.dumps(asdict(truth), ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return pdf


def load_truth(pdf: Path) -> Truth:
    """The truth written beside `pdf`."""
    data = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    data["tables"] = {int(k): v for k, v in data["tables"].items()}
    return Truth(**data)


def generate_corpus(out: Path, seed: int, indices: Sequence[int], jobs: int | None = None) -> list[Path]:
    """Documents `indices` of the corpus of `seed` in `out`, rendered over `jobs` processes (default: all cores)."""
    out.mkdir(parents=True, exist_ok=True)
    workers = min(jobs or os.cpu_count() or 1, len(indices))
    if workers <= 1:
        return [generate_document(out, seed, i) for i in indices]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(generate_document, [out] * len(indices), [seed] * len(indices), indices))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the PDFs and their .truth.json")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=None, help="rendering processes (default: all cores)")
    args = parser.parse_args(argv)
    for pdf in generate_corpus(args.out, args.seed, range(args.count), args.jobs):
        print(pdf)


if __name__ == "__main__":
    main()
