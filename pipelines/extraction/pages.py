"""One pass over the pages: text lines everywhere, ruled grids only where a table can be."""

import bisect
import itertools
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import pdfplumber
from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils.geometry import obj_to_bbox
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES, extract_text

from pipelines.extraction.objects import pdfium_reader, upright_pages
from pipelines.extraction.settings import ExtractionSettings

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class TextLine:
    """A printed line of text and where it sits on its page."""

    page: int
    text: str
    top: float
    bottom: float
    # A line's left and right edges: the rest of a wrapped line is printed within the width of the line before it.
    x0: float = 0.0
    x1: float = 0.0


@dataclass(frozen=True)
class Grid:
    """A ruled table as pdfplumber found it on one page (None marks a merged cell)."""

    page: int
    top: float
    bottom: float
    texts: list[list[str | None]]
    cells: list[list[BBox | None]]
    row_boxes: list[BBox]
    column_edges: list[float]

    def column_center(self, index: int) -> float:
        """x coordinate of the middle of a grid column."""
        return (self.column_edges[index] + self.column_edges[index + 1]) / 2


@dataclass(frozen=True)
class PageContent:
    """What one page contributes to the document."""

    number: int
    lines: list[TextLine]
    grids: list[Grid]
    # Chars set sideways (a table turned 90° on the page): the page's text lines do not read them as rows.
    rotated_chars: int = 0
    # [low, high): the line tolerances that give these same lines; a profile asking for another one (it is chosen
    # once every page is read) has only the pages outside the range read again.
    tolerance_range: tuple[float, float] = (0.0, float("inf"))

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def chars_to_text(chars: list[dict]) -> str:
    """pdfplumber's extract_text(chars) with its defaults, without its two clusterings when the chars print one
    line (most cells): then a word ends at a blank, or where the next char starts left of the last one or more
    than the x tolerance right of its end, exactly as in pdfplumber's WordExtractor."""
    tops = [char["top"] for char in chars]
    if max(tops) - min(tops) > DEFAULT_Y_TOLERANCE or not all(char["upright"] and char["text"] for char in chars):
        return extract_text(chars)
    words: list[list[str]] = []
    last = None
    for char in sorted(chars, key=itemgetter("x0")):
        if char["text"].isspace():
            last = None
            continue
        if last is None or char["x0"] < last["x0"] or char["x0"] > last["x1"] + DEFAULT_X_TOLERANCE:
            words.append([])
        words[-1].append(LIGATURES.get(char["text"], char["text"]))
        last = char
    return " ".join("".join(word) for word in words)


def rows_to_texts(rows, chars: list[dict]) -> list[list[str | None]]:
    """What pdfplumber's Table.extract() returns, without testing every char against every cell.

    A char belongs to the cell holding its centre, as in pdfplumber; chars are bisected into rows
    by that centre, then kept in page order, which pdfplumber's text assembly may depend on.
    """
    across = [(c["x0"] + c["x1"]) / 2 for c in chars]
    down = [(c["top"] + c["bottom"]) / 2 for c in chars]
    centres = sorted((middle, i) for i, middle in enumerate(down))
    middles = [m for m, _ in centres]
    texts = []
    for row in rows:
        _, top, _, bottom = row.bbox
        in_row = sorted(i for _, i in centres[bisect.bisect_left(middles, top): bisect.bisect_left(middles, bottom)])
        row_texts = []
        for cell in row.cells:
            if cell is None:
                row_texts.append(None)
                continue
            x0, cell_top, x1, cell_bottom = cell
            inside = [chars[i] for i in in_row if x0 <= across[i] < x1 and cell_top <= down[i] < cell_bottom]
            row_texts.append(chars_to_text(inside) if inside else "")
        texts.append(row_texts)
    return texts


def table_to_grid(table, page_number: int) -> Grid:
    """pdfplumber Table → Grid, with column edges from the distinct cell edges."""
    rows = table.rows  # computed anew on every access
    cells = [list(row.cells) for row in rows]
    x_edges = sorted({round(c[0], 1) for row in cells for c in row if c} | {round(table.bbox[2], 1)})
    return Grid(
        page=page_number,
        top=table.bbox[1],
        bottom=table.bbox[3],
        texts=rows_to_texts(rows, table.page.chars),
        cells=cells,
        row_boxes=[row.bbox for row in rows],
        column_edges=x_edges,
    )


def intersections_to_cells(intersections: dict) -> list[BBox]:
    """pdfplumber's intersections_to_cells, the same cells in the same order, at a fraction of its cost.

    pdfplumber builds both points' edge sets anew for every pair it tests and scans every later point for those
    below and right of each one; here each point's edges are a set once, and the points below (the next ones in
    sorted order, same x) and right (same y) are slices.
    """
    vertical = {point: {obj_to_bbox(e) for e in edges["v"]} for point, edges in intersections.items()}
    horizontal = {point: {obj_to_bbox(e) for e in edges["h"]} for point, edges in intersections.items()}

    def connects(a, b) -> bool:
        return (a[0] == b[0] and not vertical[a].isdisjoint(vertical[b])) or (a[1] == b[1] and not horizontal[a].isdisjoint(horizontal[b]))

    points = sorted(intersections)
    rows: dict[float, list] = {}
    for point in points:
        rows.setdefault(point[1], []).append(point)
    column_ends = {point[0]: index + 1 for index, point in enumerate(points)}
    cells = []
    for index, point in enumerate(points):
        below = points[index + 1: column_ends[point[0]]]
        row = rows[point[1]]
        right = row[row.index(point) + 1:]
        cell = next(
            ((*point, *corner) for below_point in below if connects(point, below_point)
             for right_point in right if connects(point, right_point)
             for corner in [(right_point[0], below_point[1])]
             if corner in intersections and connects(corner, right_point) and connects(corner, below_point)),
            None,
        )
        if cell:
            cells.append(cell)
    return cells


class _TableFinder(TableFinder):
    """pdfplumber's table finder (lines strategy, its edges and intersections) with the faster cell search."""

    def __init__(self, page, settings: dict):
        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
        self.cells = intersections_to_cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def chars_to_unique(chars: list[dict], tolerance: float = 1) -> list[dict]:
    """One char per printed glyph: fake bold prints the same glyph again a hair to the side.

    Same result as pdfplumber's dedupe_chars, whose final sort by list position is quadratic and cost
    as much as parsing the page; here the earliest-placed char of each cluster is kept.
    """
    key = itemgetter("upright", "text", "fontname", "size")
    kept = []
    for _, group in itertools.groupby(sorted(chars, key=key), key=key):
        same = list(group)
        if len(same) == 1:  # most glyphs: nothing to cluster, and clustering is the cost
            kept.append(same[0])
            continue
        for row in objects_to_chains(same, "doctop", tolerance):
            for spot in objects_to_chains(row, "x0", tolerance) if len(row) > 1 else [row]:
                kept.append(min(spot, key=itemgetter("doctop", "x0")) if len(spot) > 1 else spot[0])
    return kept


def objects_to_chains(objects: list[dict], name: str, tolerance: float) -> list[list[dict]]:
    """pdfplumber's cluster_objects(objects, name, tolerance) without its cluster dict: runs of objects whose
    value is within `tolerance` of the one before, in value order (ties in the given order, as there)."""
    ordered = sorted(objects, key=itemgetter(name))
    chains = [[ordered[0]]]
    for before, obj in zip(ordered, ordered[1:]):
        if obj[name] <= before[name] + tolerance:
            chains[-1].append(obj)
        else:
            chains.append([obj])
    return chains


def _view(page, settings: ExtractionSettings):
    if not settings.dedupe_chars:
        return page
    keep = {id(char) for char in chars_to_unique(page.chars)}
    return page.filter(lambda obj: obj["object_type"] != "char" or id(obj) in keep)


def page_to_lines(view, number: int, y_tolerance: float) -> list[TextLine]:
    """The printed lines of a page, grouped with this vertical tolerance."""
    chars = view.chars
    if all(char["upright"] and char["text"] for char in chars):
        return chars_to_lines(chars, number, y_tolerance)
    return [
        TextLine(number, line["text"], line["top"], line["bottom"], line["x0"], line["x1"])
        for line in view.extract_text_lines(return_chars=False, y_tolerance=y_tolerance)
    ]


def _chains(values: list[float], tolerance: float) -> list[list[int]]:
    """Indices of `values` in runs each within `tolerance` of the one before, in value order (pdfplumber's
    clusters, ties in index order)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    chains: list[list[int]] = []
    for before, index in zip([None, *order], order):
        if before is None or values[index] > values[before] + tolerance:
            chains.append([])
        chains[-1].append(index)
    return chains


def chars_to_lines(chars: list[dict], number: int, y_tolerance: float) -> list[TextLine]:
    """pdfplumber's extract_text_lines() of upright chars, without its text map, its regex and its generic
    clustering (two thirds of the cost), to the same lines.

    As there: chars whose tops chain within the tolerance form a line, read by x0 (ties in page order); a word
    ends at a blank, where the next char starts left of the last one or more than the x tolerance right of its
    end, or sits more than the tolerance above or below it; words whose tops chain within the tolerance (over the
    whole page) are one line while they follow each other, its words joined by a blank.
    """
    tops = [char["top"] for char in chars]
    words: list[tuple[str, list[dict]]] = []
    for chain in _chains(tops, y_tolerance):
        word: list[dict] = []
        for char in (chars[i] for i in sorted(chain, key=lambda i: (chars[i]["x0"], i))):
            if char["text"].isspace():
                word = []
                continue
            if word and not (char["x0"] < word[-1]["x0"] or char["x0"] > word[-1]["x1"] + DEFAULT_X_TOLERANCE
                             or abs(char["top"] - word[-1]["top"]) > y_tolerance):
                word.append(char)
                continue
            word = [char]
            words.append(("", word))
    words = [("".join(LIGATURES.get(c["text"], c["text"]) for c in word), word) for _, word in words]
    word_tops = sorted({min(c["top"] for c in word) for _, word in words})
    line_of = {}
    for chain_number, chain in enumerate(_chains(word_tops, y_tolerance)):
        line_of.update((word_tops[i], chain_number) for i in chain)
    lines = []
    for _, run in itertools.groupby(words, key=lambda w: line_of[min(c["top"] for c in w[1])]):
        run = list(run)
        line_chars = [c for _, word in run for c in word]
        lines.append(TextLine(
            number, " ".join(text for text, _ in run),
            min(c["top"] for c in line_chars), max(c["bottom"] for c in line_chars),
            min(c["x0"] for c in line_chars), max(c["x1"] for c in line_chars),
        ))
    return lines


def chars_to_tolerance_range(chars: list[dict], y_tolerance: float) -> tuple[float, float]:
    """[low, high): the tolerances that group these chars into the lines `y_tolerance` gives.

    pdfplumber chains chars into a line while each top is within the tolerance of the one above, and splits a
    word where two neighbours' tops differ by more: so any tolerance from the tallest line's spread of tops up
    to the smallest gap between lines gives the same lines. Sideways chars are grouped by x: no range.
    """
    if any(not char["upright"] for char in chars):
        return y_tolerance, y_tolerance
    tops = sorted(char["top"] for char in chars)
    spread, gap, first = 0.0, float("inf"), tops[0] if tops else 0.0
    for above, top in zip(tops, tops[1:]):
        if top - above > y_tolerance:
            gap, first = min(gap, top - above), top
        else:
            spread = max(spread, top - first)
    return (spread, gap) if spread <= y_tolerance else (y_tolerance, y_tolerance)


def page_to_content(page, number: int, settings: ExtractionSettings, find_grids) -> PageContent:
    """Read one pdfplumber page; find_grids(lines) decides whether the table finder runs."""
    view = _view(page, settings)
    lines = page_to_lines(view, number, settings.text_y_tolerance)
    grids = []
    if find_grids(lines):
        tables = sorted(_TableFinder(view, settings.table_settings).tables, key=lambda t: t.bbox[1])
        grids = [table_to_grid(t, number) for t in tables]
    rotated = sum(1 for char in view.chars if not char["upright"])
    return PageContent(number, lines, grids, rotated, chars_to_tolerance_range(view.chars, settings.text_y_tolerance))


def pages_to_furniture(pages: list[PageContent]) -> set[str]:
    """Running headers and footers: a first or last line printed on three pages or more."""
    counts: dict[str, int] = {}
    for page in pages:
        for text in {line.text.strip() for line in page.lines[:1] + page.lines[-1:]}:
            counts[text] = counts.get(text, 0) + 1
    return {text for text, count in counts.items() if count >= 3}


def _reader(path: Path, settings: ExtractionSettings):
    return pdfium_reader(path) if settings.reader == "pdfium" else nullcontext(lambda page: None)


@contextmanager
def open_pages(path: Path, settings: ExtractionSettings, numbers: list[int] | None = None):
    """pdfplumber pages (all, or those numbered), each handed its objects by pdfium as it is reached (unless
    settings say pdfminer)."""
    with pdfplumber.open(path) as original:
        rotated = [page.page_number - 1 for page in original.pages if page.rotation]
        with upright_pages(path, rotated) as readable, _reader(readable, settings) as fill, \
                (nullcontext(original) if readable == path else pdfplumber.open(readable)) as pdf:
            wanted = pdf.pages[: settings.max_pages] if numbers is None else [pdf.pages[n - 1] for n in numbers]

            def filled():
                for page in wanted:
                    fill(page)
                    yield page

            yield len(pdf.pages), filled()


def pdf_to_pages(path: Path, settings: ExtractionSettings, wants_grids) -> tuple[int, list[PageContent]]:
    """Read every page once, closing each as soon as it is read to keep memory flat.

    wants_grids(lines, previous_page_had_grids) says whether a page may hold a table.
    """
    pages: list[PageContent] = []
    with open_pages(path, settings) as (page_count, reading):
        for index, page in enumerate(reading):
            previous_had_grids = bool(pages and pages[-1].grids)
            content = page_to_content(page, index + 1, settings, lambda ls: wants_grids(ls, previous_had_grids))
            pages.append(content)
            page.close()
    return page_count, pages


def pdf_to_lines(path: Path, settings: ExtractionSettings, numbers: list[int]) -> list[list[TextLine]]:
    """Only the text lines of the pages numbered: a second reading with another line tolerance."""
    with open_pages(path, settings, numbers) as (_, reading):
        lines = []
        for number, page in zip(numbers, reading):
            lines.append(page_to_lines(_view(page, settings), number, settings.text_y_tolerance))
            page.close()
    return lines
