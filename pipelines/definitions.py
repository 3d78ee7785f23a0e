import dagster as dg

from pipelines.defs.automation import extract_job, raw_folder_sensor, warehouse_after_extraction, warehouse_job, yearly_rerun
from pipelines.defs.checks import reconciliation_checks
from pipelines.defs.executors import executor_from_env
from pipelines.defs.extract import document_extract, raw_tables
from pipelines.defs.report import run_report
from pipelines.defs.resources import BudgetPathsResource, LeanDbtCliResource
from pipelines.defs.transform import DBT_EXECUTABLE, check_results, dbt_marts, dbt_project, dbt_transform, published_warehouse

defs = dg.Definitions(
    executor=executor_from_env(),
    assets=[document_extract, raw_tables, dbt_transform, check_results, dbt_marts, published_warehouse, run_report],
    asset_checks=[reconciliation_checks],
    jobs=[extract_job, warehouse_job],
    sensors=[raw_folder_sensor, warehouse_after_extraction],
    schedules=[yearly_rerun],
    resources={
        "budget_paths": BudgetPathsResource(),
        "dbt": LeanDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    },
)


# Entry points for runs launched outside this process (the Celery executor reconstructs jobs by name).
def extract_documents_job() -> dg.JobDefinition:
    return defs.resolve_job_def("extract_documents")


def build_warehouse_job() -> dg.JobDefinition:
    return defs.resolve_job_def("build_warehouse")
