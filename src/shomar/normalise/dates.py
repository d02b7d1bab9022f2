"""Partial dates in the Jalali (Solar Hijri) and Gregorian calendars.

A date as lists write it keeps its original text, its calendar, its precision (day, month or
year) and the Gregorian interval it covers. A month-only date covers the whole month (never day 1)
and a year-only date covers the whole year, so it overlaps every full date inside it. Jalali
arithmetic uses jdatetime (the 33-year arithmetic rule it implements agrees with the official
calendar over 1300–1450; checked in tests on known days).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import jdatetime

from shomar.normalise.persian import normalise, to_ascii_digits

Calendar = Literal["jalali", "gregorian"]
Precision = Literal["day", "month", "year"]

JALALI_YEARS = range(1200, 1501)
GREGORIAN_YEARS = range(1800, 2101)


class DateParseError(ValueError):
    """Text that is not a date in any supported form, or whose reading is ambiguous."""


_JALALI_MONTHS = {
    "فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "امرداد": 5,
    "شهریور": 6, "مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12,
    "farvardin": 1, "ordibehesht": 2, "khordad": 3, "tir": 4, "mordad": 5,
    "shahrivar": 6, "mehr": 7, "aban": 8, "azar": 9, "dey": 10, "bahman": 11, "esfand": 12,
}
_GREGORIAN_MONTHS = {
    name: i + 1
    for i, names in enumerate([
        ("january", "jan", "ژانویه"), ("february", "feb", "فوریه"), ("march", "mar", "مارس"),
        ("april", "apr", "آوریل"), ("may", "مه", "می"), ("june", "jun", "ژوئن"),
        ("july", "jul", "ژوئیه", "جولای"), ("august", "aug", "اوت", "آگوست"),
        ("september", "sep", "sept", "سپتامبر"), ("october", "oct", "اکتبر"),
        ("november", "nov", "نوامبر"), ("december", "dec", "دسامبر"),
    ])
    for name in names
}


@dataclass(frozen=True)
class PartialDate:
    """A date at day, month or year precision, with the Gregorian interval it covers."""

    original: str
    calendar: Calendar
    precision: Precision
    year: int
    month: int | None
    day: int | None
    start: dt.date
    end: dt.date

    def overlaps(self, other: PartialDate) -> bool:
        """True when the two intervals share at least one day (no disagreement)."""
        return self.start <= other.end and other.start <= self.end

    def iso(self) -> str:
        """Gregorian ISO text at this precision; a Jalali month may span two Gregorian months."""
        if self.precision == "day":
            return self.start.isoformat()
        if self.start.year == self.end.year and (
            self.precision == "year" or self.start.month == self.end.month
        ):
            return str(self.start.year) if self.precision == "year" else self.start.strftime("%Y-%m")
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def jalali_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Gregorian date of a Jalali day (raises DateParseError when the day does not exist)."""
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError as e:
        raise DateParseError(f"no such Jalali date {year}/{month:02d}/{day:02d}") from e


def gregorian_to_jalali(date: dt.date) -> tuple[int, int, int]:
    """Jalali (year, month, day) of a Gregorian date."""
    j = jdatetime.date.fromgregorian(date=date)
    return j.year, j.month, j.day


def _jalali_month_length(year: int, month: int) -> int:
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def make_date(
    original: str, calendar: Calendar, year: int, month: int | None = None, day: int | None = None
) -> PartialDate:
    """Build a PartialDate, computing the Gregorian interval it covers."""
    if month is not None and not 1 <= month <= 12:
        raise DateParseError(f"month {month} out of range in {original!r}")
    precision: Precision = "day" if day is not None else "month" if month is not None else "year"
    if calendar == "jalali":
        last_month = month or 12
        first = jalali_to_gregorian(year, month or 1, day or 1)
        last_day = day or _jalali_month_length(year, last_month)
        last = jalali_to_gregorian(year, last_month, last_day)
    else:
        try:
            first = dt.date(year, month or 1, day or 1)
            if day is not None:
                last = first
            elif month is not None:
                nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
                last = nxt - dt.timedelta(days=1)
            else:
                last = dt.date(year, 12, 31)
        except ValueError as e:
            raise DateParseError(f"no such date in {original!r}") from e
    return PartialDate(original, calendar, precision, year, month, day, first, last)


def _calendar_for_year(year: int, calendar: str, original: str) -> Calendar:
    if calendar in ("jalali", "gregorian"):
        return calendar  # type: ignore[return-value]
    if calendar != "auto":
        raise DateParseError(f"unknown calendar {calendar!r} (jalali, gregorian or auto)")
    if year in JALALI_YEARS:
        return "jalali"
    if year in GREGORIAN_YEARS:
        return "gregorian"
    raise DateParseError(f"year {year} is neither a plausible Jalali nor Gregorian year: {original!r}")


_NUMERIC = re.compile(r"^(\d{1,4})[/\-.](\d{1,2})(?:[/\-.](\d{1,4}))?$")
_WORDS = re.compile(r"[^\W\d_]+|\d+")


def parse_date(text: str, calendar: str = "auto", *, day_first: bool | None = None) -> PartialDate:
    """Read a date as lists write it: numeric, with month names, or a bare year.

    ``calendar`` is ``"jalali"``, ``"gregorian"`` or ``"auto"`` (decided by year range: 1200–1500
    is Jalali, 1800–2100 Gregorian). Numeric dates with the year last need ``day_first`` when both
    leading numbers could be a month.
    """
    original = text
    if text is None or not str(text).strip():
        raise DateParseError("empty date")
    cleaned = to_ascii_digits(normalise(str(text))).replace(",", " ").strip()
    cleaned = re.sub(r"\s+", " ", cleaned)
    if re.fullmatch(r"\d{4}", cleaned):
        year = int(cleaned)
        return make_date(original, _calendar_for_year(year, calendar, original), year)
    match = _NUMERIC.match(cleaned)
    if match:
        return _parse_numeric(original, match.groups(), calendar, day_first)
    return _parse_words(original, cleaned, calendar)


def _parse_numeric(
    original: str, parts: tuple[str | None, ...], calendar: str, day_first: bool | None
) -> PartialDate:
    a, b, c = parts
    if len(a or "") == 4:  # year first: Y/M/D or Y/M
        year = int(a)  # type: ignore[arg-type]
        cal = _calendar_for_year(year, calendar, original)
        return make_date(original, cal, year, int(b), int(c) if c else None)  # type: ignore[arg-type]
    if c is None or len(c) != 4:
        if c is None and b is not None and len(b) <= 2 and a is not None:
            raise DateParseError(f"cannot tell which number is the year in {original!r}")
        raise DateParseError(f"not a date: {original!r}")
    year, first, second = int(c), int(a), int(b)  # type: ignore[arg-type]
    cal = _calendar_for_year(year, calendar, original)
    if first > 12 and second <= 12:
        day, month = first, second
    elif second > 12 and first <= 12:
        day, month = second, first
    elif first == second:
        day, month = first, second
    elif day_first is None:
        raise DateParseError(
            f"ambiguous day/month order in {original!r}: give the source's convention (day_first)"
        )
    else:
        day, month = (first, second) if day_first else (second, first)
    return make_date(original, cal, year, month, day)


def _parse_words(original: str, cleaned: str, calendar: str) -> PartialDate:
    tokens = _WORDS.findall(cleaned.lower())
    numbers = [int(t) for t in tokens if t.isdigit()]
    words = [t for t in tokens if not t.isdigit()]
    month, month_cal = None, None
    for word in words:
        if word in _JALALI_MONTHS:
            month, month_cal = _JALALI_MONTHS[word], "jalali"
        elif word in _GREGORIAN_MONTHS:
            month, month_cal = _GREGORIAN_MONTHS[word], "gregorian"
        else:
            continue
        break
    years = [n for n in numbers if n >= 1000]
    if month is None or len(years) != 1 or len(numbers) > 2:
        raise DateParseError(f"not a date: {original!r}")
    year = years[0]
    days = [n for n in numbers if n < 1000]
    day = days[0] if days else None
    if day is not None and not 1 <= day <= 31:
        raise DateParseError(f"day {day} out of range in {original!r}")
    cal = _calendar_for_year(year, calendar, original)
    if cal != month_cal:
        raise DateParseError(f"{original!r} names a {month_cal} month with a {cal} year")
    return make_date(original, cal, year, month, day)
