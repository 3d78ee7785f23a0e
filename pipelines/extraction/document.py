"""One PDF in, one DocumentExtract out (or a RejectedDocument saying why)."""

import hashlib
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from pipelines.extraction.narrative import NarrativeFigure, prose_to_figures
from pipelines.extraction.pages import PageContent, TextLine, pdf_to_lines, pdf_to_pages
from pipelines.extraction.profiles import LayoutProfile, load_profiles
from pipelines.extraction.settings import ExtractionSettings
from pipelines.extraction.tables import Table, pages_to_tables
from pipelines.extraction.text import text_to_name

_MIN_TEXT_CHARS_PER_PAGE = 20


class RejectedDocument(Exception):
    """The file cannot be loaded; the message says why in words a person can act on."""


@dataclass
class DocumentExtract:
    """Everything read from one disclosure."""

    document_id: str
    page_count: int
    layout: str
    fiscal_year: int
    document_type: str
    scope: str
    entity_name: str
    region: str
    tables: list[Table]
    figures: list[NarrativeFigure]
    expected_tables: int
    seconds: float

    def table(self, key: str) -> Table | None:
        """The standard table with this key, if the document prints it."""
        return next((t for t in self.tables if t.spec.table_key == key), None)


def bytes_to_document_id(data: bytes) -> str:
    """Documents are identified by their content, not their file name."""
    return hashlib.sha256(data).hexdigest()


def _title_lines(profiles: list[LayoutProfile]):
    patterns = [spec.title_pattern for profile in profiles for spec in profile.tables]

    def is_title(line: TextLine) -> bool:
        flat = text_to_name(line.text)
        return any(p.search(flat) for p in patterns)

    return is_title


def choose_profile(profiles: list[LayoutProfile], pages: list[PageContent]) -> tuple[LayoutProfile, int]:
    """The profile whose table titles the document prints most of."""
    lines = [text_to_name(line.text) for page in pages for line in page.lines]

    def score(profile: LayoutProfile) -> int:
        return sum(1 for spec in profile.tables if any(spec.title_pattern.search(line) for line in lines))

    best = max(profiles, key=score)
    return best, score(best)


# Templates name their entity XX局, ××单位, ＊＊部门 or 某某局 until someone fills them in.
_PLACEHOLDER = re.compile(r"[XxＸｘ×＊*]{2,}|某某|〇〇")


def _metadata(profile: LayoutProfile, pages: list[PageContent]) -> dict:
    # Lines keep their breaks so that a pattern can stop an entity name at the end of its line.
    cover = "\n".join(line.text for page in pages[:2] for line in page.lines).replace(" ", "")
    match = profile.title_pattern.search(cover)
    if not match:
        raise RejectedDocument("no title line with a year and 部门预算/部门决算 on the first pages")
    entity = text_to_name(match.groupdict().get("entity") or "")
    if profile.entity_pattern and (found := profile.entity_pattern.search(cover)):
        entity = text_to_name(found.group("entity"))
    if _PLACEHOLDER.search(entity):
        raise RejectedDocument(f"an unfilled template: the entity name {entity!r} is a placeholder; supply the published disclosure")
    kind = match.group("kind")
    # The title names the issuing government where it prints one; else it prefixes the entity name.
    in_entity = profile.region_pattern.search(entity)
    region = match.groupdict().get("region") or (in_entity.group("region") if in_entity else "")
    return {
        "fiscal_year": int(match.group("year")),
        "document_type": "final_account" if "决算" in kind else "budget",
        "scope": "unit" if kind.startswith("单位") or "本级" in entity else "department",
        "entity_name": entity,
        "region": text_to_name(region),
    }


def with_line_tolerance(path: Path, pages: list[PageContent], settings: ExtractionSettings) -> list[PageContent]:
    """The same pages with their text lines re-read at another tolerance (grids are unaffected)."""
    lines = pdf_to_lines(path, settings, len(pages))
    return [replace(page, lines=page_lines) for page, page_lines in zip(pages, lines)]


def narrative_pages(pages: list[PageContent], tables: list[Table]) -> list[PageContent]:
    """Pages that print no standard table: the prose may come before or after the tables."""
    table_pages = {page for table in tables for page in [table.title_page, *table.pages]}
    return [page for page in pages if page.number not in table_pages]


def extract_document(
    path: Path, settings: ExtractionSettings | None = None, profiles: list[LayoutProfile] | None = None
) -> DocumentExtract:
    """Read one budget disclosure PDF into tables, narrative figures and metadata."""
    started = time.perf_counter()
    settings = settings or ExtractionSettings()
    profiles = profiles if profiles is not None else load_profiles(settings.seed_dir)
    data = Path(path).read_bytes()
    if not data:
        raise RejectedDocument("the file is empty (0 bytes)")
    if not data.startswith(b"%PDF"):
        raise RejectedDocument("the file is not a PDF (it does not start with %PDF)")
    is_title = _title_lines(profiles)

    def wants_grids(lines: list[TextLine], previous_had_grids: bool) -> bool:
        return previous_had_grids or any(is_title(line) for line in lines)

    try:
        page_count, pages = pdf_to_pages(Path(path), settings, wants_grids)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise RejectedDocument("the PDF is encrypted with a password; publish or supply an unprotected copy") from exc
        raise RejectedDocument(f"the PDF cannot be parsed ({type(cause).__name__}: {cause}); it may be truncated or damaged") from exc
    except PDFSyntaxError as exc:
        raise RejectedDocument(f"the PDF cannot be parsed ({exc}); it may be truncated or damaged") from exc
    text_chars = sum(len(line.text) for page in pages for line in page.lines)
    if text_chars < _MIN_TEXT_CHARS_PER_PAGE * max(page_count, 1):
        raise RejectedDocument(
            f"the PDF has almost no text layer ({text_chars} characters on {page_count} pages); it looks scanned and needs OCR first"
        )
    profile, found = choose_profile(profiles, pages)
    if found < settings.min_titles_for_layout:
        raise RejectedDocument(
            f"no layout profile matches: at most {found} standard table titles found; it does not look like a 部门预算/决算 disclosure"
        )
    if profile.text_y_tolerance != settings.text_y_tolerance:
        pages = with_line_tolerance(Path(path), pages, replace(settings, text_y_tolerance=profile.text_y_tolerance))
    tables = pages_to_tables(profile, pages)
    return DocumentExtract(
        document_id=bytes_to_document_id(data),
        page_count=page_count,
        layout=profile.layout,
        tables=tables,
        figures=prose_to_figures(profile, narrative_pages(pages, tables)),
        expected_tables=len({spec.table_no for spec in profile.tables}),
        seconds=time.perf_counter() - started,
        **_metadata(profile, pages),
    )
