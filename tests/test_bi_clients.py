"""The published warehouse opens in the DuckDB 1.x clients BI tools ship, and shows readers its public schemas only."""

import pytest

from pipelines.paths import INTERNAL_SCHEMAS
from tests.duckdb_clients import read_with, read_with_this_duckdb

# The first and the last DuckDB 1.x: the published file must open in every client in between.
CLIENTS = ("1.0.0", "1.5.6")


@pytest.fixture(scope="module")
def published(analyst_built):
    paths, _ = analyst_built
    return read_with_this_duckdb(paths.warehouse)


@pytest.mark.parametrize("version", CLIENTS)
def test_an_older_duckdb_reads_every_relation_of_the_published_warehouse(analyst_built, published, version):
    paths, _ = analyst_built
    seen = read_with(version, paths.warehouse)
    assert seen["version"] == version
    assert seen["rows"] == published["rows"]
    assert seen["mart_column_comments"] == published["mart_column_comments"]
    assert {"marts.dim_entity", "marts.fct_expenditure", "analytics.expenditure_yoy", "reference.subject_names"} <= set(seen["rows"])
    assert seen["rows"]["marts.fct_expenditure"] > 0 and seen["rows"]["analytics.expenditure_yoy"] > 0


def test_readers_see_marts_and_reference_while_the_build_copy_keeps_every_layer(analyst_built, published):
    paths, _ = analyst_built
    assert set(published["schemas"]) & set(INTERNAL_SCHEMAS) == set()
    assert {"marts", "analytics", "reference"} <= set(published["schemas"])
    assert set(INTERNAL_SCHEMAS) <= set(read_with_this_duckdb(paths.build_path)["schemas"])
