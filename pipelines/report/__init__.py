"""The run report: a static site of charts, provenance pictures and data docs over the published warehouse. No Dagster here."""

from pipelines.report.build import ReportOutcome, build_report, report_dir

__all__ = ["ReportOutcome", "build_report", "report_dir"]
