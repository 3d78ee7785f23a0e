"""The measured phases of the benchmark, each run in a child process of its own.

Usage (by pipelines.bench): python -m pipelines.bench.phases naive|extract PDF... | pipeline RAW_DIR WAREHOUSE
Prints one JSON line: the phase's figures and its peak memory. (The extraction pool's workers must
import their function from a module, not from a __main__, hence this module.)
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pdfplumber

from pipelines.bench.corpus import load_truth
from pipelines.bench.truth import extract_to_match
from pipelines.extraction import RejectedDocument, extract_document


def resource_usage() -> dict[str, float]:
    """Peak resident memory (MB) of this process and of the largest child it waited for, and the CPU
    seconds of both: on a shared machine CPU time shows the work when wall time shows the neighbours."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    to_mb = 1 / 1024  # Linux reports ru_maxrss in KiB
    return {
        "self_mb": own.ru_maxrss * to_mb,
        "children_mb": children.ru_maxrss * to_mb,
        "cpu_s": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
    }


def naive_phase(pdfs: list[Path]) -> dict:
    """Every page through extract_tables() and extract_text(), in this process."""
    started, pages = time.perf_counter(), 0
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.extract_text()
                page.close()
                pages += 1
    return {"pages": pages, "seconds": time.perf_counter() - started}


def extract_and_match(path: Path) -> tuple[int, int, int, list[str]]:
    """Pages, truth cells, matched cells and problems of one document (runs in a pool worker)."""
    truth = load_truth(path)
    try:
        extract = extract_document(path)
    except RejectedDocument as exc:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        return pages, sum(len(row) for rows in truth.tables.values() for row in rows), 0, [f"{path.name}: rejected: {exc}"]
    match = extract_to_match(extract, truth)
    return extract.page_count, match.cells, match.matched, [f"{path.name}: {p}" for p in match.problems]


def extract_phase(pdfs: list[Path]) -> dict:
    """extract_document over the corpus, one process per core as `budget-etl run` does."""
    started = time.perf_counter()
    workers = min(len(pdfs), os.cpu_count() or 1)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(extract_and_match, pdfs))
    seconds = time.perf_counter() - started
    return {
        "pages": sum(r[0] for r in results),
        "seconds": seconds,
        "workers": workers,
        "truth_cells": sum(r[1] for r in results),
        "matched_cells": sum(r[2] for r in results),
        "problems": [p for r in results for p in r[3]],
    }


def pipeline_phase(raw_dir: Path, warehouse: Path) -> dict:
    """One `budget-etl run`, in this process (its extraction workers and dbt are children)."""
    from pipelines.cli import main as budget_etl

    started = time.perf_counter()
    code = budget_etl(["run", "--raw-dir", str(raw_dir), "--warehouse", str(warehouse)])
    return {"seconds": time.perf_counter() - started, "exit_code": code}


def main(argv: list[str]) -> None:
    """Run the phase named by argv[0] on the rest of argv; print its JSON line."""
    name, args = argv[0], argv[1:]
    if name == "naive":
        result = naive_phase([Path(a) for a in args])
    elif name == "extract":
        result = extract_phase([Path(a) for a in args])
    else:
        result = pipeline_phase(Path(args[0]), Path(args[1]))
    sys.stdout.flush()
    print(json.dumps({**result, **resource_usage()}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
