"""Derived matching columns, computed in Python so every comparison is plain SQL on ASCII keys.

DuckDB's string distances count UTF-8 bytes, so Persian script is never compared in SQL: names,
fathers' names and places are turned into ASCII keys here with ``shomar.normalise``.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from shomar.normalise import is_persian, name_key, skeleton_key, split_name

FEATURE_COLUMNS = [
    "unique_id", "source_dataset", "script", "name_key", "name_sorted", "name_skel", "name_joined",
    "skel_joined", "given_key", "given_skel", "family_key", "family_skel", "father_key", "sex",
    "birth_year", "date_start", "date_end", "date_precision", "date_year", "busy_year", "date_day", "date_day_end",
    "province_code", "alias_skels", "is_placeholder", "honorific",
]
EPOCH = dt.date(1900, 1, 1)


def _none_if_empty(text: str) -> str | None:
    return text or None


def alias_names(text: str) -> tuple[str, list[str]]:
    """A name without its parenthesised aliases, and each alias written in place of the word it
    follows: "Ayub (Ribaz) Salehivand" → "Ayub Salehivand", ["Ribaz Salehivand"]; an alias after
    the last word replaces that word ("Sadegh Aramesh (Brahoei)" → "Sadegh Brahoei")."""
    if "(" not in text:
        return text, []
    pieces = re.split(r"\(([^()]*)\)", text)  # odd items are the parentheses' insides
    words: list[str] = []
    aliases: list[tuple[int, list[str]]] = []
    for i, piece in enumerate(pieces):
        if i % 2:
            aliases.append((len(words), piece.split()))
        else:
            words += piece.replace("(", " ").replace(")", " ").split()
    variants = [" ".join([*words[:max(at - 1, 0)], *inner, *words[at:]]) for at, inner in aliases if inner]
    return " ".join(words), variants


def name_fields(full: str, given: str, family: str) -> dict[str, object]:
    full, aliases = alias_names(full) if full else ("", [])
    parts = split_name(full or f"{given} {family}")
    key = name_key(full) if full else name_key(f"{given} {family}")
    tokens = key.split()
    g = name_key(given).split() if given else tokens[:1]
    f = name_key(family).split() if family else tokens[-1:] if len(tokens) > 1 else []
    return {
        "script": "fa" if is_persian(full or f"{given} {family}") else "latin",
        "name_key": _none_if_empty(key),
        "name_sorted": _none_if_empty(" ".join(sorted(tokens))),
        # Token by token and sorted: survives swapped given/family names and most typos.
        "name_skel": _none_if_empty(" ".join(sorted(
            s for t in parts.tokens if (s := skeleton_key(t))))),
        # Spaces dropped: Mohammad Reza = Mohammadreza, جان محمد = جانمحمد.
        "name_joined": _none_if_empty(key.replace(" ", "")),
        "skel_joined": _none_if_empty(skeleton_key(full or f"{given} {family}")),
        "given_key": _none_if_empty(" ".join(g)),
        "given_skel": _none_if_empty(skeleton_key(" ".join(g))) if g else None,
        "family_key": _none_if_empty(" ".join(f)),
        "family_skel": _none_if_empty(skeleton_key(" ".join(f))) if f else None,
        # The name's skeleton and each alias's: an alias level compares these lists.
        "alias_skels": [s for a in (full, *aliases) if (s := skeleton_key(a))] or None,
        "is_placeholder": bool(parts.is_placeholder),
        "honorific": ",".join(parts.honorifics) or None,
    }


def _column(records: pd.DataFrame, name: str) -> list[str]:
    """A column as plain Python text ("" for missing), read once: iterating Arrow-backed or
    nullable columns cell by cell costs more than all the name work."""
    if name not in records.columns:
        return [""] * len(records)
    column = records[name].astype(object)
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)
            for v in column.tolist()]


def derive_features(records: pd.DataFrame) -> pd.DataFrame:
    """One row per record with the columns the Splink model compares."""
    rows = []
    # Names repeat (a million records hold far fewer distinct names): derive each once.
    names: dict[tuple[str, str, str], dict[str, object]] = {}
    fathers: dict[str, str | None] = {}
    columns = [_column(records, c) for c in ("record_uid", "source", "full_name", "given_name",
                                              "family_name", "father_name", "sex", "date_start",
                                              "date_end", "date_precision", "province_code")]
    ages = records["age"].astype(object).tolist() if "age" in records.columns else [None] * len(records)
    for (uid, source, full, given, family, father, sex, start, end, precision, province), age in zip(
            zip(*columns, strict=True), ages, strict=True):
        row: dict[str, object] = {"unique_id": uid, "source_dataset": source}
        fields = names.get((full, given, family))
        if fields is None:
            fields = names[(full, given, family)] = name_fields(full, given, family)
        row.update(fields)
        if father not in fathers:
            fathers[father] = _none_if_empty(name_key(father)) if father else None
        row["father_key"] = fathers[father]
        row["sex"] = sex or None
        row.update(date_start=start or None, date_end=end or None, date_precision=precision or None)
        row["date_year"] = int(start[:4]) if start and precision in ("day", "month") else None
        # Days since 1900 as integers: date arithmetic in plain SQL on any engine.
        row["date_day"] = _day_number(start)
        row["date_day_end"] = _day_number(end or start)
        row["birth_year"] = _birth_year(age, start)
        row["province_code"] = province or None
        rows.append(row)
    frame = pd.DataFrame(rows, columns=FEATURE_COLUMNS)
    frame["busy_year"] = _busy_years(frame["date_start"])
    return frame


BUSY_YEAR_SHARE = 0.05


def _busy_years(starts: pd.Series) -> pd.Series:
    """True for records dying in a year that holds at least 5% of the dated records."""
    years = starts.str[:4]
    shares = years.value_counts(normalize=True)
    return years.map(lambda y: bool(shares.get(y, 0.0) >= BUSY_YEAR_SHARE) if isinstance(y, str) else False)


def _day_number(iso: str) -> int | None:
    return (dt.date.fromisoformat(iso) - EPOCH).days if iso else None


def _birth_year(age: object, date_start: str) -> int | None:
    if age is None or pd.isna(age) or not date_start:  # type: ignore[arg-type]
        return None
    return dt.date.fromisoformat(date_start).year - int(age)  # type: ignore[call-overload]
