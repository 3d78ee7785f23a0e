"""The raw-folder sensor keeps one partition per distinct PDF and asks for extraction of new ones."""

import shutil

import dagster as dg

from pipelines.defs.automation import raw_folder_sensor, warehouse_after_extraction, yearly_rerun
from pipelines.defs.extract import MAX_DOCUMENTS_PER_RUN, documents_partitions
from pipelines.paths import file_to_document_id
from tests.conftest import SAMPLE_PDF


def _evaluate(instance):
    return raw_folder_sensor(dg.build_sensor_context(instance=instance))


def _raw_folder(tmp_path, monkeypatch):
    """An empty raw folder (and a warehouse beside it) that the sensor reads through the environment."""
    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(tmp_path / "wh" / "budget.duckdb"))
    return raw


def _apply(instance, result):
    for request in result.dynamic_partitions_requests:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)


def test_sensor_adds_new_documents_once_and_drops_vanished_ones(tmp_path, monkeypatch):
    raw = _raw_folder(tmp_path, monkeypatch)
    shutil.copy(SAMPLE_PDF, raw / "a.pdf")
    shutil.copy(SAMPLE_PDF, raw / "copy-of-a.pdf")
    document_id = file_to_document_id(SAMPLE_PDF)
    with dg.instance_for_test() as instance:
        first = _evaluate(instance)
        assert [r.partition_key_range for r in first.run_requests] == [dg.PartitionKeyRange(document_id, document_id)]
        _apply(instance, first)
        assert instance.get_dynamic_partitions(documents_partitions.name) == [document_id]
        # Not extracted yet: asked again under the same run key, which Dagster never launches twice.
        assert [r.run_key for r in _evaluate(instance).run_requests] == [r.run_key for r in first.run_requests]
        for pdf in raw.iterdir():
            pdf.unlink()
        _apply(instance, _evaluate(instance))
        assert instance.get_dynamic_partitions(documents_partitions.name) == []


def test_a_large_drop_of_pdfs_is_extracted_in_ranged_runs_that_cover_each_new_document_once(tmp_path, monkeypatch):
    raw = _raw_folder(tmp_path, monkeypatch)
    sample = SAMPLE_PDF.read_bytes()
    for i in range(130):  # distinct bytes after %%EOF: distinct documents
        (raw / f"{i:03d}.pdf").write_bytes(sample + f"\n% copy {i}\n".encode())
    known = file_to_document_id(raw / "000.pdf")
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(documents_partitions.name, [known])
        result = _evaluate(instance)
        _apply(instance, result)
        ranges = [r.partition_key_range for r in result.run_requests]
        with dg.partition_loading_context(dynamic_partitions_store=instance):
            keys = [documents_partitions.get_partition_keys_in_range(r) for r in ranges]
        assert all(1 <= len(run) <= MAX_DOCUMENTS_PER_RUN for run in keys) and len(ranges) < 10
        new = set(instance.get_dynamic_partitions(documents_partitions.name)) - {known}
        # The known document was never extracted either, so it is in a range too.
        assert len(new) == 129 and sorted(key for run in keys for key in run) == sorted(new | {known})
        assert len({r.run_key for r in result.run_requests}) == len(ranges)


def test_the_sensors_ranged_run_request_extracts_its_documents(tmp_path, monkeypatch):
    from pipelines.definitions import defs

    raw = _raw_folder(tmp_path, monkeypatch)
    shutil.copy(SAMPLE_PDF, raw / "a.pdf")
    with dg.instance_for_test() as instance:
        result = _evaluate(instance)
        _apply(instance, result)
        [request] = result.run_requests
        run = defs.resolve_job_def(request.job_name or "extract_documents").execute_in_process(instance=instance, tags=request.tags)
        assert run.success
        extracted = [e.partition for e in run.get_asset_materialization_events() if e.asset_key == dg.AssetKey("document_extract")]
        assert extracted == [file_to_document_id(SAMPLE_PDF)]


def test_yearly_rerun_extracts_what_is_new_at_2_on_1_october_beijing_time(tmp_path, monkeypatch):
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from dagster._utils.schedules import cron_string_iterator

    from pipelines.definitions import defs

    assert yearly_rerun.execution_timezone == "Asia/Shanghai" and yearly_rerun.job_name == "extract_documents"
    ticks = cron_string_iterator(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp(), yearly_rerun.cron_schedule, yearly_rerun.execution_timezone)
    first, second = next(ticks), next(ticks)
    assert first == datetime(2026, 10, 1, 2, tzinfo=ZoneInfo("Asia/Shanghai")) and second.year == 2027
    assert first.astimezone(timezone.utc) == datetime(2026, 9, 30, 18, tzinfo=timezone.utc)
    raw = _raw_folder(tmp_path, monkeypatch)
    shutil.copy(SAMPLE_PDF, raw / "new-this-year.pdf")
    with dg.instance_for_test() as instance:
        [request] = yearly_rerun.evaluate_tick(dg.build_schedule_context(instance=instance)).run_requests
        assert instance.get_dynamic_partitions(documents_partitions.name) == [file_to_document_id(SAMPLE_PDF)]
        assert defs.resolve_job_def(yearly_rerun.job_name).execute_in_process(instance=instance, tags=request.tags).success
        # Extracted by this code: next year has nothing to extract (the warehouse sensor has rebuilt by then).
        assert yearly_rerun.evaluate_tick(dg.build_schedule_context(instance=instance)).run_requests == []


def test_warehouse_is_rebuilt_once_after_new_extractions():
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(documents_partitions.name, ["abc"])

        def evaluate():
            return warehouse_after_extraction(dg.build_sensor_context(instance=instance))

        assert isinstance(evaluate(), dg.SkipReason)
        instance.report_runless_asset_event(dg.AssetMaterialization("document_extract", partition="abc"))
        request = evaluate()
        assert isinstance(request, dg.RunRequest)
        instance.report_runless_asset_event(dg.AssetMaterialization("published_warehouse"))
        assert isinstance(evaluate(), dg.SkipReason)
