"""Mapping headers to canonical fields and turning each raw row into a ``CanonicalRecord``."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from functools import lru_cache
from importlib import resources

from shomar.errors import InputError
from shomar.normalise import DateParseError, normalise, parse_date, to_ascii_digits
from shomar.normalise.places import place
from shomar.schema import CanonicalRecord

_UNKNOWN = {"", "-", "--", "?", "unknown", "n/a", "na", "none", "null", "نامشخص", "نامعلوم",
            "مشخص نیست", "ناشناس", "؟"}
_SEX = {"m": "m", "male": "m", "man": "m", "boy": "m", "مرد": "m", "مذکر": "m", "پسر": "m",
        "آقا": "m", "f": "f", "female": "f", "woman": "f", "girl": "f", "زن": "f", "مونث": "f",
        "مؤنث": "f", "دختر": "f", "خانم": "f"}


def header_key(text: str) -> str:
    """Headers compare after normalisation: script variants, ZWNJ/space, case and separators."""
    return re.sub(r"[\s_\-\u200c.]+", " ", normalise(text)).strip()


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    raw = tomllib.loads(resources.files("shomar.ingest").joinpath("headers.toml").read_text("utf-8"))
    return {header_key(name): field for field, names in raw.items() for name in names}


def map_headers(header: list[str], explicit: dict[str, str], where: str) -> dict[str, str]:
    """File header -> canonical field: the mapping file first, then the automatic synonyms."""
    keys = {header_key(h): h for h in header}
    mapped: dict[str, str] = {}
    for name, target in explicit.items():
        actual: str | None = name if name in header else keys.get(header_key(name))
        if actual is None:
            raise InputError(f"mapped column {name!r} is not in the file (columns: "
                             f"{', '.join(header)})", file=where, row=1, column=name)
        mapped[actual] = target
    taken = set(mapped.values())
    for h in header:
        synonym = _synonyms().get(header_key(h))
        if h not in mapped and synonym and synonym not in taken:
            mapped[h] = synonym
            taken.add(synonym)
    return mapped


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return None if normalise(text) in _UNKNOWN else text


def parse_sex(value: str | None, where: str, row: int, column: str) -> str | None:
    text = _clean(value)
    if text is None:
        return None
    found = _SEX.get(normalise(text).rstrip("."))
    if found is None:
        raise InputError(f"sex {text!r} is not one of male/female/مرد/زن/M/F", file=where, row=row,
                         column=column)
    return found


def parse_age(value: str | None, where: str, row: int, column: str) -> int | None:
    text = _clean(value)
    if text is None:
        return None
    match = re.fullmatch(r"~?\s*(\d{1,3})(\.0)?\s*(ساله|سال|years?|yrs?|y)?\.?", to_ascii_digits(normalise(text)))
    if not match or int(match.group(1)) > 120:
        raise InputError(f"age {text!r} is not a number of years", file=where, row=row, column=column)
    return int(match.group(1))


def raw_hash(raw: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(raw, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def build_record(row: int, raw: dict[str, str], columns: dict[str, str], calendar: str,
                 day_first: bool | None, where: str) -> CanonicalRecord:
    """One raw row (header -> text) into a canonical record; bad values name row and column."""
    by_field = {target: header for header, target in columns.items()}

    def text(name: str) -> str | None:
        return _clean(raw.get(by_field[name])) if name in by_field else None

    given, family = text("given_name"), text("family_name")
    full = text("full_name") or " ".join(p for p in (given, family) if p) or None
    values: dict[str, object] = {
        "full_name": full, "other_name": text("other_name"), "given_name": given, "family_name": family,
        "father_name": text("father_name"), "province": text("province"), "city": text("city"),
        "location": text("location"), "event_type": text("event_type"), "notes": text("notes"),
    }
    if "sex" in by_field:
        values["sex"] = parse_sex(raw.get(by_field["sex"]), where, row, by_field["sex"])
    if "age" in by_field:
        values["age"] = parse_age(raw.get(by_field["age"]), where, row, by_field["age"])
    date_text = text("date")
    if date_text is not None:
        try:
            date = parse_date(date_text, calendar, day_first=day_first)
        except DateParseError as e:
            raise InputError(f"cannot read date {date_text!r}: {e}", file=where, row=row,
                             column=by_field["date"]) from e
        values.update(date_text=date_text, date_calendar=date.calendar, date_precision=date.precision,
                      date_start=date.start.isoformat(), date_end=date.end.isoformat())
    resolved = place(", ".join(str(values[k]) for k in ("city", "province", "location") if values[k]))
    values["province_code"] = resolved.province_code if resolved else None
    record_id = text("record_id") or str(row)
    return CanonicalRecord(row_number=row, record_id=to_ascii_digits(record_id), raw=dict(raw),
                           raw_hash=raw_hash(raw), **values)  # type: ignore[arg-type]
