import dagster as dg
from dagster_dbt import DbtCliResource

from pipelines.defs.automation import budget_job, raw_folder_sensor, yearly_rerun
from pipelines.defs.checks import reconciliation_checks
from pipelines.defs.executors import executor_from_env
from pipelines.defs.extract import document_extract, raw_tables
from pipelines.defs.report import run_report
from pipelines.defs.resources import BudgetPathsResource
from pipelines.defs.transform import DBT_EXECUTABLE, check_results, dbt_marts, dbt_project, dbt_transform, published_warehouse

defs = dg.Definitions(
    executor=executor_from_env(),
    assets=[document_extract, raw_tables, dbt_transform, check_results, dbt_marts, published_warehouse, run_report],
    asset_checks=[reconciliation_checks],
    jobs=[budget_job],
    sensors=[raw_folder_sensor],
    schedules=[yearly_rerun],
    resources={
        "budget_paths": BudgetPathsResource(),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    },
)


# The entry point of runs launched outside this process (the Celery executor reconstructs the job by name).
def budget_etl_job() -> dg.JobDefinition:
    return defs.resolve_job_def(budget_job.name)
