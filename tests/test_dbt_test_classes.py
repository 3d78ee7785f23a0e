"""Every dbt data test says whether the pipeline guarantees it or a document can break it; only the first may stop a build."""

import json

from pipelines.defs.transform import dbt_project


def _data_tests() -> list[dict]:
    nodes = json.loads(dbt_project.manifest_path.read_text())["nodes"].values()
    return [n for n in nodes if n["resource_type"] == "test"]


def test_every_data_test_is_classified_and_only_pipeline_guarantees_can_fail_the_build():
    tests = _data_tests()
    assert len(tests) > 40
    classes = {t["name"]: (t["config"]["meta"].get("class"), t["config"]["severity"].lower()) for t in tests}
    unclassified = sorted(name for name, (kind, _) in classes.items() if kind not in ("pipeline", "document"))
    assert unclassified == []
    # A document can print anything: what it can break is a finding (severity warn), never a failed build.
    assert sorted(name for name, (kind, severity) in classes.items() if kind == "document" and severity != "warn") == []
    assert {severity for kind, severity in classes.values() if kind == "pipeline"} == {"error"}
