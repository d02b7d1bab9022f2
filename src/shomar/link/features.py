"""Derived matching columns, computed in Python so every comparison is plain SQL on ASCII keys.

DuckDB's string distances count UTF-8 bytes, so Persian script is never compared in SQL: names,
fathers' names and places are turned into ASCII keys here with ``shomar.normalise``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from shomar.normalise import name_key, skeleton_key, split_name

FEATURE_COLUMNS = [
    "unique_id", "source_dataset", "name_key", "name_sorted", "name_skel", "given_key",
    "given_skel", "family_key", "family_skel", "father_key", "sex", "birth_year", "date_start",
    "date_end", "date_precision", "date_year", "province_code", "is_placeholder", "honorific",
]


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) or pd.isna(value) else str(value)


def _none_if_empty(text: str) -> str | None:
    return text or None


def name_fields(full: str, given: str, family: str) -> dict[str, object]:
    parts = split_name(full or f"{given} {family}")
    key = name_key(full) if full else name_key(f"{given} {family}")
    tokens = key.split()
    g = name_key(given).split() if given else tokens[:1]
    f = name_key(family).split() if family else tokens[-1:] if len(tokens) > 1 else []
    return {
        "name_key": _none_if_empty(key),
        "name_sorted": _none_if_empty(" ".join(sorted(tokens))),
        # Token by token and sorted: survives swapped given/family names and most typos.
        "name_skel": _none_if_empty(" ".join(sorted(
            s for t in parts.tokens if (s := skeleton_key(t))))),
        "given_key": _none_if_empty(" ".join(g)),
        "given_skel": _none_if_empty(skeleton_key(" ".join(g))) if g else None,
        "family_key": _none_if_empty(" ".join(f)),
        "family_skel": _none_if_empty(skeleton_key(" ".join(f))) if f else None,
        "is_placeholder": bool(parts.is_placeholder),
        "honorific": ",".join(parts.honorifics) or None,
    }


def derive_features(records: pd.DataFrame) -> pd.DataFrame:
    """One row per record with the columns the Splink model compares."""
    rows = []
    for rec in records.itertuples(index=False):
        full, given, family = _text(rec.full_name), _text(rec.given_name), _text(rec.family_name)
        row: dict[str, object] = {"unique_id": rec.record_uid, "source_dataset": rec.source}
        row.update(name_fields(full, given, family))
        father = _text(getattr(rec, "father_name", ""))
        row["father_key"] = _none_if_empty(name_key(father)) if father else None
        sex = _text(getattr(rec, "sex", ""))
        row["sex"] = sex or None
        start, end = _text(rec.date_start), _text(rec.date_end)
        precision = _text(getattr(rec, "date_precision", ""))
        row.update(date_start=start or None, date_end=end or None, date_precision=precision or None)
        row["date_year"] = int(start[:4]) if start and precision in ("day", "month") else None
        age = getattr(rec, "age", None)
        row["birth_year"] = _birth_year(age, start)
        row["province_code"] = _text(getattr(rec, "province_code", "")) or None
        rows.append(row)
    return pd.DataFrame(rows, columns=FEATURE_COLUMNS)


def _birth_year(age: object, date_start: str) -> int | None:
    if age is None or pd.isna(age) or not date_start:  # type: ignore[arg-type]
        return None
    return dt.date.fromisoformat(date_start).year - int(age)  # type: ignore[call-overload]
