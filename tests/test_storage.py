"""The CLI's instance writes Dagster's own SQLite files through kept connections: what it writes, Dagster's stock storage reads."""

from concurrent.futures import ThreadPoolExecutor

import dagster as dg

from pipelines.cli import dagster_instance
from pipelines.defs.storage import OPEN_DATABASES, PooledSqliteEventLogStorage
from pipelines.paths import BudgetPaths


@dg.asset
def number() -> int:
    return 1


def test_runs_written_by_the_cli_instance_read_the_same_in_dagsters_stock_storage(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    paths = BudgetPaths(tmp_path / "raw", tmp_path / "warehouse" / "budget.duckdb")
    instance = dagster_instance(paths)
    assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
    runs = [dg.materialize([number], instance=instance).run_id for _ in range(OPEN_DATABASES + 2)]
    with ThreadPoolExecutor(4) as pool:  # threads share the kept connections
        list(pool.map(lambda i: instance.report_runless_asset_event(dg.AssetMaterialization("reported")), range(40)))
    assert len(instance.event_log_storage._engines) <= OPEN_DATABASES

    stock = dg.DagsterInstance.local_temp(str(paths.cache_dir / "dagster"))
    assert type(stock.event_log_storage).__name__ == "SqliteEventLogStorage"
    assert [r.run_id for r in stock.get_runs()] == runs[::-1]
    for run_id in runs:
        assert [e.dagster_event_type for e in stock.all_logs(run_id)] == [e.dagster_event_type for e in instance.all_logs(run_id)]
    assert len(stock.fetch_materializations(dg.AssetKey("reported"), limit=100).records) == 40
    assert stock.get_latest_materialization_event(number.key).run_id == runs[-1]
    instance.dispose()
