"""Tunable knobs of the extractor, kept apart from layout knowledge (which lives in the seeds)."""

from dataclasses import dataclass, field
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


def _ruled_table_settings() -> dict:
    # Disclosures print fully ruled grids; the lines strategy is exact there and ignores prose.
    return {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3}


@dataclass(frozen=True)
class ExtractionSettings:
    """How to read a PDF; the defaults suit the published disclosures."""

    seed_dir: Path = SEED_DIR
    table_settings: dict = field(default_factory=_ruled_table_settings)
    dedupe_chars: bool = True
    # "pdfium" reads chars and rules in C; "pdfminer" is pdfplumber's own (pure Python, ~4x slower) reading.
    reader: str = "pdfium"
    # pdfplumber's default line grouping; a layout profile may ask for a looser one.
    text_y_tolerance: float = 3
    max_pages: int = 500
    min_titles_for_layout: int = 3
