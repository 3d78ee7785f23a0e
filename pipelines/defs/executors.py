"""One switch for where steps run: BUDGET_EXECUTOR=celery sends them to Celery workers, else local processes."""

import os

from dagster_celery import celery_executor


def celery_broker() -> str:
    return os.environ.get("BUDGET_CELERY_BROKER", "redis://127.0.0.1:6379/0")


def is_distributed() -> bool:
    return os.environ.get("BUDGET_EXECUTOR", "").lower() == "celery"


def executor_from_env():
    """The Celery executor on the configured broker, or None for Dagster's default multiprocess executor."""
    if not is_distributed():
        return None
    return celery_executor.configured(
        {"broker": celery_broker(), "backend": celery_broker(), "include": ["pipelines.celery_app"]},
        name="celery",
    )
