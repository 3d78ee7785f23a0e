"""The great-expectations suites decide pass/fail at exactly the rounding tolerance."""

from datetime import datetime
from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from pipelines.reconciliation import (
    JUDGED,
    recall_verdicts,
    remember_verdicts,
    store_verdicts,
    validate_comparisons,
    validate_new_comparisons,
)


def _comparisons(rows):
    return pd.DataFrame(
        [
            {"comparison_id": cid, "document_id": "doc", "check_id": check, "expected_yuan": Decimal(e) if e else None,
             "actual_yuan": Decimal(a) if a else None, "tolerance_yuan": Decimal(t)}
            for cid, check, e, a, t in rows
        ]
    )


def test_verdicts_at_the_tolerance_boundary():
    # 万元 tables: three printed parts allow 0.02 万元 = 200 元.
    verdicts = validate_comparisons(
        _comparisons([
            ("equal", "hierarchy", "1000.00", "1000.00", "200.00"),
            ("at_tolerance", "hierarchy", "1000.00", "1200.00", "200.00"),
            ("just_over", "hierarchy", "1000.00", "1200.01", "200.00"),
            ("below", "balance", "1000.00", "799.99", "200.00"),
            ("missing_side", "balance", "1000.00", None, "200.00"),
        ]),
        datetime(2026, 1, 1),
    ).set_index("comparison_id")
    assert verdicts["passed"].to_dict() == {"equal": True, "at_tolerance": True, "just_over": False, "below": False, "missing_side": False}
    # What the report shows per expectation: the one that rejected each comparison.
    assert verdicts["failed_expectations"].to_dict() == {
        "equal": [], "at_tolerance": [],
        "just_over": ["expect_column_values_to_be_between(column=margin_yuan, min_value=0.0)"],
        "below": ["expect_column_values_to_be_between(column=margin_yuan, min_value=0.0)"],
        "missing_side": ["expect_column_values_to_not_be_null(column=actual_yuan)"],
    }


def test_only_comparisons_not_judged_before_are_validated_again():
    rows = [
        ("same", "hierarchy", "1000.00", "1000.00", "200.00"),
        ("same_missing_side", "balance", "1000.00", None, "200.00"),
        ("changed", "hierarchy", "1000.00", "1000.00", "200.00"),
        ("new", "balance", "1000.00", "1300.00", "200.00"),
    ]
    earlier = validate_comparisons(_comparisons(rows[:3]), datetime(2025, 1, 1)).merge(
        _comparisons(rows[:3])[JUDGED], on=["comparison_id", "check_id"])
    # Flipped on purpose: a kept verdict is not judged again, so the flip shows through.
    earlier["passed"] = ~earlier["passed"]
    now = _comparisons([*rows[:2], ("changed", "hierarchy", "1000.00", "1500.00", "200.00"), rows[3]])
    verdicts = validate_new_comparisons(now, datetime(2026, 1, 1), earlier).set_index("comparison_id")
    assert verdicts["passed"].to_dict() == {"same": False, "same_missing_side": True, "changed": False, "new": False}
    assert verdicts["checked_at"].dt.year.to_dict() == {"same": 2025, "same_missing_side": 2025, "changed": 2026, "new": 2026}
    assert len(validate_new_comparisons(now, datetime(2026, 1, 1), None)) == 4


def _verdicts(count: int, failing_at: set[int]) -> pd.DataFrame:
    return pd.DataFrame({
        "comparison_id": [f"c{i}" for i in range(count)],
        "document_id": "doc", "check_id": "hierarchy",
        "passed": [i not in failing_at for i in range(count)],
        "failed_expectations": [["expect_column_values_to_be_between(column=margin_yuan, min_value=0.0)"] if i in failing_at else [] for i in range(count)],
        "suite_name": "hierarchy", "checked_at": datetime(2026, 1, 1),
    })


@pytest.mark.parametrize("failing_at", [set(), {0}, {1001}, {1999}, {2047, 2048}, {5000}, set(range(0, 6000, 997))])
def test_verdicts_keep_their_type_wherever_the_failures_are(tmp_path, failing_at):
    """DuckDB types a pandas column from a sample of rows; a list column must not depend on where the failing rows sit."""
    verdicts = _verdicts(6000, failing_at)
    with duckdb.connect(str(tmp_path / "build.duckdb")) as con:
        con.execute("create schema raw")
        store_verdicts(con, verdicts)
        stored = con.execute("select comparison_id, failed_expectations from raw.check_results order by comparison_id").fetchall()
        assert con.execute("select data_type from information_schema.columns where column_name = 'failed_expectations'").fetchone()[0] == "VARCHAR[]"
        judged = verdicts[["comparison_id", "check_id"]].assign(expected_yuan=1, actual_yuan=1, tolerance_yuan=0)  # noqa: F841 - scanned by DuckDB
        con.execute("create schema intermediate; create table intermediate.int_check_comparisons as select * from judged")
        memo = tmp_path / "verdicts-x.parquet"
        remember_verdicts(con, memo)
    assert {cid: labels for cid, labels in stored if labels} == {f"c{i}": verdicts["failed_expectations"][i] for i in failing_at}
    recalled = recall_verdicts(memo)
    assert sorted(recalled.loc[recalled["failed_expectations"].map(len) > 0, "comparison_id"]) == sorted(f"c{i}" for i in failing_at)


def test_an_unreadable_verdict_memo_is_judged_anew(tmp_path):
    memo = tmp_path / "verdicts-x.parquet"
    memo.write_bytes(b"PAR1 truncated")
    assert recall_verdicts(memo) is None
    assert not memo.exists()
