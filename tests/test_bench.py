"""The benchmark corpus is deterministic and fully recovered by extraction; the benchmark script runs."""

import pytest

from pipelines.bench.__main__ import main as bench_main
from pipelines.bench.corpus import generate_corpus, load_truth
from pipelines.bench.truth import extract_to_match
from pipelines.extraction import extract_document

SEED = 7
COUNT = 2  # document 0 is Shenzhen, document 1 Shanghai


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return folder, generate_corpus(folder, SEED, range(COUNT), jobs=1)


def test_one_document_of_each_family(corpus):
    _, pdfs = corpus
    assert [load_truth(p).layout for p in pdfs] == ["shenzhen_department_budget", "shanghai_department_budget"]


def test_same_seed_same_bytes(corpus, tmp_path):
    _, pdfs = corpus
    again = generate_corpus(tmp_path, SEED, range(COUNT), jobs=1)
    for first, second in zip(pdfs, again):
        assert first.read_bytes() == second.read_bytes(), first.name
        assert first.with_suffix(".truth.json").read_bytes() == second.with_suffix(".truth.json").read_bytes()


def test_extraction_recovers_every_truth_cell(corpus):
    _, pdfs = corpus
    for pdf in pdfs:
        match = extract_to_match(extract_document(pdf), load_truth(pdf))
        assert match.cells > 0
        assert match.problems == ()
        assert match.matched == match.cells, pdf.name


def test_bench_runs_extraction_only(corpus, capsys):
    folder, _ = corpus
    assert bench_main(["--corpus", str(folder), "--count", str(COUNT), "--seed", str(SEED), "--skip-pipeline"]) == 0
    printed = capsys.readouterr().out
    assert "(a) naive pdfplumber" in printed and "(b) extract_document" in printed
    assert "= 100.00%" in printed
