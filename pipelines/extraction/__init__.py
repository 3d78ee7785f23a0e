"""Budget-disclosure extraction with pdfplumber: PDF bytes in, typed records out. No Dagster here."""

from pipelines.extraction.document import RejectedDocument, extract_document
from pipelines.extraction.profiles import load_profiles
from pipelines.extraction.settings import ExtractionSettings

__all__ = ["ExtractionSettings", "RejectedDocument", "extract_document", "load_profiles"]
