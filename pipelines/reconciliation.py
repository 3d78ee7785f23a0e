"""great-expectations suites over the invariant comparisons read from DuckDB. No Dagster here.

The comparisons (expected, actual, tolerance per invariant and subject) are computed by dbt in
`intermediate.int_check_comparisons`; one suite per check_id decides which comparisons hold.
GE validates a pandas DataFrame: its SQL datasource on DuckDB does not return verdicts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

if TYPE_CHECKING:
    import great_expectations as gx
    from great_expectations.core import ExpectationSuiteValidationResult

# A verdict is a function of these columns and of the suites (code, seeds and library) that judged them.
JUDGED = ["comparison_id", "check_id", "expected_yuan", "actual_yuan", "tolerance_yuan"]
# failed_expectations: the labels (`expectation_label`) of the suite's expectations that rejected the comparison.
VERDICT_COLUMNS = ["comparison_id", "document_id", "check_id", "passed", "failed_expectations", "suite_name", "checked_at"]
# DuckDB types a pandas column from a sample of its rows (and an empty frame's columns not at all): a list column
# whose few non-empty lists fall outside the sample cannot be cast. The labels cross into DuckDB joined by newlines
# (a label is one line) and are split back into VARCHAR[] there, every column cast to its type, so the types never
# depend on which rows fail or whether any verdict was given.
_LABEL_SEPARATOR = "\n"
_TYPES = {
    "comparison_id": "varchar", "document_id": "varchar", "check_id": "varchar", "passed": "boolean", "suite_name": "varchar",
    "checked_at": "timestamp", "expected_yuan": "decimal(20, 2)", "actual_yuan": "decimal(20, 2)", "tolerance_yuan": "decimal(20, 2)",
}
_LABELS = "if(coalesce(failed_expectations::varchar, '') = '', []::varchar[], string_split(failed_expectations::varchar, chr(10)))"
_RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["comparison_id"]}


def comparisons_to_frame(comparisons: pd.DataFrame) -> pd.DataFrame:
    """Add `margin_yuan` = tolerance − |difference|: a comparison holds when it is ≥ 0."""
    frame = comparisons.copy()
    difference = (frame["actual_yuan"] - frame["expected_yuan"]).abs()
    frame["margin_yuan"] = (frame["tolerance_yuan"] - difference).astype(float)
    for column in ("expected_yuan", "actual_yuan"):
        frame[column] = frame[column].astype(float)
    return frame


def suite_for(check_id: str) -> gx.ExpectationSuite:
    """The suite for one invariant: both sides printed, and equal within the rounding tolerance."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    return gx.ExpectationSuite(
        name=check_id,
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(column="expected_yuan"),
            gxe.ExpectColumnValuesToNotBeNull(column="actual_yuan"),
            gxe.ExpectColumnValuesToBeBetween(column="margin_yuan", min_value=0),
        ],
    )


def expectation_arguments(kwargs: dict) -> str:
    """An expectation's own arguments, e.g. `column=margin_yuan, min_value=0.0`."""
    return ", ".join(f"{k}={v}" for k, v in kwargs.items() if k not in ("batch_id", "result_format") and v is not None)


def expectation_label(expectation_type: str, kwargs: dict) -> str:
    """One expectation of a suite as a person reads it, e.g. `expect_column_values_to_not_be_null(column=actual_yuan)`."""
    return f"{expectation_type}({expectation_arguments(kwargs)})"


def _rejections(result) -> dict[str, list[str]]:
    """comparison_id → labels of the expectations that rejected it."""
    rejected: dict[str, list[str]] = {}
    for expectation in result.results:
        label = expectation_label(expectation.expectation_config.type, expectation.expectation_config.kwargs)
        for row in expectation.result.get("unexpected_index_list") or []:
            rejected.setdefault(row["comparison_id"], []).append(label)
    return rejected


def run_suites(comparisons: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame, ExpectationSuiteValidationResult]]:
    """Run one suite per check_id; yield each check_id with its comparisons and great-expectations' validation result."""
    # Imported here: great-expectations takes seconds to import, and every process that loads the
    # Dagster definitions (each extraction worker among them) would pay for it without using it.
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batches = context.data_sources.add_pandas("warehouse").add_dataframe_asset("check_comparisons")
    batch_definition = batches.add_batch_definition_whole_dataframe("per_check")
    frame = comparisons_to_frame(comparisons)
    for check_id, group in frame.groupby("check_id", sort=True):
        batch = batch_definition.get_batch(batch_parameters={"dataframe": group.reset_index(drop=True)})
        yield check_id, group, batch.validate(suite_for(check_id), result_format=_RESULT_FORMAT)


def validate_comparisons(comparisons: pd.DataFrame, checked_at: datetime) -> pd.DataFrame:
    """One verdict row per comparison (comparison_id, passed, failed_expectations, suite_name) from the suites of `run_suites`."""
    verdicts = []
    # Nothing to judge needs no great-expectations context (seconds to import and start).
    for check_id, group, result in run_suites(comparisons) if not comparisons.empty else ():
        rejected = _rejections(result)
        verdicts += [
            {"comparison_id": cid, "document_id": doc, "check_id": check_id, "passed": cid not in rejected,
             "failed_expectations": rejected.get(cid, []), "suite_name": check_id, "checked_at": checked_at}
            for cid, doc in zip(group["comparison_id"], group["document_id"])
        ]
    return pd.DataFrame(verdicts, columns=VERDICT_COLUMNS).astype({"passed": bool})


def verdicts_to_relation(con: duckdb.DuckDBPyConnection, verdicts: pd.DataFrame) -> duckdb.DuckDBPyRelation:
    """The verdicts (or the memo of them) as a DuckDB relation, each column typed and failed_expectations VARCHAR[],
    whatever the rows hold."""
    flat = verdicts.assign(failed_expectations=[_LABEL_SEPARATOR.join(labels) for labels in verdicts["failed_expectations"]])
    typed = [_LABELS if column == "failed_expectations" else f"{column}::{_TYPES[column]}" for column in flat.columns]
    return con.from_df(flat).project(", ".join(f"{expression} as {column}" for expression, column in zip(typed, flat.columns)))


def store_verdicts(con: duckdb.DuckDBPyConnection, verdicts: pd.DataFrame) -> None:
    """Add the verdicts to raw.check_results of the build (made, empty, when missing)."""
    relation = verdicts_to_relation(con, verdicts)
    if not _exists(con, "raw", "check_results"):
        con.execute("create schema if not exists raw")
        relation.limit(0).create("raw.check_results")
    relation.insert_into("raw.check_results")


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    query = "select count(*) from duckdb_tables() where schema_name = ? and table_name = ? and database_name = current_database()"
    # fetchall: a result left open (fetchone) would keep a relation from inserting on this connection.
    return con.execute(query, [schema, table]).fetchall()[0][0] > 0


def remember_verdicts(con: duckdb.DuckDBPyConnection, memo: Path) -> None:
    """Keep what was judged and the verdict, for every comparison of the build, for the next build (only the
    current suites' file)."""
    memo.parent.mkdir(parents=True, exist_ok=True)
    for stale in memo.parent.glob("verdicts-*.parquet"):
        stale.unlink()
    partial = memo.with_suffix(".part")
    con.execute(f"""
        copy (
            select {", ".join(f"c.{column}" for column in JUDGED)}, v.passed, v.failed_expectations, v.checked_at
            from intermediate.int_check_comparisons as c inner join raw.check_results as v using (comparison_id)
        ) to '{partial}' (format parquet)""")
    partial.replace(memo)


def _recall_into(con: duckdb.DuckDBPyConnection, memo: Path) -> bool:
    """The verdicts kept by the last build as the temp table earlier_verdicts; False when there are none or the file
    is unreadable (it is removed: everything is judged anew)."""
    if not memo.exists():
        return False
    try:
        con.execute(f"create or replace temp table earlier_verdicts as select * from read_parquet('{memo}')")
    except duckdb.Error:
        memo.unlink(missing_ok=True)
        return False
    return True


def recall_verdicts(memo: Path) -> pd.DataFrame | None:
    """The verdicts kept by the last build, or None when there are none or the file is unreadable (then judged anew)."""
    with duckdb.connect() as con:
        return con.execute("select * from earlier_verdicts").df() if _recall_into(con, memo) else None


def validate_new_comparisons(comparisons: pd.DataFrame, checked_at: datetime, earlier: pd.DataFrame | None) -> pd.DataFrame:
    """Verdicts for every comparison: the suites run on those not judged before exactly as they stand now;
    the rest keep their earlier verdict (JUDGED + passed + failed_expectations + checked_at, from the same suites).

    A rebuild after one new document then validates that document, not the whole corpus again.
    """
    if earlier is None or earlier.empty:
        return validate_comparisons(comparisons, checked_at)
    known = comparisons[JUDGED + ["document_id"]].merge(earlier[JUDGED + ["passed", "failed_expectations", "checked_at"]], on=JUDGED, how="inner")
    kept = known.assign(suite_name=known["check_id"])[VERDICT_COLUMNS]
    fresh = validate_comparisons(comparisons[~comparisons["comparison_id"].isin(known["comparison_id"])], checked_at)
    return pd.concat([kept, fresh], ignore_index=True).astype({"passed": bool})


# Documents judged together: their comparisons (a few hundred each) are one DataFrame, so memory is bounded by
# this, not by the corpus. Judging the 793 documents of the 1,000-document bench: 1,000 a chunk peaked at 1,298 MB,
# 100 at 552 MB in the same time (17 s); below 100 the suites' set-up per chunk starts to show.
DOCUMENTS_PER_CHUNK = 100


def judge_documents(con: duckdb.DuckDBPyConnection, memo: Path, checked_at: datetime, batch_only: bool) -> None:
    """Verdicts in raw.check_results for every comparison of intermediate.int_check_comparisons, or, with
    `batch_only`, for the documents of raw.batch (the others keep theirs); the memo then holds them all."""
    scope = "where document_id in (select document_id from raw.batch)" if batch_only else ""
    if batch_only and _exists(con, "raw", "check_results"):
        con.execute(f"delete from raw.check_results {scope}")
    else:
        con.execute("drop table if exists raw.check_results")
    # Matched in DuckDB, a chunk at a time: the memo of the whole corpus never becomes a DataFrame.
    earlier = _recall_into(con, memo)
    documents = [d for (d,) in con.execute(f"select distinct document_id from intermediate.int_check_comparisons {scope} order by 1").fetchall()]
    in_chunk = "from intermediate.int_check_comparisons where document_id in (select unnest(?::varchar[]))"
    for start in range(0, len(documents), DOCUMENTS_PER_CHUNK):
        chunk = documents[start:start + DOCUMENTS_PER_CHUNK]
        comparisons = con.execute(f"select * {in_chunk}", [chunk]).df()
        known = con.execute(f"select * from earlier_verdicts where comparison_id in (select comparison_id {in_chunk})", [chunk]).df() if earlier else None
        store_verdicts(con, validate_new_comparisons(comparisons, checked_at, known))
    if not _exists(con, "raw", "check_results"):
        store_verdicts(con, validate_comparisons(pd.DataFrame(columns=[*JUDGED, "document_id"]), checked_at))
    remember_verdicts(con, memo)


@dataclass(frozen=True)
class CheckOutcome:
    """One invariant over every document, as marts.reconciliation_result records it."""

    compared: int
    failed: int
    # The first failures: document_id, source_file, subject, expected_yuan, actual_yuan, pages.
    failures: tuple[dict, ...] = ()


def check_outcomes(con: duckdb.DuckDBPyConnection, examples: int) -> dict[str, CheckOutcome]:
    """Each check_id's comparisons and failures in the marts, with up to `examples` failures, by file and subject."""
    counts = con.execute("""
        select check_id, count(*) filter (where status <> 'not_applicable'), count(*) filter (where status = 'fail')
        from marts.reconciliation_result group by check_id""").fetchall()
    failures = con.execute("""
        select r.check_id, r.document_id, d.source_file, r.subject, r.expected_yuan, r.actual_yuan, r.pages
        from marts.reconciliation_result as r inner join marts.dim_document as d using (document_id)
        where r.status = 'fail'
        qualify row_number() over (partition by r.check_id order by d.source_file, r.subject) <= ?
        order by d.source_file, r.subject""", [examples])
    columns = [c[0] for c in failures.description][1:]
    by_check: dict[str, list[dict]] = {}
    for check_id, *values in failures.fetchall():
        by_check.setdefault(check_id, []).append(dict(zip(columns, values)))
    return {check_id: CheckOutcome(compared, failed, tuple(by_check.get(check_id, ()))) for check_id, compared, failed in counts}
