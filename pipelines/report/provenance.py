"""Provenance pictures: the PDF page region a figure was read from, its cells highlighted. No Dagster here."""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

RESOLUTION = 144  # dpi: at less, the commas and points of 7–8 pt table figures blur into each other
MARGIN = 12.0  # points around the region, so the neighbouring lines give context
TITLE_ROOM = 110.0  # points above a table region: its (multi-level) header and title are not cells
ROW_FILL = (255, 214, 0, 60)
ROW_STROKE = (230, 160, 0, 160)
CELL_FILL = (255, 40, 40, 70)
CELL_STROKE = (220, 0, 0, 255)
FOLDER = "provenance"
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Box:
    """A rectangle on a page in PDF points from the top-left, as `marts.printed_cell` stores it."""

    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: "Box") -> "Box":
        return Box(min(self.x0, other.x0), min(self.top, other.top), max(self.x1, other.x1), max(self.bottom, other.bottom))


@dataclass(frozen=True)
class Evidence:
    """One picture: a page of a document, the region to show (None: the whole page), rows and cells to mark."""

    document_id: str
    page: int
    region: Box | None
    rows: tuple[Box, ...] = ()
    cells: tuple[Box, ...] = ()

    def picture(self) -> str:
        """Path relative to the report folder; named by content, so an existing file is a valid cache entry."""
        digest = hashlib.sha1(repr((self, RESOLUTION, MARGIN, TITLE_ROOM, CELL_FILL, ROW_FILL)).encode()).hexdigest()[:12]
        return f"{FOLDER}/{self.document_id[:16]}/p{self.page:03d}-{digest}.png"


def span(boxes: list[Box]) -> Box:
    """The smallest box holding all of them."""
    result = boxes[0]
    for box in boxes[1:]:
        result = result.union(box)
    return result


def _pixels(box: Box, page_box: Box, scale: float) -> tuple[int, int, int, int]:
    clipped = Box(
        max(box.x0 - MARGIN, page_box.x0),
        max(box.top - MARGIN - TITLE_ROOM, page_box.top),
        min(box.x1 + MARGIN, page_box.x1),
        min(box.bottom + MARGIN, page_box.bottom),
    )
    return (
        int((clipped.x0 - page_box.x0) * scale),
        int((clipped.top - page_box.top) * scale),
        int((clipped.x1 - page_box.x0) * scale),
        int((clipped.bottom - page_box.top) * scale),
    )


def _draw(page: pdfplumber.page.Page, image, evidence: Evidence, target: Path) -> None:
    image.reset()
    for box in evidence.rows:
        image.draw_rect((box.x0, box.top, box.x1, box.bottom), fill=ROW_FILL, stroke=ROW_STROKE, stroke_width=1)
    for box in evidence.cells:
        image.draw_rect((box.x0, box.top, box.x1, box.bottom), fill=CELL_FILL, stroke=CELL_STROKE, stroke_width=2)
    picture = image.annotated
    if evidence.region is not None:
        picture = picture.crop(_pixels(evidence.region, Box(*page.bbox), image.scale))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    picture.save(partial, format="PNG", optimize=False)
    partial.replace(target)


def render_pictures(evidence: set[Evidence], pdf_files: dict[str, Path], report_dir: Path) -> int:
    """Write the PNG of every evidence not already on disk; each needed page is rasterised once. Returns how many were drawn."""
    missing: dict[str, dict[int, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    for item in evidence:
        if item.document_id in pdf_files and not (report_dir / item.picture()).exists():
            missing[item.document_id][item.page].append(item)
    drawn = 0
    for document_id, pages in missing.items():
        with pdfplumber.open(pdf_files[document_id]) as pdf:
            for number, items in sorted(pages.items()):
                page = pdf.pages[number - 1]
                image = page.to_image(resolution=RESOLUTION)
                for item in items:
                    _draw(page, image, item, report_dir / item.picture())
                    drawn += 1
                page.close()
    return drawn


def prune_pictures(report_dir: Path, keep: set[str]) -> None:
    """Remove pictures of figures no longer shown (documents gone, figures changed)."""
    for path in (report_dir / FOLDER).rglob("*.png"):
        if path.relative_to(report_dir).as_posix() not in keep:
            path.unlink()


def _pattern(text: str) -> str:
    """Literal text that may be broken by the text layer's spaces and line breaks; a number never matches inside a longer one."""
    body = r"\s*".join(re.escape(ch) for ch in text)
    return rf"(?<![\d.,]){body}(?![\d])" if NUMBER.fullmatch(text) else body


def find_text(pdf_file: Path, page: int, text: str) -> tuple[Box, ...]:
    """Where a narrative snippet is printed on a page; failing that, each of its words and numbers, which some PDFs lay out apart."""
    with pdfplumber.open(pdf_file) as pdf:
        printed = pdf.pages[page - 1]
        matches = printed.search(_pattern(text))
        if not matches:
            # Units like 万元 are printed everywhere: only the wording and the numbers point at the sentence.
            parts = [p for p in re.split(f"({NUMBER.pattern})", text) if NUMBER.fullmatch(p) or len(p.strip()) > 3]
            matches = [m for part in parts for m in printed.search(_pattern(part))]
    return tuple(Box(m["x0"], m["top"], m["x1"], m["bottom"]) for m in matches)
