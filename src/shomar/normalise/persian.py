"""Script-level normalisation of Persian and Latin text.

One canonical form for matching: Arabic letter variants folded to Persian/base letters, every digit
to ASCII, diacritics and tatweel removed, ZWNJ kept as the single joiner inside compounds, and
whitespace collapsed. Latin text is case-folded with accents stripped. ``normalise`` is idempotent.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ZWNJ = "\u200c"

_LETTER_MAP = {
    "\u064a": "\u06cc",  # ARABIC YEH -> FARSI YEH
    "\u0649": "\u06cc",  # ALEF MAKSURA -> FARSI YEH
    "\u06d2": "\u06cc",  # YEH BARREE
    "\u0643": "\u06a9",  # ARABIC KAF -> KEHEH
    "\u0629": "\u0647",  # TEH MARBUTA -> HEH
    "\u06c0": "\u0647",  # HEH WITH YEH ABOVE -> HEH
    "\u06d5": "\u0647",  # AE -> HEH
    "\u0624": "\u0648",  # WAW WITH HAMZA -> WAW
    "\u0625": "\u0627",  # ALEF WITH HAMZA BELOW -> ALEF
    "\u0623": "\u0627",  # ALEF WITH HAMZA ABOVE -> ALEF
    "\u0671": "\u0627",  # ALEF WASLA -> ALEF
    "\u0672": "\u0627",
    "\u0673": "\u0627",
    "\u0626": "\u06cc",  # YEH WITH HAMZA -> YEH
}
_DIGITS = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})
_TRANSLATE = {ord(k): v for k, v in _LETTER_MAP.items()} | _DIGITS

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks; tatweel.
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Joiner variants that mean "same word": ZWNJ, ZWJ, soft hyphen, zero-width space, BOM.
_JOINERS = re.compile("[\u200c\u200d\u00ad\u200b\ufeff]+")
_SPACES = re.compile(r"\s+")
ARABIC_SCRIPT = "[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]"
"""A regular expression matching any Arabic-script letter (what ``is_persian`` looks for)."""
_ARABIC_RANGE = re.compile(ARABIC_SCRIPT)


def to_ascii_digits(text: str) -> str:
    """Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII; nothing else changes."""
    return text.translate(_DIGITS)


def is_persian(text: str) -> bool:
    """True when the text holds any Arabic-script letter."""
    return bool(_ARABIC_RANGE.search(text))


# Pure and called for every token of every record: memoised (names repeat across records).
@lru_cache(maxsize=1 << 18)
def normalise(text: str) -> str:
    """The canonical matching form of a name or short text, in its own script."""
    if not text:
        return ""
    text = str(text)
    if text.isascii():  # what every step below leaves of ASCII: lower case, single spaces
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TRANSLATE)
    text = _DIACRITICS.sub("", text)
    text = _JOINERS.sub(ZWNJ, text)
    # A joiner next to a space or at a word edge is noise.
    text = _SPACED_ZWNJ.sub(ZWNJ, text)
    text = _ZWNJ_RUNS.sub(ZWNJ, text)
    text = _EDGE_ZWNJ.sub(r"\1\2", text)
    text = _SPACES.sub(" ", text).strip()
    if not is_persian(text):
        text = _fold_latin(text)
    return text


_SPACED_ZWNJ = re.compile(rf"\s*{ZWNJ}\s*")
_ZWNJ_RUNS = re.compile(f"{ZWNJ}+")
_EDGE_ZWNJ = re.compile(rf"(^|\s){ZWNJ}+|{ZWNJ}+(\s|$)")


def word_forms(word: str) -> tuple[str, str, bool] | None:
    """``normalise`` of one piece of a text between whitespace: (its form in a text holding Persian
    letters, its form in a Latin text — "" if it holds a Persian letter itself —, whether it does).

    ``normalise(text)`` is the pieces' forms joined by single spaces, empty ones left out — the
    first forms when any piece holds a Persian letter, else the second: every other step works
    letter by letter or stops at whitespace. None for a piece that would reach across its spaces
    (it normalises to a space, as «´» does, or to a joiner at its edge, which the space absorbs).
    """
    if word.isascii():  # what every step below leaves of ASCII: the word, and its lower case
        return None if _SPACE.search(word) else (word, word.lower(), False)
    text = unicodedata.normalize("NFKC", word).translate(_TRANSLATE)
    if _MARKS_OR_JOINERS.search(text):
        text = _ZWNJ_RUNS.sub(ZWNJ, _JOINERS.sub(ZWNJ, _DIACRITICS.sub("", text)))
    if text[:1] == ZWNJ or text[-1:] == ZWNJ or _SPACE.search(text):
        return None
    if is_persian(text):  # the whole text holds Persian letters too: never folded as Latin
        return text, "", True
    latin = _fold_latin(text)
    return (None if _SPACE.search(latin) else (text, latin, False))


_SPACE = re.compile(r"\s")
_MARKS_OR_JOINERS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d\u00ad\u200b\ufeff]")


def _fold_latin(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip()
