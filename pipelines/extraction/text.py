"""Normalising printed text and amounts the way the warehouse contract stores them."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_ZERO_MARKS = {"", "-", "—", "–", "－", "——", "/"}
_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")
# Full-width brackets are how names are printed in most disclosures; unify on them.
_TO_FULL_WIDTH = str.maketrans({"(": "（", ")": "）"})


def text_to_name(text: str | None) -> str:
    """Printed cell text → name: half-width digits, no line breaks, no spaces around CJK."""
    if not text:
        return ""
    flat = unicodedata.normalize("NFKC", text).replace("\n", "")
    flat = _SPACE_NEAR_CJK.sub("", flat)
    return _SPACES.sub(" ", flat).strip().translate(_TO_FULL_WIDTH)


def text_to_plain(text: str | None) -> str:
    """Printed cell text → one line of text, keeping punctuation as printed."""
    if not text:
        return ""
    flat = text.replace("\n", "")
    return _SPACES.sub(" ", _SPACE_NEAR_CJK.sub("", flat)).strip()


def text_to_amount(text: str | None) -> Decimal | None:
    """Printed amount → Decimal; blank, '-' and '0.00' are zero; None when it is not a number."""
    flat = unicodedata.normalize("NFKC", text or "")
    flat = flat.replace(",", "").replace(" ", "").replace("\n", "")
    if flat in _ZERO_MARKS:
        return Decimal("0")
    if flat.startswith("(") and flat.endswith(")"):
        flat = "-" + flat[1:-1]
    if not _AMOUNT.match(flat):
        return None
    try:
        return Decimal(flat)
    except InvalidOperation:
        return None


def looks_like_printed_amount(text: str | None) -> bool:
    """True for a cell that is unmistakably an amount (has a decimal point or thousands separator)."""
    flat = unicodedata.normalize("NFKC", text or "").strip()
    return bool(re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?|-?\d+\.\d+", flat))


def printed_to_decimals(text: str) -> int:
    """Digits printed after the decimal point ('1,234.50' → 2, '801,000' → 0)."""
    flat = unicodedata.normalize("NFKC", text).strip()
    return len(flat.rsplit(".", 1)[1]) if "." in flat else 0
