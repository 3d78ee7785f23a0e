"""The run report asset: a static site over the published warehouse (the generation code is `pipelines.report`)."""

import dagster as dg

from pipelines.defs.resources import BudgetPathsResource
from pipelines.defs.transform import published_warehouse
from pipelines.report import build_report, report_dir


@dg.asset(deps=[published_warehouse], group_name="publish", kinds={"html", "plotly"})
def run_report(context: dg.AssetExecutionContext, budget_paths: BudgetPathsResource) -> dg.MaterializeResult:
    """Charts, page-level provenance pictures and data docs of the published warehouse, as a static site."""
    paths = budget_paths.paths()
    outcome = build_report(paths, report_dir(paths))
    for problem in outcome.problems:
        context.log.warning(problem)
    return dg.MaterializeResult(metadata={
        "index": dg.MetadataValue.path(str(outcome.index)),
        "documents": outcome.documents,
        "pictures": outcome.pictures,
        "pictures_drawn": outcome.pictures_drawn,
        "document_pages_written": outcome.document_pages_written,
        "seconds": outcome.seconds,
    })
