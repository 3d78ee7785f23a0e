"""One PDF in, one DocumentExtract out (or a RejectedDocument saying why)."""

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from pipelines.extraction.facts import PLACEHOLDER, DocumentFacts, FactPatterns, pages_to_facts
from pipelines.extraction.narrative import NarrativeFigure, prose_to_figures
from pipelines.extraction.pages import PageContent, TextLine, pdf_to_lines, pdf_to_pages
from pipelines.extraction.profiles import LayoutProfile, load_profiles
from pipelines.extraction.settings import ExtractionSettings
from pipelines.extraction.tables import Table, pages_to_tables
from pipelines.extraction.vocabulary import TableRule, label_to_number, line_to_title, text_to_flat, title_to_rule

_MIN_TEXT_CHARS_PER_PAGE = 20
_PDF_LIBRARIES = {"pdfminer", "pdfplumber", "pypdfium2", "pypdfium2_raw"}


class RejectedDocument(Exception):
    """The file cannot be loaded; the message says why in words a person can act on."""


@dataclass(frozen=True)
class Finding:
    """Something odd about the document as a whole, named by the check it fails and the pages to look at."""

    check_id: str
    subject: str
    pages: str = ""


@dataclass
class DocumentExtract:
    """Everything read from one disclosure."""

    document_id: str
    page_count: int
    layout: str
    fiscal_year: int | None
    document_type: str | None
    scope: str | None
    entity_name: str | None
    region: str | None
    tables: list[Table]
    figures: list[NarrativeFigure]
    # The profile's expected tables less those the document shows it does not print (`not_printed`).
    expected_tables: int
    seconds: float
    # Where each fact was read (cover, caption, table titles, file name …).
    fact_sources: str = ""
    # "tables_and_explanation", "tables" (a tables-only publication) or "explanation" (no table at all).
    content: str = "tables_and_explanation"
    findings: list[Finding] = field(default_factory=list)
    tables_found: int = 0
    # Expected tables ('|' between alternatives) the document leaves out of its numbered tables (tables_not_printed).
    not_printed: tuple[str, ...] = ()

    def table(self, key: str) -> Table | None:
        """The standard table with this key, if the document prints it (its first printing)."""
        return next((t for t in self.tables if t.spec.table_key == key and t.occurrence == 1), None)


def bytes_to_document_id(data: bytes) -> str:
    """Documents are identified by their content, not their file name."""
    return hashlib.sha256(data).hexdigest()


def _title_reader(profiles: list[LayoutProfile]):
    # The table vocabulary is national: every profile shares its rules and labels.
    profile = profiles[0]
    rules = [s.rule for s in profile.tables]

    def title_rule(line: TextLine) -> TableRule | None:
        words = line_to_title(line.text, profile.labels)
        return (title_to_rule(words, rules) if words else None) or title_to_rule(text_to_flat(line.text), rules, match="header")

    return title_rule


def _title_detector(profiles: list[LayoutProfile]):
    title_rule = _title_reader(profiles)
    return lambda line: title_rule(line) is not None


def title_lines(profiles: list[LayoutProfile], pages: list[PageContent]) -> list[str]:
    """Every line that titles a canonical table (contents entries included): what the titles say of the document."""
    is_title = _title_detector(profiles)
    return [text_to_flat(line.text) for page in pages for line in page.lines if is_title(line)]


def choose_profile(profiles: list[LayoutProfile], pages: list[PageContent], document_type: str | None) -> LayoutProfile:
    """The family whose mark the document prints, else the national profile of its document type."""
    text = "\n".join(text_to_flat(line.text) for page in pages for line in page.lines)
    detected = next((p for p in profiles if p.detect_pattern and p.detect_pattern.search(text)), None)
    if detected:
        return detected
    national = [p for p in profiles if p.detect_pattern is None]
    return next((p for p in national if p.document_type == document_type), national[0])


def with_line_tolerance(path: Path, pages: list[PageContent], settings: ExtractionSettings) -> list[PageContent]:
    """The same pages with their text lines at another tolerance (grids are unaffected): only the pages whose
    lines it groups otherwise are read again."""
    tolerance = settings.text_y_tolerance
    again = [page.number for page in pages if not page.tolerance_range[0] <= tolerance < page.tolerance_range[1]]
    lines = dict(zip(again, pdf_to_lines(path, settings, again))) if again else {}
    return [replace(page, lines=lines[page.number]) if page.number in lines else page for page in pages]


def narrative_pages(pages: list[PageContent], tables: list[Table]) -> list[PageContent]:
    """Pages that print no standard table: the prose may come before or after the tables."""
    table_pages = {page for table in tables for page in [table.title_page, *table.pages]}
    return [page for page in pages if page.number not in table_pages]


def tables_to_document_unit(tables: list[Table]) -> None:
    """A table that prints no unit is in the unit the document's other tables print (most of them)."""
    units = Counter(t.unit_factor for t in tables if t.unit_factor is not None)
    if units:
        unit = units.most_common(1)[0][0]
        for table in tables:
            if table.unit_factor is None and table.columns:
                table.unit_factor, table.unit_source = unit, "document"


def expected_found(profile: LayoutProfile, tables: list[Table]) -> int:
    """How many of the family's expected tables (one of each group) the document prints."""
    keys = {t.spec.table_key for t in tables}
    return sum(1 for group in profile.expected_tables if keys & set(group))


def named_tables(profiles: list[LayoutProfile], pages: list[PageContent]) -> set[str]:
    """Canonical tables some line of the document names: a title, a contents entry."""
    title_rule = _title_reader(profiles)
    return {rule.table_key for page in pages for line in page.lines if (rule := title_rule(line))}


def tables_not_printed(profile: LayoutProfile, tables: list[Table], named: set[str]) -> tuple[str, ...]:
    """The expected tables the document shows it does not print.

    A regional template may leave out a table of the Ministry's set (Chongqing's 表一 … 表十二 and Jiangsu's 2019
    公开01表 … 公开12表 have no 国有资本经营预算支出表). Only the document can say so: when every table it prints is
    labelled and their numbers run 1 … N without a gap, no table went unread between them, and an expected table
    that no line names (title or contents entry) is one it leaves out. Unlabelled tables, or a gap, say nothing.
    """
    titled = [t for t in tables if t.spec.rule.match == "title"]
    numbers = {label_to_number(t.label) if t.label else None for t in titled}
    if not titled or None in numbers or numbers != set(range(1, max(numbers) + 1)):
        return ()
    keys = {t.spec.table_key for t in tables} | named
    return tuple("|".join(group) for group in profile.expected_tables if not keys & set(group))


def document_findings(facts: DocumentFacts, tables: list[Table], pages: list[PageContent]) -> list[Finding]:
    """What makes the whole document doubtful: a fact it does not print, two disclosures in one file, a table
    page printed on its side."""
    findings = [
        Finding("document_facts_printed", f"the PDF prints no {fact.replace('_', ' ')}; its figures cannot be compared with other documents")
        for fact in facts.missing
    ]
    findings += [
        Finding("facts_from_file_name", f"the {fact.replace('_', ' ')} is read from the file name only")
        for fact, source in facts.sources.items() if source == "file name"
    ]
    again = [t for t in tables if t.occurrence > 1 and not t.spec.rule.repeats]
    if len({t.spec.table_key for t in again}) >= 3:
        first = ",".join(str(t.title_page) for t in tables if t.occurrence == 1 and not t.spec.rule.repeats)
        findings.append(Finding(
            "one_disclosure_per_file",
            f"the PDF prints {len(again)} standard tables a second time (from page {min(t.title_page for t in again)}): it looks like two "
            "disclosures in one file; only the first is read",
            first,
        ))
    sideways = [p.number for p in pages if p.rotated_chars > max(20, len("".join(line.text for line in p.lines)) // 2)]
    if sideways:
        findings.append(Finding(
            "pages_read",
            f"page(s) {', '.join(map(str, sideways))} print their text turned on its side; what they print is not read",
            ",".join(map(str, sideways)),
        ))
    return findings


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
    is_title = _title_detector(profiles)

    def wants_grids(lines: list[TextLine], previous_had_grids: bool) -> bool:
        return previous_had_grids or any(is_title(line) for line in lines)

    try:
        page_count, pages = pdf_to_pages(Path(path), settings, wants_grids)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise RejectedDocument("the PDF is encrypted with a password; publish or supply an unprotected copy") from exc
        raise RejectedDocument(f"the PDF cannot be parsed ({type(cause).__name__}: {cause}); it may be truncated or damaged") from exc
    except Exception as exc:
        # A PDF library failing on the file's bytes is a damaged file; anything else is ours, and reported as such.
        if type(exc).__module__.split(".")[0] not in _PDF_LIBRARIES:
            raise
        raise RejectedDocument(f"the PDF is damaged and cannot be read ({type(exc).__name__}: {exc}); publish or supply an intact copy") from exc
    text_chars = sum(len(line.text) for page in pages for line in page.lines)
    if text_chars < _MIN_TEXT_CHARS_PER_PAGE * max(page_count, 1):
        raise RejectedDocument(
            f"the PDF has almost no text layer ({text_chars} characters on {page_count} pages); it looks scanned and needs OCR first"
        )
    facts = pages_to_facts(pages, title_lines(profiles, pages), Path(path).name, FactPatterns.load(settings.seed_dir))
    if facts.entity_name and PLACEHOLDER.search(facts.entity_name):
        raise RejectedDocument(f"an unfilled template: the entity name {facts.entity_name!r} is a placeholder; supply the published disclosure")
    profile = choose_profile(profiles, pages, facts.document_type)
    if profile.text_y_tolerance != settings.text_y_tolerance:
        pages = with_line_tolerance(Path(path), pages, replace(settings, text_y_tolerance=profile.text_y_tolerance))
    tables = pages_to_tables(profile, pages, facts.fiscal_year)
    tables_to_document_unit(tables)
    found = len({t.spec.table_key for t in tables})
    says_disclosure = facts.sources.get("document_type") in ("cover", "headings")
    if found < settings.min_titles_for_layout and not says_disclosure:
        raise RejectedDocument(
            f"it does not look like a 部门预算/决算 disclosure: {found} standard table(s) found and no title naming a 部门预算/单位预算/部门决算"
        )
    figures = prose_to_figures(profile, narrative_pages(pages, tables))
    not_printed = tables_not_printed(profile, tables, named_tables(profiles, pages))
    content = "explanation" if not tables else "tables" if facts.sources.get("document_type") != "cover" and not figures else "tables_and_explanation"
    return DocumentExtract(
        document_id=bytes_to_document_id(data),
        page_count=page_count,
        layout=profile.layout,
        tables=tables,
        figures=figures,
        expected_tables=len(profile.expected_tables) - len(not_printed),
        seconds=time.perf_counter() - started,
        fiscal_year=facts.fiscal_year,
        document_type=facts.document_type,
        scope=facts.scope,
        entity_name=facts.entity_name,
        region=facts.region,
        fact_sources=facts.sources_text(),
        content=content,
        findings=document_findings(facts, tables, pages),
        tables_found=expected_found(profile, tables),
        not_printed=not_printed,
    )
