import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

# The shared checks live outside the test modules: rewrite their asserts too, so a failure shows its values.
pytest.register_assert_rewrite("tests.national_pdfs", "tests.real_pdfs")

from pipelines.dbt_manifest import prepare_manifest
from pipelines.extraction import extract_document
from pipelines.paths import REPO_ROOT, BudgetPaths, file_to_document_id
from pipelines.sample.reference_text import load_reference

SHARED = REPO_ROOT.parent / "shared" / "reference"
REFERENCE_TEXT = SHARED / "000_5a8eb43ea2156b69.txt"
REAL_PDFS = SHARED / "real-pdfs"
NATIONAL_PDFS = SHARED / "real-pdfs-national"
SAMPLE_PDF = REPO_ROOT / "raw" / "shenzhen-luohu-science-innovation-bureau-2024-budget.pdf"

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# Before any test module imports the Dagster definitions, which read their dbt assets from it.
prepare_manifest()

# Session fixtures that build a costly warehouse. Under pytest-xdist (`--dist loadgroup`, as scripts/test.sh runs
# the suite) a test module using one of them joins that fixture's group, so it is built on one worker only; any
# other module is a group of its own, so its module fixtures are built once too. The sample's `built` (under a
# minute) is cheaper to build on each worker than to tie the eight modules using it to one.
# pytest is pinned below 9.2, whose node ids xdist cannot mark with the group (pytest-dev/pytest-xdist#1386).
SHARED_BUILDS = ("national_warehouse", "analyst_built")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the marks into the node ids
def pytest_collection_modifyitems(items):
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(item.module.__name__, []).append(item)
    for module, module_items in modules.items():
        used = {name for item in module_items for name in item.fixturenames}
        group = next((name for name in SHARED_BUILDS if name in used), module)
        for item in module_items:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def reference():
    """The Shenzhen reference text, parsed: the truth every extracted number is compared with."""
    return load_reference(REFERENCE_TEXT)


@pytest.fixture(scope="session")
def sample_extract():
    return extract_document(SAMPLE_PDF)


def real_pdf(name: str) -> Path:
    path = REAL_PDFS / name
    if not path.exists():
        pytest.fail(f"reference PDF missing: {path}")
    return path


def materialize_everything(paths: BudgetPaths, instance: dg.DagsterInstance, document_ids: list[str], after_extraction=None):
    """Extract the document partitions (one run over their range), then materialise everything else: real Dagster runs.

    `after_extraction(paths)` runs in between (a test damaging a cached extract, say)."""
    from pipelines.definitions import defs
    from pipelines.defs.extract import document_extract, documents_partitions
    from pipelines.defs.resources import BudgetPathsResource
    from pipelines.extracts import range_tags

    resources = {**defs.resources, "budget_paths": BudgetPathsResource(raw_dir=str(paths.raw_dir), warehouse=str(paths.warehouse))}
    assets = [*defs.assets, *defs.asset_checks]
    instance.add_dynamic_partitions(documents_partitions.name, document_ids)
    extraction = dg.materialize(assets, selection=[document_extract], instance=instance, resources=resources, tags=range_tags(document_ids[0], document_ids[-1]))
    assert extraction.success
    if after_extraction:
        after_extraction(paths)
    rest = dg.AssetSelection.all() - dg.AssetSelection.assets(document_extract)
    return dg.materialize(assets, selection=rest, instance=instance, resources=resources, raise_on_error=False)


def materialize_from_raw(paths: BudgetPaths):
    """Everything after extraction and the raw load, from the raw schema already in `paths.build_path` (a test
    altering a printed figure there first): real Dagster runs."""
    from pipelines.definitions import defs
    from pipelines.defs.extract import document_extract
    from pipelines.defs.resources import BudgetPathsResource

    # A change made by hand (a figure altered, documents deleted) names no document: the build is a full refresh.
    with duckdb.connect(str(paths.build_path)) as con:
        con.execute("update raw.build_state set full_refresh = true")
    resources = {**defs.resources, "budget_paths": BudgetPathsResource(raw_dir=str(paths.raw_dir), warehouse=str(paths.warehouse))}
    rest = dg.AssetSelection.all() - dg.AssetSelection.assets(document_extract) - dg.AssetSelection.groups("extract")
    return dg.materialize([*defs.assets, *defs.asset_checks], selection=rest, instance=dg.DagsterInstance.ephemeral(), resources=resources, raise_on_error=False)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The sample materialised once through the whole Dagster graph into a temporary warehouse."""
    root = tmp_path_factory.mktemp("pipeline")
    paths = BudgetPaths(root / "raw", root / "warehouse" / "budget.duckdb")
    paths.raw_dir.mkdir()
    shutil.copy(SAMPLE_PDF, paths.raw_dir / SAMPLE_PDF.name)
    result = materialize_everything(paths, dg.DagsterInstance.ephemeral(), [file_to_document_id(SAMPLE_PDF)])
    assert result.success
    return paths, result


@pytest.fixture(scope="session")
def analyst_built(tmp_path_factory):
    """tests/analyst_corpus.py's documents materialised once through the whole Dagster graph; the rendered budgets' numbers."""
    from tests.analyst_corpus import write_corpus

    root = tmp_path_factory.mktemp("analyst")
    paths = BudgetPaths(root / "raw", root / "warehouse" / "budget.duckdb")
    budgets = write_corpus(paths.raw_dir)
    document_ids = sorted({file_to_document_id(pdf) for pdf in paths.raw_dir.glob("*.pdf")})
    result = materialize_everything(paths, dg.DagsterInstance.ephemeral(), document_ids)
    assert result.success
    return paths, budgets


@pytest.fixture(scope="session")
def national_warehouse(tmp_path_factory):
    """The 17 national PDFs materialised once, together, through the whole Dagster graph into one warehouse."""
    root = tmp_path_factory.mktemp("national")
    paths = BudgetPaths(root / "raw", root / "warehouse" / "budget.duckdb")
    paths.raw_dir.mkdir()
    pdfs = sorted(NATIONAL_PDFS.glob("*.pdf"))
    assert len(pdfs) == 17, f"expected the 17 national PDFs in {NATIONAL_PDFS}"
    for pdf in pdfs:
        shutil.copy(pdf, paths.raw_dir / pdf.name)
    assert materialize_everything(paths, dg.DagsterInstance.ephemeral(), [file_to_document_id(pdf) for pdf in pdfs]).success
    return paths
