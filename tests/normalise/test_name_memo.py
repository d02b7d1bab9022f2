"""The memoised, word-by-word keys equal the whole-text functions on every kind of name."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shomar.demo import render
from shomar.demo.people import generate_people
from shomar.normalise import name_key, skeleton_key, split_name
from shomar.normalise.name_memo import NameMemo

# Each one exercises a whole-text rule: script, placeholders, initials, compounds across words,
# honorifics, joiners at word edges, digits, Arabic letters, characters that normalise to spaces.
EDGE_CASES = [
    "", " ", "ناشناس", "Unknown", "n/a", "بی نام", "بی‌نام", "UNIDENTIFIED", "م. ر.", "M. R.", "m r",
    "a.b.c", "الف. ب", "الف", "ع", "Ali", "A", "علي رضايي", "كاظم", "محمد رضا حسینی", "محمد\u200cرضا",
    "علی \u200c اکبر", "\u200cعلی", "علی\u200c", "علی\u200d\u200cاکبر", "عبد الله", "Abdol Reza", "abdul",
    "Mohammad Reza Hosseini", "Hassan Zadeh", "نیک پور", "فتح الله", "سید حسین موسوی", "سیدحسین",
    "سیدحسین موسوی", "Seyed Ali", "Haj Agha", "حاج آقا", "Dr. Ali", "شیخ", "سید", "Ali علی",
    "علی Ali", "Ali (Ribaz) Salehivand", "O'Brien", "Ja'fari", "Ja’fari", "Hasan-Zadeh", "۱۲۳ علی",
    "Ali 123", "١٢", "ـــ", "\u064e", "a \u0301 b", "´", "Ali´s", "\ufdfa", "ﷲ", "ﻋﻠﻰ", "Zoë Çelik",
    "ΑΣ", "\u00a0Ali\u2003Reza\u3000", "\ufeffAli", "Ali\ufeff", "\u200b", "Mohammadreza", "Reza Ali",
    "محمود رضا", "امیر حسین", "حسین علی", "علی علی", "بب ب", "Abbas Sabbagh", "rr rr",
]


def assert_same_keys(memo: NameMemo, text: str) -> None:
    keys, parts = memo.keys(text), split_name(text)
    assert (keys.tokens, keys.honorifics, keys.is_placeholder) == (parts.tokens, parts.honorifics,
                                                                   parts.is_placeholder), text
    assert keys.key == name_key(text), text
    assert keys.skeleton == skeleton_key(text), text


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_keep_their_whole_text_keys(text: str) -> None:
    memo = NameMemo()
    assert_same_keys(memo, text)
    assert_same_keys(memo, text)  # and again, from the memo


def _demo_names(n_people: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    names = []
    for person in generate_people(n_people, rng):
        given_fa, family_fa = render.full_persian(person, rng)
        latin = f"{render.latin(person.given, rng)} {render.latin(person.family, rng)}"
        names += [f"{given_fa} {family_fa}", f"{given_fa} {render.typo(family_fa, rng)}", latin,
                  render.typo(latin, rng), latin.upper(), given_fa, family_fa]
    return names


def test_demo_names_keep_their_whole_text_keys() -> None:
    memo = NameMemo()
    for text in _demo_names(1500, seed=11):
        assert_same_keys(memo, text)


PIECES = st.sampled_from([
    "علی", "رضا", "محمد", "حسین", "زاده", "پور", "سید", "عبد", "الله", "ناشناس", "بی", "نام", "ali",
    "Reza", "abdol", "zadeh", "seyed", "unknown", "M.", "م.", "الف", "a", "x", "O'", "-", ".", ",",
    "ي", "ك", "ة", "\u064e", "\u0640", "\u200c", "\u200d", "\u00ad", "\ufeff", "´", "\ufdfa", "۱", "٢",
    "Ç", "ë", "\u0301", "ß", "ﻋ", " ", "  ", "\t", "\u00a0", "\u2003", "(", ")",
])


@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, max_size=8).map("".join))
def test_random_texts_keep_their_whole_text_keys(text: str) -> None:
    assert_same_keys(NameMemo(), text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_any_text_keeps_its_whole_text_keys(text: str) -> None:
    assert_same_keys(NameMemo(), text)
