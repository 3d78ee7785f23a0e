"""A small corpus for the analyst layer: the sample, two real Shanghai PDFs and rendered Shanghai budgets that make
one entity across two years, a renamed entity, and a budget beside its final account."""

import random
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from pipelines.bench import shanghai
from tests.conftest import SAMPLE_PDF, real_pdf

JUSTICE_2026 = "shanghai-putuo-justice-bureau-2026-department-budget.pdf"
FINANCE_FINAL_2024 = "shanghai-putuo-finance-bureau-2024-department-final-account.pdf"
# Rendered budgets (file stem → entity and year): the justice bureau the year before its real 2026 budget, the finance
# bureau's budget for the year of its real final account, and the health commission before and after its 2019 rename
# (reference.entity_renames).
RENDERED = {
    "putuo-justice-2025-budget": ("上海市普陀区司法局", 2025),
    "putuo-finance-2024-budget": ("上海市普陀区财政局", 2024),
    "putuo-health-2018-budget": ("上海市普陀区卫生和计划生育委员会", 2018),
    "putuo-health-2019-budget": ("上海市普陀区卫生健康委员会", 2019),
}


def write_corpus(raw_dir: Path) -> dict[str, shanghai.Budget]:
    """The corpus in `raw_dir`; the numbers of each rendered budget by file stem."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE_PDF, raw_dir / SAMPLE_PDF.name)
    for name in (JUSTICE_2026, FINANCE_FINAL_2024):
        shutil.copy(real_pdf(name), raw_dir / name)
    budgets = {}
    for i, (stem, (entity, year)) in enumerate(RENDERED.items()):
        budget = replace(shanghai.random_budget(random.Random(f"analyst-{i}"), year), district="普陀区", entity=entity, scope="department")
        shanghai.render(shanghai.budget_to_document(budget), raw_dir / f"{stem}.pdf")
        budgets[stem] = budget
    return budgets


def class_totals_yuan(budget: shanghai.Budget) -> dict[str, Decimal]:
    """Total spending per function 类 in yuan, from the numbers the PDF was rendered from."""
    totals: dict[str, int] = {}
    for leaf in budget.functions:
        totals[leaf.codes[0]] = totals.get(leaf.codes[0], 0) + leaf.basic + leaf.project
    return {code: Decimal(cents) / 100 for code, cents in totals.items()}
