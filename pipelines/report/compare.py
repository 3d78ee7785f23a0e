"""Year-on-year change of one entity, and entities side by side for a year."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from pipelines.report.data import THREE_PUBLIC_LABELS, BudgetRow, DocumentFigures, Figure


@dataclass(frozen=True)
class Change:
    """One line of a year-on-year table: the same item in the earlier and the current document."""

    label: str
    earlier: Figure | None
    current: Figure | None

    @property
    def difference_yuan(self) -> Decimal | None:
        if self.earlier is None or self.current is None or self.earlier.amount_yuan is None or self.current.amount_yuan is None:
            return None
        return self.current.amount_yuan - self.earlier.amount_yuan

    @property
    def percent(self) -> str:
        difference = self.difference_yuan
        if difference is None or not self.earlier.amount_yuan:
            return ""
        return f"{difference / self.earlier.amount_yuan * 100:+.1f}%"

    @property
    def execution(self) -> str:
        """The current figure as a share of the earlier one: a final account's 决算数 of its 预算数."""
        if self.difference_yuan is None or not self.earlier.amount_yuan:
            return ""
        return f"{self.current.amount_yuan / self.earlier.amount_yuan * 100:.1f}%"


def _entity(f: DocumentFigures) -> tuple:
    d = f.document
    return d.entity_name, d.region, d.document_type, d.scope


def earlier_documents(figures: list[DocumentFigures]) -> dict[str, DocumentFigures | None]:
    """Each document's earlier one: the same entity's latest document of the same kind for an earlier year.
    Grouped by entity first, so 10,000 documents are not each compared with every other."""
    by_entity: dict[tuple, list[DocumentFigures]] = defaultdict(list)
    for f in figures:
        by_entity[_entity(f)].append(f)
    earlier = {}
    for f in figures:
        year = f.document.fiscal_year or 0
        candidates = [o for o in by_entity[_entity(f)] if (o.document.fiscal_year or 0) < year]
        earlier[f.document.document_id] = max(candidates, key=lambda o: o.document.fiscal_year or 0, default=None)
    return earlier


def year_on_year(current: DocumentFigures, earlier: DocumentFigures) -> list[Change]:
    """Totals, 基本/项目, each function 类 (by code) and 三公经费 of two years of one entity."""
    changes = [
        Change("支出合计", earlier.total, current.total),
        Change("基本支出", earlier.basic, current.basic),
        Change("项目支出", earlier.project, current.project),
    ]
    before = {c.code: c for c in earlier.function_classes}
    now = {c.code: c for c in current.function_classes}
    for code in sorted(before.keys() | now.keys()):
        name = (now.get(code) or before[code]).name
        changes.append(Change(f"{code} {name}", before[code].total if code in before else None, now[code].total if code in now else None))
    changes.append(Change("“三公”经费合计", earlier.three_public_total(), current.three_public_total()))
    return changes


def comparison_years(documents: list[DocumentFigures]) -> dict[int, list[DocumentFigures]]:
    """Years with at least two documents, latest first, entities in name order: the cross-document tables."""
    by_year: dict[int, list[DocumentFigures]] = defaultdict(list)
    for figures in documents:
        if figures.document.fiscal_year is not None:
            by_year[figures.document.fiscal_year].append(figures)
    return {
        year: sorted(group, key=lambda f: f.document.entity_name or "")
        for year, group in sorted(by_year.items(), reverse=True) if len(group) >= 2
    }


def _printed(f: DocumentFigures, row: BudgetRow, amount) -> Figure:
    """The document's own figure for an item, with its pictures, where it is the amount the mart pairs; else the bare amount."""
    if row.topic == "expenditure":
        figure = next((c.total for c in f.function_classes if c.code == row.code), None)
    else:
        figure = f.three_public.get(f.document.fiscal_year or 0, {}).get(row.code)
    return figure if figure is not None and figure.amount_yuan == amount else Figure(row.name, amount)


def budget_vs_final(final: DocumentFigures, budget: DocumentFigures | None) -> list[Change]:
    """A final account's function 类 and 三公经费 beside its budget document's, as `marts.budget_vs_final_account` pairs them."""
    if budget is None:
        return []
    return [
        Change(THREE_PUBLIC_LABELS.get(row.code, row.name) if row.topic == "three_public" else f"{row.code} {row.name}",
               _printed(budget, row, row.budget_yuan), _printed(final, row, row.final_yuan))
        for row in final.budget_rows
    ]
