from pathlib import Path

import dagster as dg

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
