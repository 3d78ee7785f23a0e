"""Benchmark: naive pdfplumber vs the pipeline's extraction vs `budget-etl run`, on a generated corpus.

Usage: python -m pipelines.bench [--count 200] [--seed 0] [--corpus DIR] [--workdir DIR] [--skip-pipeline]

(a) naive: page.extract_tables() + page.extract_text() on every page, one process;
(b) extract_document over the corpus on a process pool of all cores, compared with the truth files;
(c) a cold `budget-etl run` into a fresh warehouse; (d) the same run again, nothing changed;
(e) a run after one more document arrived; (f) after one document's file was rewritten with other content;
(g) after one document was removed; then the warehouse's size and typical BI queries on it. (d) to (g) are
short, so one busy second of a shared machine moves them a lot: each is run RERUNS times (one more new,
changed or removed document each time) and its median is reported beside every figure. `--naive-count K`
times (a) on the first K documents only: a rate, so a sample serves when the corpus is thousands of documents.
Every phase runs in its own child process (pipelines.bench.phases), so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines.bench.corpus import generate_corpus, index_to_name

QUERIES = {
    "spend by year × region × 类": """
        select d.fiscal_year, d.region, f.subject_code, any_value(f.subject_name) as subject_name,
               sum(f.total_yuan) as total_yuan, count(distinct d.document_id) as documents
        from marts.fct_expenditure as f
        inner join marts.dim_document as d using (document_id)
        where f.fund_scope = 'all_funds' and f.classification = 'function' and f.level = 1 and d.status <> 'rejected'
        group by all order by all""",
    "one department's history": """
        select d.fiscal_year, d.document_type, f.subject_code, f.subject_name, f.total_yuan, f.basic_yuan, f.project_yuan
        from marts.fct_expenditure as f
        inner join marts.dim_document as d using (document_id)
        where d.entity_name = (select entity_name from marts.dim_document group by 1 order by count(*) desc, 1 limit 1)
          and f.fund_scope = 'all_funds' and f.classification = 'function'
        order by all""",
    "all flagged documents": """
        select d.source_file, d.status, d.status_reason, count(r.check_id) as failed_checks
        from marts.dim_document as d
        left join marts.reconciliation_result as r on r.document_id = d.document_id and r.status = 'fail'
        where d.status <> 'loaded'
        group by all order by all""",
}
QUERY_REPEATS = 5
RERUNS = 3


def run_phase(name: str, *args: str) -> dict:
    """Run one phase in a fresh interpreter; its last stdout line is the JSON result."""
    done = subprocess.run([sys.executable, "-m", "pipelines.bench.phases", name, *args],
                          capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"phase {name} failed:\n{done.stdout}\n{done.stderr}")
    result = {**json.loads(lines[-1]), "output": lines[:-1]}
    # A 10,000-document run takes hours: each phase's figures are on stderr when it ends, not only at the end.
    print(f"phase {name}: {result['seconds']:.1f} s  {usage(result)}", file=sys.stderr, flush=True)
    return result


def corpus_pdfs(corpus: Path, count: int, seed: int) -> list[Path]:
    """The corpus's PDFs, rendering those missing (or whose truth is missing) first."""
    pdfs = [corpus / f"{index_to_name(seed, i)}.pdf" for i in range(count)]
    missing = [i for i, pdf in enumerate(pdfs) if not (pdf.exists() and pdf.with_suffix(".truth.json").exists())]
    if missing:
        generate_corpus(corpus, seed, missing)
    return pdfs


def linked_raw_dir(raw_dir: Path, pdfs: list[Path]) -> None:
    """A raw folder of links to the corpus: adding a document must not change the corpus itself."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    for pdf in pdfs:
        (raw_dir / pdf.name).symlink_to(pdf.resolve())


def time_queries(warehouse: Path) -> dict[str, tuple[float, float, int]]:
    """Query name → (first run ms, median of the repeats ms, rows)."""
    timings = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name, sql in QUERIES.items():
            runs, rows = [], 0
            for _ in range(QUERY_REPEATS):
                started = time.perf_counter()
                rows = len(con.execute(sql).fetchall())
                runs.append((time.perf_counter() - started) * 1000)
            timings[name] = (runs[0], statistics.median(runs), rows)
    return timings


def median_run(results: list[dict]) -> dict:
    """The run of median wall time, with every run's seconds beside it."""
    middle = sorted(results, key=lambda r: r["seconds"])[len(results) // 2]
    return {**middle, "all_seconds": [r["seconds"] for r in results]}


def rate(result: dict) -> float:
    return result["pages"] / result["seconds"]


def usage(result: dict) -> str:
    return f"cpu {result['cpu_s']:7.1f} s  peak {result['self_mb']:.0f} MB main, {result['children_mb']:.0f} MB largest child"


def report_lines(naive: dict, extract: dict, runs: dict[str, dict], queries: dict, size_mb: float | None = None) -> list[str]:
    """The printed figures."""
    share = extract["matched_cells"] / extract["truth_cells"] if extract["truth_cells"] else 1.0
    lines = [
        f"(a) naive pdfplumber, 1 process:      {rate(naive):7.2f} pages/s  {naive['seconds']:8.1f} s  {naive['pages']} pages  {usage(naive)}",
        f"(b) extract_document, {extract['workers']} processes:  {rate(extract):7.2f} pages/s  {extract['seconds']:8.1f} s  {usage(extract)}",
        f"    (b)/(a) pages/s: {rate(extract) / rate(naive):.2f}   pages per cpu-second (b)/(a): "
        f"{extract['pages'] / extract['cpu_s'] / (naive['pages'] / naive['cpu_s']):.2f}",
        f"truth cells matched: {extract['matched_cells']}/{extract['truth_cells']} = {share:.2%}",
        *(f"    {p}" for p in extract["problems"]),
    ]
    if runs:
        cold = runs["(c) cold run"]
        for name, result in runs.items():
            summary = next((line for line in result["output"] if line.startswith("documents:")), "")
            spread = f"  (median of {', '.join(f'{s:.1f}' for s in result['all_seconds'])})" if "all_seconds" in result else ""
            lines.append(f"{name:26} {result['seconds']:8.1f} s  exit {result['exit_code']}  {usage(result)}  {summary}{spread}")
        lines += [
            f"    (c)/(a) pages/s: {extract['pages'] / cold['seconds'] / rate(naive):.2f}",
            # Every later run against the cold one: "(d)/(c) wall: 0.002".
            *(f"    {name[:3]}/(c) wall: {result['seconds'] / cold['seconds']:.3f}" for name, result in runs.items() if result is not cold),
        ]
    if size_mb is not None:
        lines.append(f"warehouse file: {size_mb:.1f} MB")
    lines += [f"query {name:28} first {first:7.1f} ms  median {median:7.1f} ms  {rows} rows"
              for name, (first, median, rows) in queries.items()]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="documents in the corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: a per-seed folder in the temp dir)")
    parser.add_argument("--workdir", type=Path, help="where runs put raw links and warehouses (default: a fresh temp dir)")
    parser.add_argument("--skip-pipeline", action="store_true", help="only (a), (b) and the truth comparison")
    parser.add_argument("--naive-count", type=int, help="time (a) on the first K documents only (default: all)")
    args = parser.parse_args(argv)
    corpus = args.corpus or Path(tempfile.gettempdir()) / f"budget-bench-corpus-s{args.seed}"
    pdfs = corpus_pdfs(corpus, args.count, args.seed)
    naive = run_phase("naive", *map(str, pdfs[:args.naive_count]))
    extract = run_phase("extract", *map(str, pdfs))
    runs, queries, size_mb = {}, {}, None
    if not args.skip_pipeline:
        workdir = args.workdir or Path(tempfile.mkdtemp(prefix="budget-bench-"))
        raw_dir, warehouse = workdir / "raw", workdir / "warehouse" / "budget.duckdb"
        for stale in (raw_dir, warehouse.parent):  # a reused workdir must still give a cold run
            shutil.rmtree(stale, ignore_errors=True)
        linked_raw_dir(raw_dir, pdfs)
        runs["(c) cold run"] = run_phase("pipeline", str(raw_dir), str(warehouse))
        runs["(d) unchanged rerun"] = median_run([run_phase("pipeline", str(raw_dir), str(warehouse)) for _ in range(RERUNS)])
        arrivals = []
        # Shanghai documents (odd indices) have numbers of their own, so each of these is new content; a Shenzhen
        # variant can repeat one already in the corpus (600 documents hold 512 distinct ones).
        fresh = iter(range(args.count | 1, args.count + 4 * RERUNS, 2))
        for index in itertools.islice(fresh, RERUNS):
            # The next document of the same seed: new to the corpus, rendered outside it.
            linked_raw_dir(raw_dir, generate_corpus(workdir / "arrivals", args.seed, [index]))
            arrivals.append(run_phase("pipeline", str(raw_dir), str(warehouse)))
        runs["(e) one more document"] = median_run(arrivals)
        changes = []
        for index, other in zip(range(RERUNS), fresh):
            # Same file name, other bytes: a new document id, the old one gone.
            replacement = generate_corpus(workdir / "changed", args.seed, [other])[0]
            (raw_dir / pdfs[index].name).unlink()
            (raw_dir / pdfs[index].name).symlink_to(replacement.resolve())
            changes.append(run_phase("pipeline", str(raw_dir), str(warehouse)))
        runs["(f) one changed document"] = median_run(changes)
        removals = []
        for index in range(RERUNS, 2 * RERUNS):
            (raw_dir / pdfs[index].name).unlink()
            removals.append(run_phase("pipeline", str(raw_dir), str(warehouse)))
        runs["(g) one removed document"] = median_run(removals)
        queries = time_queries(warehouse)
        size_mb = warehouse.stat().st_size / 2**20
        print(f"corpus {corpus}, warehouse {warehouse}")
    print("\n".join(report_lines(naive, extract, runs, queries, size_mb)))
    return 0 if extract["matched_cells"] == extract["truth_cells"] else 1


if __name__ == "__main__":
    sys.exit(main())
