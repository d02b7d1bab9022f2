"""Normalisation: script folding, names across scripts, partial dates, places."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shomar.normalise import (
    DateParseError,
    name_key,
    name_similarity,
    normalise,
    parse_date,
    place,
    split_name,
)

SAME = [
    ("محمدرضا حسینی", "محمد رضا حسيني"), ("محمدرضا حسینی", "Mohammadreza Hosseini"),
    ("Mohammadreza Hosseini", "Mohammad Reza Hoseini"), ("Mohammad", "Muhammad"), ("Mohamad", "محمد"),
    ("Hossein", "Hussein"), ("Hosein", "حسین"), ("Rezaei", "Rezaee"), ("Rezayi", "رضایی"),
    ("Ghasemi", "Qasemi"), ("Mousavi", "Moosavi"), ("Jafari", "Ja'fari"), ("جعفری", "Jafari"),
]
DIFFERENT = [("Kazem", "Qasem"), ("Hasan", "Hossein"), ("Ali", "Alireza"), ("Mohammad", "Mahmoud"),
             ("Zahra", "Zohreh")]
# The linkage treats name similarity ≥ 0.9 as "probably the same name" (docs/decisions.md).
THRESHOLD = 0.9


@pytest.mark.parametrize(("a", "b"), SAME)
def test_spelling_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)
    assert name_similarity(a, b) == 1.0


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)
    assert name_similarity(a, b) < THRESHOLD


def test_honorifics_are_kept_apart_from_the_key() -> None:
    parts = split_name("سید علی موسوی")
    assert parts.honorifics == ("sayyid",) and parts.original == "سید علی موسوی"
    assert name_key("سید علی موسوی") == name_key("Ali Mousavi")


@pytest.mark.parametrize("text", ["Unknown", "ناشناس", "M. R.", "A"])
def test_placeholders_are_flagged(text: str) -> None:
    assert split_name(text).is_placeholder


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from(list("ابپتجچحخدرزسشصطعغفقکگلمنوهیيكة ‌ًٌٍَُِّ۰۱۲abcdeghikmnorsuyzéÁ '-")), max_size=30))
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


@settings(max_examples=100)
@given(st.sampled_from([a for pair in SAME + DIFFERENT for a in pair]),
       st.sampled_from([b for pair in SAME + DIFFERENT for b in pair]))
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    s = name_similarity(a, b)
    assert 0.0 <= s <= 1.0 and s == name_similarity(b, a)
    assert name_similarity(a, a) == 1.0


@pytest.mark.parametrize(("text", "start", "end", "precision"), [
    ("1401/06/25", "2022-09-16", "2022-09-16", "day"),
    ("۱۴۰۱/۰۶/۲۵", "2022-09-16", "2022-09-16", "day"),
    ("1401-6-25", "2022-09-16", "2022-09-16", "day"),
    ("25 شهریور 1401", "2022-09-16", "2022-09-16", "day"),
    ("شهریور ۱۴۰۱", "2022-08-23", "2022-09-22", "month"),
    ("1401", "2022-03-21", "2023-03-20", "year"),
    ("2022-09-16", "2022-09-16", "2022-09-16", "day"),
    ("16/09/2022", "2022-09-16", "2022-09-16", "day"),
    ("Sept 16, 2022", "2022-09-16", "2022-09-16", "day"),
    ("16 September 2022", "2022-09-16", "2022-09-16", "day"),
])
def test_dates_as_lists_write_them(text: str, start: str, end: str, precision: str) -> None:
    date = parse_date(text)
    assert (date.start.isoformat(), date.end.isoformat(), date.precision) == (start, end, precision)
    assert date.original == text


def test_year_only_overlaps_a_full_date_inside_it() -> None:
    assert parse_date("1401").overlaps(parse_date("2022-09-16"))
    assert not parse_date("1400").overlaps(parse_date("2022-09-16"))


def test_ambiguous_day_month_order_is_an_error_unless_given() -> None:
    with pytest.raises(DateParseError):
        parse_date("05/09/2022")
    assert parse_date("05/09/2022", day_first=True).start == dt.date(2022, 9, 5)


@pytest.mark.parametrize(("text", "code"), [
    ("Sistan-Baluchistan", "IR-11"), ("سیستان و بلوچستان", "IR-11"), ("Kordestan", "IR-12"),
    ("Kurdistan", "IR-12"), ("Zahedan, Sistan and Baluchestan", "IR-11"), ("Kermanshah", "IR-05"),
    ("Kerman", "IR-08"), ("استان تهران", "IR-23"), ("ساری، مازندران", "IR-02"),
])
def test_places_resolve_in_either_script(text: str, code: str) -> None:
    found = place(text)
    assert found is not None and found.province_code == code


def test_unknown_place_is_none() -> None:
    assert place("Atlantis") is None
