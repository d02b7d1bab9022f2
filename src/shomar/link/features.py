"""Derived matching columns, computed in Python so every comparison is plain SQL on ASCII keys.

DuckDB's string distances count UTF-8 bytes, so Persian script is never compared in SQL: names,
fathers' names and places are turned into ASCII keys here with ``shomar.normalise``.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable

import numpy as np
import pandas as pd

from shomar.link.name_columns import Texts, alias_names, begin_name_columns, coded, has_aliases
from shomar.normalise import is_persian, name_key, skeleton_key, split_name

FEATURE_COLUMNS = [
    "unique_id", "source_dataset", "script", "name_key", "name_sorted", "name_skel", "name_joined",
    "skel_joined", "given_key", "given_skel", "family_key", "family_skel", "father_key", "sex",
    "age", "birth_year", "date_start", "date_end", "date_precision", "date_year", "busy_year",
    "date_day", "date_day_end", "province_code", "alias_skels", "has_aliases", "other_skel", "is_placeholder",
    "honorific",
]
EPOCH = dt.date(1900, 1, 1)


def _none_if_empty(text: str) -> str | None:
    return text or None


def name_fields(full: str, given: str, family: str) -> dict[str, object]:
    """The name columns of one record, each from the whole-text functions of
    ``shomar.normalise``: the plain definition, which ``name_columns`` must equal."""
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
        "alias_skels": (alias_skels := [s for a in (full, *aliases) if (s := skeleton_key(a))] or None),
        "has_aliases": has_aliases(alias_skels, _none_if_empty(skeleton_key(full or f"{given} {family}"))),
        "is_placeholder": bool(parts.is_placeholder),
        "honorific": ",".join(parts.honorifics) or None,
    }


def _column(records: pd.DataFrame, name: str) -> list[str]:
    """A column as plain Python text ("" for missing), read once: iterating Arrow-backed or
    nullable columns cell by cell costs more than all the name work."""
    if name not in records.columns:
        return [""] * len(records)
    if isinstance(records[name].dtype, pd.StringDtype):  # text or missing only: filled in C
        return records[name].fillna("").tolist()
    column = records[name].astype(object)
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)
            for v in column.tolist()]


def _texts(records: pd.DataFrame, name: str) -> Texts:
    """A text column as ``name_columns`` reads it: pandas text as it is, anything else as
    ``_column`` turns it into text."""
    if name in records.columns and isinstance(records[name].dtype, pd.StringDtype):
        return records[name].reset_index(drop=True)
    return _column(records, name)


# What pandas makes of a list of text: the column type the derived text columns must have.
_INFERRED_TEXT = pd.Series(["text"]).dtype


def _text_column(records: pd.DataFrame, name: str, *, missing: str | None) -> pd.Series | list[str | None]:
    """A column as text, "" and missing values both written ``missing``: what pandas makes of
    ``[v or missing for v in _column(records, name)]``, without that list when it can."""
    column = records[name] if name in records.columns else None
    if column is None or column.dtype != _INFERRED_TEXT or not len(column):
        return [v or missing for v in _column(records, name)]
    column = column.reset_index(drop=True)
    if missing is not None:
        return column.fillna(missing)
    blanked = column.where(column.ne("").fillna(False).astype(bool))
    return pd.Series(np.full(len(column), None, dtype=object)) if blanked.isna().all() else blanked


def derive_features(records: pd.DataFrame, *, only: np.ndarray | None = None,
                    meanwhile: Callable[[], None] | None = None) -> pd.DataFrame:
    """One row per record with the columns the Splink model compares.

    With ``only`` (row positions), the rows of those records alone: equal to
    ``derive_features(records).iloc[only]``, as a year is busy by its share of all the records.
    ``meanwhile`` is called once the work is under way, after any process is forked to derive the
    names (a thread it starts runs beside the rest and is never forked).
    """
    # Texts, memo entries and rows by the hundred thousand, none in a cycle: the cyclic garbage
    # collector would rescan them all again and again, for nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        busy = None
        if only is not None:
            busy = _busy_year_set(_blank_as_none(_column(records, "date_start")))
            records = records.iloc[only].reset_index(drop=True)
        return _features(records, busy, meanwhile)
    finally:
        if gc_was_enabled:
            gc.enable()


def _features(records: pd.DataFrame, busy: set[str] | None, meanwhile: Callable[[], None] | None) -> pd.DataFrame:
    n = len(records)
    # The names first: the processes sharing them out start before anything else is read, and
    # the other columns are worked out here while they finish.
    finish_names = begin_name_columns(*(_texts(records, c) for c in ("full_name", "given_name", "family_name")),
                                      meanwhile=meanwhile)
    try:
        text = {c: _column(records, c) for c in ("other_name", "date_start", "date_end", "date_precision")}
        other = _other_columns(records, text, busy)
    except BaseException:
        finish_names()  # the processes are waited for, their pipes closed
        raise
    frame = finish_names().reset_index(drop=True)
    if any(text["other_name"]):
        frame["alias_skels"], frame["other_skel"], frame["has_aliases"] = _with_other_names(
            frame["alias_skels"].tolist(), text["other_name"], frame["skel_joined"].tolist(),
            frame["has_aliases"].tolist())
    else:  # what _with_other_names gives when no record has another name
        frame["other_skel"] = pd.Series(np.full(n, None, dtype=object))
    for column, values in other.items():
        frame[column] = values
    return frame[FEATURE_COLUMNS]


def _blank_as_none(texts: list[str]) -> pd.Series:
    return pd.Series([v or None for v in texts], dtype=object)


def _other_columns(records: pd.DataFrame, text: dict[str, list[str]], busy: set[str] | None) -> dict[str, object]:
    """The columns besides the names', by name."""
    n = len(records)
    father_ids, fathers = coded(_texts(records, "father_name"))
    father_keys = np.array([_none_if_empty(name_key(f)) if f else None for f in fathers], dtype=object)
    other: dict[str, object] = {
        "unique_id": _text_column(records, "record_uid", missing=""),
        "source_dataset": _text_column(records, "source", missing=""),
        "father_key": father_keys[father_ids] if n else [],
        "sex": _text_column(records, "sex", missing=None),
    }
    starts = _blank_as_none(text["date_start"])
    ends = _blank_as_none([e or s for s, e in zip(text["date_start"], text["date_end"], strict=True)])
    precision = _blank_as_none(text["date_precision"])
    other["date_start"] = starts
    other["date_end"] = _blank_as_none(text["date_end"])
    other["date_precision"] = precision
    year = per_distinct(starts, lambda texts: pd.to_numeric(texts.str[:4], errors="coerce")).astype("Int64")
    other["date_year"] = year.where(precision.isin(["day", "month"]))
    # Days since 1900 as integers: date arithmetic in plain SQL on any engine.
    other["date_day"] = _day_numbers(starts)
    other["date_day_end"] = _day_numbers(ends)
    ages = pd.to_numeric(records["age"], errors="coerce") if "age" in records.columns else pd.Series([np.nan] * n)
    other["age"] = age = pd.array(ages.round().to_numpy(), dtype="Int64")
    other["birth_year"] = (year - age).astype("Int64")
    other["province_code"] = _text_column(records, "province_code", missing=None)
    other["busy_year"] = _busy_years(starts, _busy_year_set(starts) if busy is None else busy)
    return other


def _with_other_names(alias_skels: list[list[str] | None], other_names: list[str], skel_joined: list[str | None],
                      flags: list[bool]) -> tuple[list[list[str] | None], list[str | None], list[bool]]:
    """Each record's alias skeletons with those of its other name (and that name's own aliases)
    added, so a record known as «علی رضایی» and Ali Rezaei agrees with either writing; the other
    name's whole skeleton alone, for blocking; and ``has_aliases`` of the lists (``flags`` where
    a record has no other name)."""
    ids, distinct = pd.factorize(pd.Series(other_names, dtype=object))
    extra = [[s for a in (main, *aliases) if (s := skeleton_key(a))]
             for main, aliases in (alias_names(o) if o else ("", []) for o in distinct)]
    skels_out: list[list[str] | None] = []
    other_skel: list[str | None] = []
    flags_out: list[bool] = []
    for skels, i, own, flag in zip(alias_skels, ids, skel_joined, flags, strict=True):
        more = extra[i] if i >= 0 else []
        if more:
            skels = list(dict.fromkeys([*(skels or []), *more])) or None
            flag = has_aliases(skels, own)
        skels_out.append(skels)
        flags_out.append(flag)
        other_skel.append(more[0] if more else None)
    return skels_out, other_skel, flags_out


def per_distinct(texts: pd.Series, derive: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``derive(texts)`` worked out once per distinct text (dates repeat by the thousand): derive
    must go value by value (a format inferred from the first value is the first distinct one's),
    and a missing text gets what it gives for None."""
    codes, distinct = pd.factorize(texts)
    derived = derive(pd.Series([*distinct.tolist(), None], dtype=object))
    return derived.iloc[codes].set_axis(texts.index)  # code -1: the None at the end


def _day_numbers(isos: pd.Series) -> pd.Series:
    dates = per_distinct(isos, lambda texts: pd.to_datetime(texts, format="%Y-%m-%d", errors="coerce"))
    days = (dates - pd.Timestamp(EPOCH)).dt.days
    return days.astype("Int64")


BUSY_YEAR_SHARE = 0.05


def _busy_year_set(starts: pd.Series) -> set[str]:
    """The years holding at least 5% of the dated records (``starts``: ISO dates or None)."""
    codes, distinct = pd.factorize(starts)
    year_codes, years = pd.factorize(pd.Series(distinct, dtype=object).str[:4])
    of_record = np.append(year_codes, -1)[codes]
    counts = np.bincount(of_record[of_record >= 0], minlength=len(years))
    if not counts.sum():
        return set()
    shares = counts / counts.sum()  # as value_counts(normalize=True) divides
    return {year for year, share in zip(years.tolist(), shares.tolist(), strict=True) if share >= BUSY_YEAR_SHARE}


def _busy_years(starts: pd.Series, busy: set[str]) -> pd.Series:
    """True for records dying in one of the ``busy`` years."""
    codes, distinct = pd.factorize(starts)
    in_busy = np.append(pd.Series(distinct, dtype=object).str[:4].isin(busy).to_numpy(dtype=bool), False)
    return pd.Series(in_busy[codes], index=starts.index)
