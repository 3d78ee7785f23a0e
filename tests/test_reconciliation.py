"""The great-expectations suites decide pass/fail at exactly the rounding tolerance."""

from datetime import datetime
from decimal import Decimal

import pandas as pd

from pipelines.reconciliation import validate_comparisons


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
    ).set_index("comparison_id")["passed"].to_dict()
    assert verdicts == {"equal": True, "at_tolerance": True, "just_over": False, "below": False, "missing_side": False}
