"""Shenzhen-layout variants of the reference document: another district, department and year.

The amounts stay those of the reference. Its printed parents differ from the sum of their printed
children by up to 0.01 万元 (rounding from 元), which the checks tolerate; any scaling would
multiply those residues past the tolerance, and the documents would stop reconciling.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace
from typing import Any

from pipelines.sample.reference_text import ReferenceDocument

REFERENCE_YEAR = 2024
REFERENCE_DISTRICT = "罗湖"
REFERENCE_DEPARTMENT = "科技创新局"
DISTRICTS = ("福田", "南山", "宝安", "龙岗", "盐田", "龙华", "坪山", "光明", "罗湖")
# The cover prints the title on one line only up to about six characters of department name.
DEPARTMENTS = ("科技创新局", "教育局", "民政局", "司法局", "卫生健康局", "水务局", "住房和建设局", "统计局")

# A year is four digits standing alone (never part of an amount such as 2,024.00 or 2024.50).
_YEAR = re.compile(r"(?<![\d.,])20\d{2}(?![\d.,])")


def strings_mapped(value: Any, f: Callable[[str], str]) -> Any:
    """`value` (dataclasses, tuples and dicts of them) with f applied to every string inside."""
    if isinstance(value, str):
        return f(value)
    if isinstance(value, tuple):
        return tuple(strings_mapped(v, f) for v in value)
    if isinstance(value, dict):
        return {k: strings_mapped(v, f) for k, v in value.items()}
    if is_dataclass(value):
        return replace(value, **{fl.name: strings_mapped(getattr(value, fl.name), f) for fl in fields(value)})
    return value


def text_to_variant_text(text: str, district: str, department: str, year: int) -> str:
    """Reference wording with the district, the department and the years moved (the prior year moves too)."""
    shifted = _YEAR.sub(lambda m: str(int(m.group()) + year - REFERENCE_YEAR) if m.group() in ("2023", "2024") else m.group(), text)
    return shifted.replace(REFERENCE_DEPARTMENT, department).replace(REFERENCE_DISTRICT, district)


def reference_to_variant(reference: ReferenceDocument, district: str, department: str, year: int) -> ReferenceDocument:
    """The reference document as another department of another district would print it for `year`."""
    return strings_mapped(reference, lambda s: text_to_variant_text(s, district, department, year))
