"""The Celery app workers run: `celery -A pipelines.celery_app worker -Q dagster`.

Workers need the same code, the same BUDGET_* settings and the same Dagster instance (DAGSTER_HOME or the
run's instance folder) as the process that launches runs; steps then run wherever a worker is.
"""

from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_task

from pipelines.defs.executors import celery_broker

app = make_app({"broker": celery_broker(), "backend": celery_broker()})
execute_plan = create_task(app)
