"""The reconciliation invariants as asset checks on the mart that records their verdicts."""

import dagster as dg
import duckdb

from pipelines.defs.resources import BudgetPathsResource
from pipelines.defs.transform import CHECKS, published_warehouse
from pipelines.paths import duckdb_config
from pipelines.reconciliation import CheckOutcome, check_outcomes
from pipelines.report import report_dir
from pipelines.report.site import doc_page_of

RECONCILIATION_RESULT = dg.AssetKey(["marts", "reconciliation_result"])
# Failures listed in a check's metadata; the mart and the run report hold all of them.
EXAMPLES = 10
SEVERITIES = {check["check_id"]: dg.AssetCheckSeverity.ERROR if check["severity"] == "error" else dg.AssetCheckSeverity.WARN for check in CHECKS}


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            check["check_id"],
            asset=RECONCILIATION_RESULT,
            description=f"{check['title_en']} ({check['title_zh']})",
            # Read from the published file once it is published: the build copy is then being documented for the
            # run report, and DuckDB lets no other process open a file that one has open for writing.
            additional_deps=[published_warehouse],
            metadata={"rule": check["description"], "severity": check["severity"]},
        )
        for check in CHECKS
    ],
    can_subset=True,
)
def reconciliation_checks(context: dg.AssetCheckExecutionContext, budget_paths: BudgetPathsResource):
    """Each invariant's verdicts over every document, as the published reconciliation_result records them."""
    paths = budget_paths.paths()
    with duckdb.connect(str(paths.warehouse), read_only=True, config=duckdb_config()) as con:
        outcomes = check_outcomes(con, EXAMPLES)
    for key in context.selected_asset_check_keys:
        outcome = outcomes.get(key.name, CheckOutcome(compared=0, failed=0))
        failures = [
            dg.TableRecord({
                "source_file": f["source_file"], "subject": f["subject"],
                "expected_yuan": _text(f["expected_yuan"]), "actual_yuan": _text(f["actual_yuan"]), "pages": f["pages"],
                "report_page": str(report_dir(paths) / doc_page_of(f["document_id"])),
            })
            for f in outcome.failures
        ]
        yield dg.AssetCheckResult(
            asset_key=key.asset_key,
            check_name=key.name,
            passed=outcome.failed == 0,
            severity=SEVERITIES[key.name],
            description=f"{outcome.failed} of {outcome.compared} comparisons fail",
            metadata={
                "compared": outcome.compared, "failed": outcome.failed, **({"failures": dg.MetadataValue.table(failures)} if failures else {}),
            },
        )


def _text(amount) -> str | None:
    """An amount in yuan as text: metadata tables take no Decimal."""
    return None if amount is None else str(amount)
