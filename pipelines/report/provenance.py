"""Provenance pictures: the PDF page region a figure was read from, its cells highlighted. No Dagster here."""

import hashlib
import multiprocessing
import os
import re
import struct
import zlib
from collections import defaultdict, deque
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

import numpy as np
import pdfplumber
from pdfplumber.display import PageImage
from PIL import Image, ImageDraw, ImageFont

from pipelines.extraction.objects import pdfium_reader
from pipelines.isolation import exit_with_parent

RESOLUTION = 144  # dpi: at less, the commas and points of 7–8 pt table figures blur into each other
MARGIN = 12.0  # points around the region, so the neighbouring lines give context
TITLE_ROOM = 110.0  # points above a table region: its (multi-level) header and title are not cells
ROW_FILL = (255, 214, 0, 60)
ROW_STROKE = (230, 160, 0, 160)
CELL_FILL = (255, 40, 40, 70)
CELL_STROKE = (220, 0, 0, 255)
# The caption band drawn above each picture: which document, table, row and column, and page it shows.
CAPTION_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # fonts-wqy-zenhei, installed by scripts/setup.sh
CAPTION_SIZE = 20  # pixels
CAPTION_LEADING = 6
CAPTION_PADDING = 10
CAPTION_BACKGROUND = (242, 245, 250)
CAPTION_INK = (34, 34, 34)
CAPTION_RULE = (47, 109, 181)
FOLDER = "provenance"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
Colour = tuple[int, int, int, int]


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
class Caption:
    """What a picture shows, in words: drawn above it, and its alt text and figcaption in the pages."""

    document: str  # e.g. 上海市普陀区财政局 2024 年决算 · finance-2024.pdf
    subject: str  # the table, row and column header, e.g. 表三:支出总表 · 206 科学技术支出 · 合计; or the prose's sentence


@dataclass(frozen=True)
class Evidence:
    """One picture: a page of a document, the region to show (None: the whole page), rows, cells and sentences to mark.

    Sentences are found on the page only when the picture is drawn: a report whose pictures exist never opens a PDF.
    """

    document_id: str
    page: int
    region: Box | None
    rows: tuple[Box, ...] = ()
    cells: tuple[Box, ...] = ()
    snippets: tuple[str, ...] = ()
    caption: Caption | None = None

    @cached_property
    def picture(self) -> str:
        """Path relative to the report folder; named by content, so an existing file is a valid cache entry."""
        style = (RESOLUTION, MARGIN, TITLE_ROOM, CELL_FILL, ROW_FILL, CAPTION_SIZE, CAPTION_BACKGROUND)
        digest = hashlib.sha1(repr((self, style)).encode()).hexdigest()[:12]
        return f"{FOLDER}/{self.document_id[:16]}/p{self.page:03d}-{digest}.png"

    @property
    def caption_lines(self) -> tuple[str, ...]:
        """The caption band's lines: document, what is shown, page."""
        where = f"第 {self.page} 页 · page {self.page}"
        return (self.caption.document, self.caption.subject, where) if self.caption else (where,)

    @property
    def caption_text(self) -> str:
        """The caption on one line, for alt texts and link titles."""
        return " — ".join(self.caption_lines)


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


@dataclass(frozen=True)
class _Frame:
    """Page points → pixels of a picture cut from the page image at (left, top), rounded as pdfplumber's PageImage does."""

    page: Box
    scale: float
    left: int
    top: int

    def pixel(self, x: float, y: float) -> tuple[int, int]:
        return int((x - self.page.x0) * self.scale) - self.left, int((y - self.page.top) * self.scale) - self.top


def _mark(draw: ImageDraw.ImageDraw, frame: _Frame, box: Box, fill: Colour, stroke: Colour, width: int) -> None:
    """pdfplumber's PageImage.draw_rect: a filled box, its frame drawn inside the box's edges."""
    half = width / 2
    x0 = min(box.x0 + half, (box.x0 + box.x1) / 2)
    top = min(box.top + half, (box.top + box.bottom) / 2)
    x1 = max(box.x1 - half, (x0 + box.x1) / 2)
    bottom = max(box.bottom - half, (top + box.bottom) / 2)
    draw.rectangle((*frame.pixel(x0, top), *frame.pixel(x1, bottom)), fill)
    for start, end in (((x0, top), (x1, top)), ((x0, bottom), (x1, bottom)), ((x0, top), (x0, bottom)), ((x1, top), (x1, bottom))):
        draw.line([frame.pixel(*start), frame.pixel(*end)], fill=stroke, width=width)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(picture: Image.Image) -> bytes:
    """An RGB picture as PNG, every row filtered "Up" (its difference to the row above) and deflated at zlib's fastest level.

    Pillow tries four filters on every row, which was most of the report's time; on rendered pages of flat colours
    "Up" alone compresses as well as Pillow does at that level, in half the time or less.
    """
    pixels = np.asarray(picture)
    rows = pixels.reshape(pixels.shape[0], -1)
    filtered = np.empty((rows.shape[0], rows.shape[1] + 1), np.uint8)
    filtered[:, 0] = 2  # the filter type; the first row's "above" is zeros, so it is stored as is
    filtered[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=filtered[1:, 1:])  # modulo 256, as PNG decoders add it back
    header = struct.pack(">IIBBBBB", picture.width, picture.height, 8, 2, 0, 0, 0)  # 8-bit RGB, deflate, no interlace
    return PNG_SIGNATURE + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(filtered, 1)) + _png_chunk(b"IEND", b"")


def _draw(page: pdfplumber.page.Page, image: PageImage, evidence: Evidence) -> Image.Image:
    """The evidence's region cut from the page first, then marked: only the picture's own pixels are copied and drawn."""
    cut = (0, 0, *image.original.size) if evidence.region is None else _pixels(evidence.region, Box(*page.bbox), image.scale)
    picture = image.original.crop(cut)
    draw = ImageDraw.Draw(picture, "RGBA")
    frame = _Frame(Box(*image.bbox), image.scale, cut[0], cut[1])
    for box in evidence.rows:
        _mark(draw, frame, box, ROW_FILL, ROW_STROKE, 1)
    for box in evidence.cells + tuple(b for snippet in evidence.snippets for b in find_text(page, snippet)):
        _mark(draw, frame, box, CELL_FILL, CELL_STROKE, 2)
    return _with_caption(picture, evidence.caption_lines)


@cache
def _caption_font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(CAPTION_FONT, CAPTION_SIZE)
    except OSError:  # without the CJK font the Latin part of the caption still reads
        return ImageFont.load_default(CAPTION_SIZE)


@cache
def _advance(character: str) -> float:
    return _caption_font().getlength(character)


def _wrap(text: str, width: float) -> list[str]:
    """Lines of at most `width` pixels, broken anywhere: Chinese has no spaces to break at."""
    lines, line, used = [], "", 0.0
    for character in text:
        step = _advance(character)
        if line and used + step > width:
            lines.append(line)
            line, used = character, step
        else:
            line, used = line + character, used + step
    return [*lines, line] if line else lines


@lru_cache(maxsize=64)  # a few documents and pages: the lines that repeat
def _line_mask(text: str) -> Image.Image:
    """A caption line drawn once: a document's and a page's lines repeat in many pictures, and drawing text is most of a caption's time."""
    mask = Image.new("L", (max(1, int(_caption_font().getlength(text)) + 1), CAPTION_SIZE + CAPTION_LEADING), 0)
    ImageDraw.Draw(mask).text((0, 0), text, font=_caption_font(), fill=255)
    return mask


def _with_caption(picture: Image.Image, lines: tuple[str, ...]) -> Image.Image:
    """The picture below a band with its caption: a picture saved or shared alone still says what it shows."""
    wrapped = [part for line in lines for part in _wrap(line, picture.width - 2 * CAPTION_PADDING)]
    step = CAPTION_SIZE + CAPTION_LEADING
    band = 2 * CAPTION_PADDING + len(wrapped) * step
    captioned = Image.new(picture.mode, (picture.width, band + picture.height), CAPTION_BACKGROUND)
    for number, line in enumerate(wrapped):
        captioned.paste(CAPTION_INK, (CAPTION_PADDING, CAPTION_PADDING + number * step), _line_mask(line))
    ImageDraw.Draw(captioned).line([(0, band - 2), (picture.width, band - 2)], fill=CAPTION_RULE, width=2)
    captioned.paste(picture, (0, band))
    return captioned


def _save(picture: Image.Image, target: Path) -> None:
    """Readers of the folder see a whole picture or none."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(_png(picture))
    partial.replace(target)


def render_pictures(evidence: set[Evidence], pdf_files: dict[str, Path], report_dir: Path) -> int:
    """Write the PNG of every evidence not already on disk; each needed page is rasterised once. Returns how many were drawn."""
    missing: dict[str, dict[int, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    for item in evidence:
        if item.document_id in pdf_files and not (report_dir / item.picture).exists():
            missing[item.document_id][item.page].append(item)
    # The biggest documents first, so that no long one starts last and keeps a single core busy at the end.
    jobs = sorted(((pdf_files[d], dict(pages), report_dir) for d, pages in missing.items()), key=_picture_count, reverse=True)
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers <= 1:
        # A rerun typically draws one new document: starting processes would cost more than it saves.
        return sum(_render_document(*job) for job in jobs)
    # Processes, one document at a time each: rasterising and drawing hold the GIL, and pdfium is not thread-safe,
    # so threads could not share that work. Each worker opens its own PDFs and writes its pictures; only counts come back.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=exit_with_parent) as pool:
        return sum(pool.map(_render_document, *zip(*jobs)))


def _picture_count(job: tuple[Path, dict[int, list[Evidence]], Path]) -> int:
    return sum(len(items) for items in job[1].values())


def _render_document(pdf_file: Path, pages: dict[int, list[Evidence]], report_dir: Path) -> int:
    """Draw one document's pictures of the given pages; returns how many. A PDF that cannot be drawn (one pdfminer
    reads but pdfium cannot, say) leaves its pictures out: the report shows the figures without them."""
    try:
        return _draw_document(pdf_file, pages, report_dir)
    except Exception:  # noqa: BLE001 - a picture is never worth a failed report
        return 0


def _draw_document(pdf_file: Path, pages: dict[int, list[Evidence]], report_dir: Path) -> int:
    drawn = 0
    # Encoding (numpy, zlib) releases the GIL, so pictures are encoded on other cores while this thread draws the next;
    # pdfium is not thread-safe, so pages are rendered here. A few pictures wait at most: each holds megabytes.
    workers = os.cpu_count() or 1
    with ThreadPoolExecutor(workers) as encoder, pdfplumber.open(pdf_file) as pdf, pdfium_reader(pdf_file) as fill:
        saving: deque[Future] = deque()
        for number, items in sorted(pages.items()):
            page = pdf.pages[number - 1]
            if any(item.snippets for item in items):
                fill(page)  # chars read by pdfium for the search: pdfminer would parse the page in pure Python
            image = page.to_image(resolution=RESOLUTION)
            for item in items:
                saving.append(encoder.submit(_save, _draw(page, image, item), report_dir / item.picture))
                drawn += 1
                if len(saving) > 2 * workers:
                    saving.popleft().result()
            page.close()
        for save in saving:
            save.result()
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


def find_text(page: pdfplumber.page.Page, text: str) -> tuple[Box, ...]:
    """Where a narrative snippet is printed on a page; failing that, each of its words and numbers, which some PDFs lay out apart."""
    matches = page.search(_pattern(text))
    if not matches:
        # Units like 万元 are printed everywhere: only the wording and the numbers point at the sentence.
        parts = [p for p in re.split(f"({NUMBER.pattern})", text) if NUMBER.fullmatch(p) or len(p.strip()) > 3]
        matches = [m for part in parts for m in page.search(_pattern(part))]
    return tuple(Box(m["x0"], m["top"], m["x1"], m["bottom"]) for m in matches)
