"""A page's chars and ruled lines read with pdfium, in the dicts pdfplumber builds from pdfminer.

pdfminer interprets content streams in pure Python and was three quarters of the extraction time;
pdfium does the same in C. pdfplumber's table finder and text grouping then run unchanged on these
objects. Boxes follow pdfminer's convention (a char is `size` high, its bottom at the font's descent
below the baseline), so tolerances tuned on pdfminer output still hold.
"""

import ctypes
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
# Geometry is float32 inside pdfium; rounding keeps coordinates as printed in the file (pdfminer's).
_DIGITS = 4
_SCALE = 10.0**_DIGITS


def _round(value: float) -> float:
    """round(value, 4), three times faster (it is applied to every coordinate of every char).

    An integer divided by 10⁴ is the double nearest that decimal, as round() returns; the integer is the one
    round() picks unless value × 10⁴ falls within float error of a half (or is 0, whose sign round() keeps).
    """
    scaled = value * _SCALE
    whole = round(scaled)
    return whole / _SCALE if whole and abs(scaled - whole) < 0.4999 else round(value, _DIGITS)


def matrix_multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n, in PDF's row-vector convention."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _returning_address(function, *argtypes):
    """The pdfium function returning its pointer result as an int: chars are grouped by their text object and
    font, and comparing the binding's pointer results needs a ctypes.cast per char (a fifth of reading them)."""
    return ctypes.CFUNCTYPE(ctypes.c_void_p, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_text_object_address = _returning_address(pdfium_c.FPDFText_GetTextObject, pdfium_c.FPDF_TEXTPAGE, ctypes.c_int)
_font_address = _returning_address(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p)


class _TextObjectCache:
    """Font name, effective size, descent and orientation per pdfium text object (shared by its chars); the
    name and descent per font and size (shared by many objects: a producer may set each word apart)."""

    def __init__(self, textpage):
        self._textpage = textpage
        self._fonts: dict[tuple[int, float], tuple[str, float]] = {}
        self._name = ctypes.create_string_buffer(256)
        self._matrix = pdfium_c.FS_MATRIX()
        self._descent = ctypes.c_float()

    def read(self, index: int, address: int) -> tuple[str, float, float, bool]:
        """The properties of the text object at `address`, printing char `index`."""
        font_size = pdfium_c.FPDFText_GetFontSize(self._textpage, index)
        pdfium_c.FPDFText_GetMatrix(self._textpage, index, self._matrix)
        key = (_font_address(address), font_size)
        if key not in self._fonts:
            self._fonts[key] = self._font(index, font_size)
        name, descent = self._fonts[key]
        m = self._matrix
        scale = (m.c * m.c + m.d * m.d) ** 0.5
        upright = abs(m.b) < 1e-6 and abs(m.c) < 1e-6 and m.a * m.d > 0
        return name, _round(font_size * scale), descent * scale, upright

    def _font(self, index: int, font_size: float) -> tuple[str, float]:
        font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(self._textpage, index))
        pdfium_c.FPDFFont_GetBaseFontName(font, self._name, len(self._name))
        pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(font_size), self._descent)
        return self._name.value.decode("utf-8", "replace"), self._descent.value


def textpage_to_chars(textpage, height: float, page_number: int, doctop: float) -> list[dict]:
    """Every printed char, plus the spaces a content stream prints (pdfium reports those as generated)."""
    box, x, y = pdfium_c.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    objects = _TextObjectCache(textpage)
    seen: dict[int, tuple[str, float, float, bool]] = {}
    chars: list[dict] = []
    pending_space = False
    get_unicode, loose_box, origin = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharOrigin
    for index in range(pdfium_c.FPDFText_CountChars(textpage)):
        text = chr(get_unicode(textpage, index))
        address = _text_object_address(textpage, index)
        if not address:  # generated: a line break, or a space pdfium places between words
            pending_space = text == " " and bool(chars)
            continue
        if address not in seen:
            seen[address] = objects.read(index, address)
        fontname, size, descent, upright = seen[address]
        loose_box(textpage, index, box)
        origin(textpage, index, x, y)
        bottom = _round(height - y.value - descent)
        top = _round(bottom - size)
        x0, x1 = _round(box.left), _round(box.right)
        if pending_space and chars[-1]["bottom"] == bottom and chars[-1]["x1"] <= x0:
            chars.append({**chars[-1], "text": " ", "x0": chars[-1]["x1"], "x1": x0, "width": x0 - chars[-1]["x1"]})
        pending_space = False
        chars.append({
            "object_type": "char", "page_number": page_number, "text": text, "fontname": fontname, "size": size,
            "upright": upright, "x0": x0, "x1": x1, "width": x1 - x0, "top": top, "bottom": bottom, "height": size,
            "y0": height - bottom, "y1": height - top, "doctop": doctop + top,
        })
    return chars


def _segment_points(path_object, matrix: Matrix):
    """(kind, x, y, closes) of each path segment, in page space."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    for index in range(pdfium_c.FPDFPath_CountSegments(path_object)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path_object, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        yield (pdfium_c.FPDFPathSegment_GetType(segment), a * x.value + c * y.value + e,
               b * x.value + d * y.value + f, bool(pdfium_c.FPDFPathSegment_GetClose(segment)))


def path_to_segments(path_object, matrix: Matrix) -> list[tuple[float, float, float, float]]:
    """The straight segments of a path; curves are skipped (a ruled table is drawn with straight lines)."""
    segments, start, previous = [], None, None
    for kind, x, y, closes in _segment_points(path_object, matrix):
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = previous = (x, y)
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and previous:
            segments.append((*previous, x, y))
        previous = (x, y)
        if closes and start and previous != start:
            segments.append((*previous, *start))
            previous = start
    return segments


def segment_to_line(segment: tuple[float, float, float, float], height: float, page_number: int, doctop: float) -> dict | None:
    """A horizontal or vertical segment as a pdfplumber line; anything slanted is no table rule."""
    x0, y0, x1, y1 = map(_round, segment)
    if x0 != x1 and y0 != y1:
        return None
    left, right, low, high = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    top = _round(height - high)
    return {
        "object_type": "line", "page_number": page_number, "x0": left, "x1": right, "y0": low, "y1": high,
        "top": top, "bottom": _round(height - low), "doctop": doctop + top, "width": _round(right - left),
        "height": _round(high - low), "pts": [(x0, _round(height - y0)), (x1, _round(height - y1))],
    }


def page_to_rules(page, height: float, page_number: int, doctop: float) -> list[dict]:
    """The straight lines drawn on a page, form XObjects included."""
    matrix = pdfium_c.FS_MATRIX()
    lines = []

    def walk(objects, parent: Matrix):
        for obj in objects:
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
                continue
            pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
            own = matrix_multiply((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), parent)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                walk((pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))), own)
                continue
            for segment in path_to_segments(obj, own):
                if line := segment_to_line(segment, height, page_number, doctop):
                    lines.append(line)

    walk((pdfium_c.FPDFPage_GetObject(page, i) for i in range(pdfium_c.FPDFPage_CountObjects(page))), _IDENTITY)
    return lines


def plumber_page_is_plain(page) -> bool:
    """Unrotated with the origin at the corner: the only pages whose coordinates pdfium and pdfminer share."""
    return page.rotation == 0 and page.mediabox[0] == 0 and page.mediabox[1] == 0 and page.bbox == page.mediabox


@contextmanager
def pdfium_reader(path: Path):
    """fill(plumber_page) gives the page pdfium's objects so pdfminer never parses it; no-op if pdfium cannot open the file."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        yield lambda page: None
        return

    def fill(plumber_page) -> None:
        if not plumber_page_is_plain(plumber_page):
            return
        page = document[plumber_page.page_number - 1]
        textpage = page.get_textpage()
        try:
            args = (plumber_page.height, plumber_page.page_number, plumber_page.initial_doctop)
            plumber_page._objects = {"char": textpage_to_chars(textpage.raw, *args), "line": page_to_rules(page.raw, *args)}
        finally:
            textpage.close()
            page.close()

    try:
        yield fill
    finally:
        document.close()


def page_upright_share(page) -> float:
    """Share of the page's chars set upright in the page's own space (before any /Rotate the viewer applies)."""
    textpage = page.get_textpage()
    try:
        matrix, upright, count = pdfium_c.FS_MATRIX(), 0, pdfium_c.FPDFText_CountChars(textpage.raw)
        for index in range(count):
            if pdfium_c.FPDFText_GetMatrix(textpage.raw, index, matrix):
                upright += abs(matrix.b) < 1e-6 and abs(matrix.c) < 1e-6 and matrix.a * matrix.d > 0
        return upright / count if count else 0.0
    finally:
        textpage.close()


@contextmanager
def upright_pages(path: Path, rotated: list[int]):
    """The PDF to read: itself, or a copy without the /Rotate of pages whose text is already upright.

    A producer sets /Rotate on a page to turn it for the viewer; when the page's text is upright in its own
    space (a landscape table printed on a portrait page, turned once more), reading it turned would give
    sideways text, and no table. Pages whose text needs the turn keep it. Only the pages in `rotated` (indices
    of those that set a /Rotate) are looked at: pdfium parses a page's content to load it.
    """
    if not rotated:
        yield path
        return
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        yield path
        return
    try:
        turned = [i for i in rotated if document[i].get_rotation() and page_upright_share(document[i]) > 0.5]
        if not turned:
            yield path
            return
        for index in turned:
            document[index].set_rotation(0)
        with tempfile.TemporaryDirectory(prefix="budget-upright-") as folder:
            copy = Path(folder) / path.name
            document.save(str(copy))
            yield copy
    finally:
        document.close()
