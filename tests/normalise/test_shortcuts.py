"""The normaliser's shortcuts give what the steps they skip would give: the ASCII and clean-word
paths of ``word_forms``, the suffix tests of ``fold_latin``, the table of ``token_skeleton``."""

from __future__ import annotations

import re
import unicodedata
from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from shomar.normalise import names
from shomar.normalise.names import _SKELETON_FA, fold_latin, token_skeleton
from shomar.normalise.persian import (
    _DIACRITICS,
    _JOINERS,
    _SPACE,
    _TRANSLATE,
    _ZWNJ_RUNS,
    ZWNJ,
    _fold_latin,
    is_persian,
    word_forms,
)

# Letters the rules treat apart: Persian letters and marks, joiners, Latin with accents, the
# suffixes' letters, whitespace and control characters that str.split and \s know.
LETTERS = st.sampled_from(list("abdehlnoprzuyAZéÉ'.- \t\n\x1c\u00a0") + list("محمدرضاییهکكيسپورزادهث")
                          + ["\u064e", "\u0651", "\u0640", ZWNJ, "\u200d", "\u00ad", "\ufeff", "۱", "٢"])
WORDS = st.lists(LETTERS, max_size=9).map("".join)
SUFFIXED = st.tuples(WORDS, st.sampled_from(["zadeh", "zade", "pour", "poor", "pur", "h", ""])).map("".join)


def _word_forms_in_full(word: str) -> tuple[str, str, bool] | None:
    """``word_forms`` with every step, as it was written before the shortcuts."""
    text = unicodedata.normalize("NFKC", word).translate(_TRANSLATE)
    text = _ZWNJ_RUNS.sub(ZWNJ, _JOINERS.sub(ZWNJ, _DIACRITICS.sub("", text)))
    if text[:1] == ZWNJ or text[-1:] == ZWNJ or _SPACE.search(text):
        return None
    if is_persian(text):
        return text, "", True
    latin = _fold_latin(text)
    return None if _SPACE.search(latin) else (text, latin, False)


@settings(max_examples=400, deadline=None)
@given(WORDS)
@example("Mohammad")
@example("a\x1cb")
@example("\u0645\u064e\u062d\u0645\u0651\u062f")
def test_word_forms_shortcuts_change_nothing(word: str) -> None:
    if word:
        assert word_forms(word) == _word_forms_in_full(word)


def _suffixes_by_regex(letters: str) -> str:
    letters = re.sub(r"(zadeh|zade)$", "zade", letters)
    return re.sub(r"(pour|poor|pur)$", "pur", letters)


def _fold_latin_with_regexes(text: str) -> str:
    """``fold_latin`` with its suffix rules written as the regexes they replaced."""
    with mock.patch.object(names, "latin_suffixes", _suffixes_by_regex):
        return fold_latin.__wrapped__(text)  # type: ignore[attr-defined, no-any-return]


@settings(max_examples=400, deadline=None)
@given(SUFFIXED)
@example("Hassanzadeh\n")
@example("Nikpoor")
def test_fold_latin_suffix_tests_are_the_regexes(text: str) -> None:
    assert fold_latin(text) == _fold_latin_with_regexes(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_SKELETON_FA, "x", "é", "\u064e", "۱"]), min_size=1, max_size=8).map("".join),
       st.booleans())
def test_the_persian_skeleton_table_maps_letter_by_letter(token: str, has_other_tokens: bool) -> None:
    skeleton = token_skeleton.__wrapped__(token, has_other_tokens)
    if is_persian(token) and len(token.rstrip(".")) > 1:  # not an initial
        body = token.replace(ZWNJ, "")
        if has_other_tokens:
            body = re.sub(r"^سیده?(?=...)", "", body)
        expected = "".join(_SKELETON_FA.get(c, "") for c in body)
        assert skeleton == re.sub(r"h$", "", expected)
