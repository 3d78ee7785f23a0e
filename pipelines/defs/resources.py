import importlib.metadata
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version

from pipelines.paths import BudgetPaths


class BudgetPathsResource(dg.ConfigurableResource):
    """Raw folder and warehouse file; empty means BUDGET_RAW_DIR / BUDGET_WAREHOUSE or the repo defaults."""

    raw_dir: str = ""
    warehouse: str = ""

    def paths(self) -> BudgetPaths:
        defaults = BudgetPaths.from_env()
        return BudgetPaths(
            raw_dir=Path(self.raw_dir).resolve() if self.raw_dir else defaults.raw_dir,
            warehouse=Path(self.warehouse).resolve() if self.warehouse else defaults.warehouse,
        )


class LeanDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without two costs of every `dbt` command that this project never uses.

    Before each command dagster-dbt runs `dbt --version` in a subprocess and opens a dbt adapter in
    this process, the latter only for column metadata and row counts on request (never requested
    here): together 6-7 s per command on 2 cores, a quarter of a warehouse rebuild. The version is
    read from the installed dbt-core instead (pinned in the lock with dagster-dbt).
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None
