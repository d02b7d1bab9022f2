"""Invariants of normalisation: script variants, symmetry, and the Jalali calendar over 1300–1450."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shomar.normalise import name_key, name_similarity, parse_date, skeleton_key
from shomar.normalise.dates import gregorian_to_jalali, jalali_to_gregorian

PERSIAN_NAMES = ["محمدرضا حسینی", "علی‌اکبر کریمی", "فاطمه رضایی", "کاظم قاسمی", "یوسف موسوی",
                 "مهدی نیک‌پور", "زهرا عبداللهی", "حسین ملک‌زاده", "سیده مریم کاظمی", "عباس یزدانی"]
ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})
DIACRITICS = ["\u064e", "\u0650", "\u064f", "\u0651"]


@st.composite
def script_variant(draw: st.DrawFn) -> tuple[str, str]:
    """A Persian name and the same name as another keyboard or export would write it."""
    name = draw(st.sampled_from(PERSIAN_NAMES))
    variant = name
    if draw(st.booleans()):
        variant = variant.translate(ARABIC)
    if draw(st.booleans()):
        variant = variant.replace("\u200c", draw(st.sampled_from([" ", "", "\u200c"])))
    if draw(st.booleans()):  # harakat and tatweel that some sources type
        pos = draw(st.integers(1, len(variant) - 1))
        variant = variant[:pos] + draw(st.sampled_from([*DIACRITICS, "\u0640"])) + variant[pos:]
    if draw(st.booleans()):
        variant = f"  {variant} "
    return name, variant


@settings(max_examples=200)
@given(script_variant())
def test_script_variants_share_keys_and_score_one(pair: tuple[str, str]) -> None:
    name, variant = pair
    assert name_key(variant) == name_key(name)
    assert skeleton_key(variant) == skeleton_key(name)
    assert name_similarity(name, variant) == 1.0


@settings(max_examples=200)
@given(st.text(min_size=0, max_size=25), st.text(min_size=0, max_size=25))
def test_similarity_symmetric_bounded_and_one_on_itself(a: str, b: str) -> None:
    s = name_similarity(a, b)
    assert 0.0 <= s <= 1.0
    assert s == name_similarity(b, a)
    assert name_similarity(a, a) == (1.0 if name_key(a) else 0.0)


@pytest.mark.parametrize(("gregorian", "jalali"), [
    (dt.date(2022, 9, 16), (1401, 6, 25)), (dt.date(2019, 11, 15), (1398, 8, 24)),
    (dt.date(2023, 3, 21), (1402, 1, 1)),
])
def test_known_days(gregorian: dt.date, jalali: tuple[int, int, int]) -> None:
    assert gregorian_to_jalali(gregorian) == jalali
    assert jalali_to_gregorian(*jalali) == gregorian
    assert parse_date("/".join(str(x) for x in jalali)).start == gregorian


def test_round_trip_every_day_1300_to_1450() -> None:
    day = jalali_to_gregorian(1300, 1, 1)
    end = jalali_to_gregorian(1450, 12, 29)
    previous = None
    while day <= end:
        jalali = gregorian_to_jalali(day)
        assert jalali_to_gregorian(*jalali) == day
        if previous is not None:  # consecutive days never skip or repeat a Jalali date
            assert jalali > previous
        previous = jalali
        day += dt.timedelta(days=1)
