"""Names across scripts and spellings: parts, romanisation, matching keys and similarity.

Persian script is romanised token by token: a table of common names (both scripts, with their
usual Latin spellings) gives one canonical Latin form; other tokens go through a letter-by-letter
transliteration. Latin spellings are folded by rules that merge what transliteration varies
(kh/x, gh/q, ou/oo/u, ei/ey/ee, doubled letters, -zadeh/-zade, -pour/-pur) but keep distinct names
apart (vowel classes are kept, so Hasan ≠ Hossein and Kazem ≠ Qasem).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from rapidfuzz.distance import Indel

from shomar.normalise.persian import ZWNJ, is_persian, normalise

HONORIFICS = {
    "سید": "sayyid", "سیده": "sayyida", "seyed": "sayyid", "seyyed": "sayyid", "sayyid": "sayyid",
    "sayed": "sayyid", "seyedeh": "sayyida", "sayyida": "sayyida", "حاج": "haj", "حاجی": "haj",
    "haj": "haj", "haji": "haj", "میر": "mir", "mir": "mir", "شیخ": "sheikh", "sheikh": "sheikh",
    "مشهدی": "mashhadi", "کربلایی": "karbalaei", "دکتر": "dr", "dr": "dr", "آقای": "mr", "خانم": "mrs",
    "mr": "mr", "mrs": "mrs", "ms": "mrs",
}
PLACEHOLDERS = {"unknown", "ناشناس", "نامعلوم", "نامشخص", "n/a", "na", "unidentified", "بی نام"}
_FA_LETTERS = {
    "آ": "a", "ا": "a", "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h",
    "خ": "kh", "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s",
    "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "gh", "ک": "k", "گ": "g",
    "ل": "l", "م": "m", "ن": "n", "و": "v", "ه": "h", "ی": "i", "ء": "",
}


@dataclass(frozen=True)
class NameParts:
    """A name split into matching tokens and honorifics; the original is always kept."""

    original: str
    tokens: tuple[str, ...]
    honorifics: tuple[str, ...]
    is_placeholder: bool


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Normalised spelling (either script, compounds joined) -> canonical Latin."""
    table: dict[str, str] = {}
    for file in ("given_names.csv", "family_names.csv"):
        text = resources.files("shomar.normalise.data").joinpath(file).read_text("utf-8")
        for row in csv.DictReader(text.splitlines()):
            spellings = row["latin"].split("|")
            canonical = fold_latin(spellings[0])
            table.setdefault(_join(normalise(row["persian"])), canonical)
            for spelling in spellings:
                table.setdefault(fold_latin(spelling), canonical)
    return table


def _join(text: str) -> str:
    return text.replace(ZWNJ, "").replace(" ", "")


LATIN_INITIALS = re.compile(r"([a-z](\.|\s|$)\s*){1,3}")
SEPARATORS = re.compile(r"[\s,.\-]+")


def without_apostrophes(text: str) -> str:
    return text.replace("'", "").replace("’", "")


@lru_cache(maxsize=1 << 18)
def split_name(text: str) -> NameParts:
    """Tokens for matching, with honorifics apart; compounds (محمدرضا, علی‌اکبر) stay one token."""
    norm = normalise(text or "")
    if (norm in PLACEHOLDERS or LATIN_INITIALS.fullmatch(norm or "x")
            or _initials(norm) is not None):  # initials only, in either script: «م. ر.», "M. R."
        return NameParts(text, (), (), True)
    raw = [t for t in SEPARATORS.split(without_apostrophes(norm)) if t]
    honorifics = tuple(HONORIFICS[t] for t in raw if t in HONORIFICS)
    tokens = [t for t in raw if t not in HONORIFICS]
    merged = merge_compounds(tokens)
    return NameParts(text, tuple(merged), honorifics, not merged)


# Second parts that never stand alone as a name: a space before them is a spelling of the ZWNJ.
_SUFFIXES = {
    "پور", "زاده", "نژاد", "نیا", "فر", "راد", "منش", "وند", "لو", "زهی", "الله", "اللهی", "آبادی",
    "آباد", "کوب", "کار", "دوست", "بخش", "پناه", "نواز", "خواه", "pour", "pur", "poor", "zadeh",
    "zade", "nejad", "nezhad", "nia", "far", "rad", "manesh", "vand", "lou", "lu", "zehi", "ollah",
    "allah", "ollahi", "allahi", "abadi", "abad", "koub", "kub", "kar", "doust", "dust", "bakhsh",
    "panah", "navaz", "khah",
}
_COMPOUND_SECONDS = {"رضا", "علی", "حسین", "اکبر", "اصغر", "حسن", "مهدی", "reza", "ali", "hossein",
                     "hosein", "akbar", "asghar", "hasan", "mehdi", "mahdi"}


_COMPOUND_FIRSTS = {"عبد", "abdol", "abdul"}


def merge_compounds(tokens: list[str]) -> list[str]:
    """Join what a space or ZWNJ split: suffixes (نیک پور, Hassan Zadeh, فتح الله) always, and
    compound given names (محمد رضا → محمدرضا) when the joined form is a known name."""
    out: list[str] = []
    for token in tokens:
        if out and token in _SUFFIXES and len(out[-1]) > 1:
            out[-1] = out[-1] + token
            continue
        if out and (token in _COMPOUND_SECONDS or out[-1] in _COMPOUND_FIRSTS):
            joined = _join(out[-1] + token)
            key = joined if is_persian(joined) else fold_latin(joined)
            if (key in _table() and len(out) == 1) or out[-1] in _COMPOUND_FIRSTS:
                out[-1] = out[-1] + token
                continue
        out.append(token)
    return out


def may_join_previous(token: str) -> bool:
    """False for a token that ``merge_compounds`` never joins to the token before it."""
    return token in _SUFFIXES or token in _COMPOUND_SECONDS


def may_join_next(token: str) -> bool:
    """False for a token that ``merge_compounds`` never joins to the token after it, unless that
    one may join its previous: tokens none of which may join are returned as they are."""
    return token in _COMPOUND_FIRSTS


_NOT_LATIN = re.compile(r"[^a-z]")
_DOUBLED = re.compile(r"(.)\1+")
_I_PAIRS = re.compile(r"ei|ie|yi|iy")


@lru_cache(maxsize=1 << 16)
def fold_latin(text: str) -> str:
    """Spelling-insensitive Latin form: transliteration variants merged, distinct names kept."""
    t = latin_suffixes(_NOT_LATIN.sub("", normalise(text)))
    for a, b in (("kh", "x"), ("gh", "q"), ("sh", "$"), ("ch", "c"), ("zh", "Z"), ("ph", "f"),
                 ("w", "v"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ey", "ei"), ("ay", "ai")):
        t = t.replace(a, b)
    t = collapse_doubles(t)
    t = _I_PAIRS.sub("i", t).replace("y", "i")
    return t.replace("u", "o")


def latin_suffixes(letters: str) -> str:
    """-zadeh as -zade, -pour and -poor as -pur, on a text of a-z alone (so plain suffix tests
    do; a regex's $ would also match before a final newline)."""
    if letters.endswith("zadeh"):
        letters = letters[:-1]
    if letters.endswith(("pour", "poor")):
        letters = letters[:-4] + "pur"
    return letters


def romanise_token(token: str) -> str:
    """One Persian token to a canonical Latin key (table first, then letter by letter)."""
    joined = _join(token)
    if joined in _table():
        return _table()[joined]
    out = []
    for i, ch in enumerate(joined):
        latin = _FA_LETTERS.get(ch, "")
        if ch == "ه" and i == len(joined) - 1 and i > 0:
            latin = "e"
        elif ch == "و" and 0 < i and joined[i - 1] not in "اآ" and i + 1 < len(joined) and joined[i + 1] != "ا":
            latin = "u"
        elif ch == "ی" and i == 0:
            latin = "y"
        out.append(latin)
    return fold_latin("".join(out))


def romanise(text: str) -> str:
    """Persian script to one canonical Latin spelling (Latin input is folded the same way)."""
    return " ".join(token_key(t) for t in split_name(text).tokens)


@lru_cache(maxsize=1 << 18)
def token_key(token: str) -> str:
    if is_persian(token):
        return romanise_token(token)
    folded = fold_latin(token)
    return _table().get(folded, folded)


@lru_cache(maxsize=1 << 18)
def name_key(text: str) -> str:
    """Equal for the usual spelling variants in either script; token order kept."""
    return " ".join(token_key(t) for t in split_name(text).tokens)


_SKELETON_FA = {
    "آ": "", "ا": "", "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "c", "ح": "h",
    "خ": "x", "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "j", "س": "s", "ش": "$", "ص": "s",
    "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "q", "ف": "f", "ق": "q", "ک": "k", "گ": "g",
    "ل": "l", "م": "m", "ن": "n", "و": "", "ه": "h", "ی": "", "ء": "", "ئ": "",
}


class _DropOthers(dict[int, str]):
    """A ``str.translate`` table that deletes every letter it does not map."""

    def __missing__(self, key: int) -> None:
        return None


_SKELETON_FA_TABLE = _DropOthers({ord(c): s for c, s in _SKELETON_FA.items()})
_INITIAL_FA = {"الف": "a", "ا": "a", "آ": "a", "ع": "a", "ی": "y", "و": "v"}
SIMILAR_NAME_THRESHOLD = 0.9
SKELETON_WEIGHT = 0.7


def _initials(norm: str) -> str | None:
    """"م. س." and "M. S." alike: the initials as Latin letters, or None if not initials only."""
    parts = [p for p in INITIAL_SEPARATORS.split(norm) if p]
    if not parts or not all(is_initial(p) for p in parts):
        return None
    return "#" + "".join(initial_letter(p) for p in parts)


INITIAL_SEPARATORS = re.compile(r"[\s.]+")


def is_initial(part: str) -> bool:
    return len(part) == 1 or part == "الف"


def initial_letter(part: str) -> str:
    """An initial's Latin letter: Persian by its sound (vowel letters as a), Latin vowels as a."""
    if is_persian(part):
        return _INITIAL_FA.get(part, _SKELETON_FA.get(part, ""))
    return "a" if part in "aeiou" else part


def _initial_letter(token: str) -> str | None:
    """A lone letter or «الف» inside a name is an initial: its Latin letter (vowels as a)."""
    core = token.rstrip(".")
    if core == "الف" or (len(core) == 1 and core.isalpha()):
        return initial_letter(core)
    return None


@lru_cache(maxsize=1 << 18)
def skeleton_key(text: str) -> str:
    """Consonant skeleton in one ASCII alphabet for both scripts, spaces removed.

    Short vowels are not written in Persian, so only consonants are compared: Persian letters map
    to Latin consonant classes (ث/س/ص → s, ذ/ز/ض/ظ → z, غ/ق → q, ژ/ج → j), vowel letters and
    ا/و/ی/ع drop; Latin is folded (kh→x, gh→q, sh→$, ch→c) and loses its vowels, y, v and w.
    A word-final h (the silent ه of Fatemeh/فاطمه) drops; doubled letters collapse. Initials-only
    names keep their letters (marked with #) so "M. S." never equals a real name.
    """
    norm = normalise(text or "")
    initials = _initials(norm)
    if initials is not None:
        return initials
    tokens = split_name(text).tokens
    return collapse_doubles("".join(token_skeleton(t, len(tokens) > 1) for t in tokens))


_JOINED_SAYYID = re.compile(r"^سیده?(?=...)")
_LATIN_DROPPED = re.compile(r"[aeiouyvw']")


def collapse_doubles(text: str) -> str:
    # Searching first: expanding the replacement costs more than finding that nothing doubles.
    return _DOUBLED.sub(r"\1", text) if _DOUBLED.search(text) else text


@lru_cache(maxsize=1 << 18)
def token_skeleton(token: str, has_other_tokens: bool) -> str:
    """One token's part of ``skeleton_key``, before doubled letters collapse across tokens."""
    letter = _initial_letter(token)
    if letter is not None:
        return letter
    if is_persian(token):
        token = token.replace(ZWNJ, "")
        if has_other_tokens:
            token = _JOINED_SAYYID.sub("", token)  # سیدحسین: the honorific joined on
        skeleton = token.translate(_SKELETON_FA_TABLE)
    else:
        skeleton = _LATIN_DROPPED.sub("", fold_latin(token).replace("Z", "j"))
    # A skeleton holds ASCII letters and $ only, so a final h is a plain suffix test.
    return skeleton[:-1] if skeleton.endswith("h") else skeleton


def name_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two names in any script: 1.0 for equal keys, symmetric.

    A weighted mean of the consonant skeletons' similarity (weight 0.7: what survives across
    scripts) and the vowel-aware keys' similarity (0.3: what keeps Hasan and Hossein apart), both
    as normalised Indel similarity (1 − insertions and deletions / total length). Names scoring at
    least ``SIMILAR_NAME_THRESHOLD`` are treated as probably the same name.
    """
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb or sorted(ka.split()) == sorted(kb.split()):
        return 1.0
    return pair_similarity(skeleton_key(a), skeleton_key(b), ka.replace(" ", ""), kb.replace(" ", ""))


def pair_similarity(skel_a: str, skel_b: str, key_a: str, key_b: str) -> float:
    """The formula of ``name_similarity`` on precomputed skeletons and space-free keys."""
    return round(SKELETON_WEIGHT * Indel.normalized_similarity(skel_a, skel_b)
                 + (1 - SKELETON_WEIGHT) * Indel.normalized_similarity(key_a, key_b), 6)


def similarity_matrix(names_a: list[str], names_b: list[str], *, workers: int = -1) -> Any:
    """``name_similarity`` for every pair of two lists at once (numpy float32 array).

    Keys and skeletons are computed once per name; the pairwise part runs in rapidfuzz's compiled
    ``cdist`` on all cores, so large matrices cost tens of millions of pairs per second.
    """
    import numpy as np
    from rapidfuzz import process

    keys_a = [name_key(n) for n in names_a]
    keys_b = [name_key(n) for n in names_b]
    skel = process.cdist([skeleton_key(n) for n in names_a], [skeleton_key(n) for n in names_b],
                         scorer=Indel.normalized_similarity, workers=workers, dtype=np.float32)
    keys = process.cdist([k.replace(" ", "") for k in keys_a], [k.replace(" ", "") for k in keys_b],
                         scorer=Indel.normalized_similarity, workers=workers, dtype=np.float32)
    out = SKELETON_WEIGHT * skel + (1 - SKELETON_WEIGHT) * keys
    empty_a = np.array([not k for k in keys_a])
    empty_b = np.array([not k for k in keys_b])
    out[empty_a, :] = 0.0
    out[:, empty_b] = 0.0
    ids: dict[str, int] = {}
    sorted_a = np.array([ids.setdefault(" ".join(sorted(k.split())), len(ids)) for k in keys_a])
    sorted_b = np.array([ids.setdefault(" ".join(sorted(k.split())), len(ids)) for k in keys_b])
    same = (sorted_a[:, None] == sorted_b[None, :]) & ~empty_a[:, None] & ~empty_b[None, :]
    out[same] = 1.0
    return out
