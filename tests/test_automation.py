"""The raw-folder sensor and the yearly schedule launch the one job: a partition per distinct PDF, one run over the
documents to extract, nothing launched twice for the same folder and code."""

import shutil

import dagster as dg

from pipelines.definitions import defs
from pipelines.defs import automation
from pipelines.defs.automation import apply_partition_changes, budget_job, raw_folder_sensor, yearly_rerun
from pipelines.defs.extract import documents_partitions
from pipelines.paths import file_to_document_id
from tests.conftest import SAMPLE_PDF


def _evaluate(instance) -> dg.SensorResult:
    # Entered as Dagster enters it: the context opens the resources, and only leaving it closes them.
    with dg.build_sensor_context(instance=instance, definitions=defs, resources=defs.resources) as context:
        return raw_folder_sensor(context)


def _tick(instance) -> list[dg.RunRequest]:
    with dg.build_schedule_context(instance=instance, repository_def=defs.get_repository_def(), resources=defs.resources) as context:
        return yearly_rerun.evaluate_tick(context).run_requests


def _raw_folder(tmp_path, monkeypatch):
    """An empty raw folder (and a warehouse beside it) that the sensor reads through the environment."""
    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(tmp_path / "wh" / "budget.duckdb"))
    return raw


def _launch(instance, request: dg.RunRequest) -> dg.ExecuteInProcessResult:
    """The request run as Dagster would run it."""
    job = defs.resolve_job_def(request.job_name or budget_job.name)
    return job.execute_in_process(instance=instance, tags=request.tags, run_config=request.run_config, asset_selection=request.asset_selection)


def test_sensor_adds_new_documents_once_and_drops_vanished_ones(tmp_path, monkeypatch):
    raw = _raw_folder(tmp_path, monkeypatch)
    shutil.copy(SAMPLE_PDF, raw / "a.pdf")
    shutil.copy(SAMPLE_PDF, raw / "copy-of-a.pdf")
    document_id = file_to_document_id(SAMPLE_PDF)
    with dg.instance_for_test() as instance:
        first = _evaluate(instance)
        assert [r.partition_key_range for r in first.run_requests] == [dg.PartitionKeyRange(document_id, document_id)]
        apply_partition_changes(instance, first.dynamic_partitions_requests)
        assert instance.get_dynamic_partitions(documents_partitions.name) == [document_id]
        # Not extracted yet: asked again under the same run key, which Dagster never launches twice.
        assert [r.run_key for r in _evaluate(instance).run_requests] == [r.run_key for r in first.run_requests]
        for pdf in raw.iterdir():
            pdf.unlink()
        gone = _evaluate(instance)
        apply_partition_changes(instance, gone.dynamic_partitions_requests)
        assert instance.get_dynamic_partitions(documents_partitions.name) == []
        # Nothing to extract, but the warehouse must lose the document: a run of everything after the extraction.
        [request] = gone.run_requests
        assert request.partition_key_range is None and dg.AssetKey("document_extract") not in request.asset_selection
        assert dg.AssetKey("published_warehouse") in request.asset_selection


def test_a_change_to_the_report_code_alone_asks_for_a_new_run(tmp_path, monkeypatch):
    # The report's code is not in the warehouse version (a change to it must not rebuild every document), so without
    # it in the run key the sensor would leave the report on the old code until the next change of data.
    shutil.copy(SAMPLE_PDF, _raw_folder(tmp_path, monkeypatch) / "a.pdf")
    with dg.instance_for_test() as instance:
        [before] = _evaluate(instance).run_requests
        monkeypatch.setattr(automation, "report_version", lambda: "other report code")
        [after] = _evaluate(instance).run_requests
    assert after.run_key != before.run_key


def test_a_large_drop_of_pdfs_is_one_run_over_the_range_of_new_documents(tmp_path, monkeypatch):
    raw = _raw_folder(tmp_path, monkeypatch)
    sample = SAMPLE_PDF.read_bytes()
    for i in range(130):  # distinct bytes after %%EOF: distinct documents
        (raw / f"{i:03d}.pdf").write_bytes(sample + f"\n% copy {i}\n".encode())
    with dg.instance_for_test() as instance:
        result = _evaluate(instance)
        apply_partition_changes(instance, result.dynamic_partitions_requests)
        [request] = result.run_requests
        with dg.partition_loading_context(dynamic_partitions_store=instance):
            keys = documents_partitions.get_partition_keys_in_range(request.partition_key_range)
        assert sorted(keys) == sorted(instance.get_dynamic_partitions(documents_partitions.name)) and len(keys) == 130


def test_the_sensors_run_extracts_and_publishes_and_the_same_folder_asks_for_the_same_run(tmp_path, monkeypatch):
    raw = _raw_folder(tmp_path, monkeypatch)
    shutil.copy(SAMPLE_PDF, raw / "a.pdf")
    with dg.instance_for_test() as instance:
        result = _evaluate(instance)
        apply_partition_changes(instance, result.dynamic_partitions_requests)
        [request] = result.run_requests
        run = _launch(instance, request)
        assert run.success
        materialized = [(e.asset_key.to_user_string(), e.partition) for e in run.get_asset_materialization_events()]
        assert ("document_extract", file_to_document_id(SAMPLE_PDF)) in materialized and ("published_warehouse", None) in materialized
        # Extracted and published: the same folder and code give the same run key, never launched again.
        [again] = _evaluate(instance).run_requests
        assert again.run_key == request.run_key


def test_yearly_rerun_extracts_what_is_new_at_2_on_1_october_beijing_time(tmp_path, monkeypatch):
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from dagster._utils.schedules import cron_string_iterator

    assert yearly_rerun.execution_timezone == "Asia/Shanghai" and yearly_rerun.job_name == budget_job.name
    ticks = cron_string_iterator(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp(), yearly_rerun.cron_schedule, yearly_rerun.execution_timezone)
    first, second = next(ticks), next(ticks)
    assert first == datetime(2026, 10, 1, 2, tzinfo=ZoneInfo("Asia/Shanghai")) and second.year == 2027
    assert first.astimezone(timezone.utc) == datetime(2026, 9, 30, 18, tzinfo=timezone.utc)
    raw = _raw_folder(tmp_path, monkeypatch)
    shutil.copy(SAMPLE_PDF, raw / "new-this-year.pdf")
    with dg.instance_for_test() as instance:
        [request] = _tick(instance)
        assert instance.get_dynamic_partitions(documents_partitions.name) == [file_to_document_id(SAMPLE_PDF)]
        assert request.partition_key_range == dg.PartitionKeyRange(file_to_document_id(SAMPLE_PDF), file_to_document_id(SAMPLE_PDF))
        run = _launch(instance, request)
        assert run.success and dg.AssetKey("published_warehouse") in {e.asset_key for e in run.get_asset_materialization_events()}
        # Extracted by this code: next year runs everything after the extraction, which finds nothing changed.
        [next_year] = _tick(instance)
        assert next_year.partition_key_range is None
        quiet = _launch(instance, next_year)
        assert quiet.success and [e.asset_key for e in quiet.get_asset_materialization_events()] == []
