"""The name columns of many records at once, equal to ``features.name_fields`` record by record.

Most names are plain words side by side (see ``NameMemo.plain_tokens``): their columns are their
words' memoised keys and skeletons joined, so they are put together as arrays, the words as
integer codes, the joining and sorting in numpy and Arrow. Each other name (aliases, honorifics,
initials, compounds, placeholders, mixed scripts) goes through the memo one by one, and a name
written without a full name is read from its given and family names as before.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from shomar.link.in_parallel import processes_for, share_out
from shomar.normalise import is_persian
from shomar.normalise.name_memo import NameMemo, PlainToken
from shomar.normalise.persian import ARABIC_SCRIPT

# The columns of the whole name: before and after the given and family ones in NAME_COLUMNS.
HEAD_COLUMNS = ["script", "name_key", "name_sorted", "name_skel", "name_joined", "skel_joined"]
TAIL_COLUMNS = ["alias_skels", "has_aliases", "is_placeholder", "honorific"]
PART_COLUMNS = ["given_key", "given_skel", "family_key", "family_skel"]
NAME_COLUMNS = [*HEAD_COLUMNS, *PART_COLUMNS, *TAIL_COLUMNS]


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


def has_aliases(alias_skels: list[str] | None, skel_joined: str | None) -> bool:
    """Whether a record's alias skeletons are more than its name's own skeleton: only then can
    they agree with another record's where the two names' skeletons differ."""
    return alias_skels is not None and alias_skels != [skel_joined]


PartColumns = tuple[str | None, str | None]


class _PartColumns:
    """The key and skeleton columns of given or family names, and of the key tokens standing in
    for missing ones, each worked out once and numbered in the order first met."""

    def __init__(self, memo: NameMemo) -> None:
        self.memo = memo
        self.by_text: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.rows: list[PartColumns] = []

    def of_text(self, part: str) -> int:
        found = self.by_text.get(part)
        if found is None:
            plain = self.memo.plain_tokens(part)
            # Plain tokens' keys hold no space and are never empty: joined, they are the key.
            key = (" ".join([t.key for t in plain]) if plain is not None
                   else " ".join(self.memo.repeated_keys(part).key.split()))
            found = self.by_text[part] = self.of_key(key)
        return found

    def of_key(self, key: str) -> int:
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key[key] = len(self.rows)
            self.rows.append((key or None, self.memo.skeleton(key) or None))
        return found


WholeNameColumns = tuple[tuple[object, ...], tuple[object, ...], list[str]]


def whole_name_columns(memo: NameMemo, text: str, is_full: bool, aliases: list[str]) -> WholeNameColumns:
    """The columns before and after the given and family ones, and the key's tokens."""
    name = memo.keys(text)
    key = name.key
    tokens = key.split()
    token_skeletons = [s for t in name.tokens if (s := memo.skeleton(t))]
    alias_skels = [s for s in (name.skeleton if is_full else "", *(memo.skeleton(a) for a in aliases)) if s]
    head = ("fa" if is_persian(text) else "latin", key or None, " ".join(sorted(tokens)) or None,
            " ".join(sorted(token_skeletons)) or None, key.replace(" ", "") or None, name.skeleton or None)
    return head, (alias_skels or None, name.is_placeholder, ",".join(name.honorifics) or None), tokens


class _Wholes(NamedTuple):
    """The whole-name columns of some names, one entry per name, and the parts (numbers into
    ``_PartColumns.rows``) standing in for a missing given name (the key's first token) and a
    missing family name (its last, when it has more than one)."""

    columns: dict[str, pa.Array | np.ndarray]
    first_part: np.ndarray
    last_part: np.ndarray


Texts: TypeAlias = "Sequence[str] | pd.Series"
"""A column of text: a list ("" for missing), or a pandas text column (missing read as "")."""


def coded(texts: Texts) -> tuple[np.ndarray, list[str]]:
    """Each value's number among the distinct values, and those values ("" for missing)."""
    if not isinstance(texts, pd.Series):
        codes, distinct = pd.factorize(pd.Series(list(texts), dtype=object))
        return codes, distinct.tolist()
    codes, distinct = pd.factorize(texts)
    values = distinct.tolist()
    missing = codes < 0
    if missing.any():
        if "" not in values:
            values.append("")
        codes = np.where(missing, values.index(""), codes)
    return codes, values


def name_columns(full: Texts, given: Texts, family: Texts, *, processes: int | None = None,
                 meanwhile: Callable[[], None] | None = None) -> pd.DataFrame:
    """``name_fields`` of each record's (full, given, family) as the columns NAME_COLUMNS.

    The names are shared among ``processes`` (by default one per core for a hundred thousand
    records or more, where the platform forks; see ``shomar.link.in_parallel``): each distinct
    full name is worked out in one process only, and the columns are the same whatever the number.
    ``meanwhile`` is called once the work is under way, after any process is forked.
    """
    return begin_name_columns(full, given, family, processes=processes, meanwhile=meanwhile)()


def begin_name_columns(full: Texts, given: Texts, family: Texts, *, processes: int | None = None,
                       meanwhile: Callable[[], None] | None = None) -> Callable[[], pd.DataFrame]:
    """``name_columns`` begun: this process's share is done when it returns, and the function
    it returns waits for the other processes' and gives the frame."""
    processes = processes or processes_for(len(full))
    if processes < 2 or not len(full):
        if meanwhile is not None:
            meanwhile()
        columns = record_name_columns(full, given, family) if len(full) else None
        return lambda: _frame(columns)
    # Latin names first: the first run, this process's, holds them, and the children the Persian
    # ones, so few words (worked out once per process) are met in two processes where a list of
    # each script is linked.
    codes, distinct = coded(full)
    persian = pd.Series(distinct, dtype=object).str.contains(ARABIC_SCRIPT, regex=True).to_numpy(dtype=bool)
    shared = share_out(record_name_columns, (full, given, family), processes, codes=codes,
                       sorted_by=persian[codes], meanwhile=meanwhile)
    return lambda: _frame(shared.collect())


def _frame(columns: RecordColumns | None) -> pd.DataFrame:
    if columns is None:
        return pd.DataFrame([], columns=NAME_COLUMNS)
    return pd.DataFrame({c: _series(columns[c]) for c in NAME_COLUMNS})[NAME_COLUMNS]


RecordColumns: TypeAlias = "dict[str, pa.Array | np.ndarray]"
"""Columns of records, one entry per record: text as Arrow, lists and flags as numpy arrays."""


def record_name_columns(full: Texts, given: Texts, family: Texts) -> RecordColumns:
    """The columns NAME_COLUMNS of each record, before they become pandas columns."""
    memo = NameMemo()
    parts = _PartColumns(memo)
    full_ids, fulls = coded(full)
    given_ids, givens = coded(given)
    family_ids, families = coded(family)
    wholes, whole_ids, unwritten = _whole_names(memo, parts, fulls, full_ids)
    # A full name that is empty once its aliases are out: the name is spelled by its parts.
    spelled_at = np.flatnonzero(unwritten[full_ids])
    if len(spelled_at):
        triples = list(zip([fulls[i] for i in full_ids[spelled_at].tolist()],
                           [givens[i] for i in given_ids[spelled_at].tolist()],
                           [families[i] for i in family_ids[spelled_at].tolist()], strict=True))
        triple_ids, distinct = pd.factorize(pd.Series(triples, dtype=object))
        spelled = _slow_wholes(memo, parts, [(f"{g} {f}", False, alias_names(t)[1] if t else [])
                                             for t, g, f in distinct])
        whole_ids[spelled_at] = len(wholes.first_part) + triple_ids
        wholes = _concat_wholes(wholes, spelled)
    columns: RecordColumns = {c: _taken(wholes.columns[c], whole_ids) for c in HEAD_COLUMNS}
    given_part = _parts_of(parts, given_ids, givens, wholes.first_part[whole_ids])
    family_part = _parts_of(parts, family_ids, families, wholes.last_part[whole_ids])
    part_keys = pa.array([key for key, _ in parts.rows], pa.string())
    part_skels = pa.array([skel for _, skel in parts.rows], pa.string())
    for name, table, at in (("given_key", part_keys, given_part), ("given_skel", part_skels, given_part),
                            ("family_key", part_keys, family_part), ("family_skel", part_skels, family_part)):
        columns[name] = _taken(table, at)
    for c in TAIL_COLUMNS:
        columns[c] = _taken(wholes.columns[c], whole_ids)
    return columns


def _parts_of(parts: _PartColumns, ids: np.ndarray, texts: list[str], standing_in: np.ndarray) -> np.ndarray:
    """Each record's given (or family) part: its own text's, else the whole name's stand-in."""
    own = np.array([parts.of_text(t) if t else -1 for t in texts], dtype=np.int64)
    mine = own[ids] if len(ids) else np.zeros(0, dtype=np.int64)
    return np.where(mine >= 0, mine, standing_in)


def _taken(values: pa.Array | np.ndarray, at: np.ndarray) -> pa.Array | np.ndarray:
    """One column of records from one of distinct names."""
    return values[at] if isinstance(values, np.ndarray) else values.take(pa.array(at, pa.int64()))


def _series(values: pa.Array | np.ndarray) -> pd.Series:
    """A column of records as pandas infers it from Python values: text as ``str`` unless every
    value is missing (then objects, all None)."""
    if isinstance(values, np.ndarray):
        return pd.Series(values)
    if values.null_count == len(values):
        return pd.Series(np.full(len(values), None, dtype=object))
    return values.to_pandas()


def _whole_names(memo: NameMemo, parts: _PartColumns, names: list[str], ids: np.ndarray,
                 ) -> tuple[_Wholes, np.ndarray, np.ndarray]:
    """The whole-name columns of each distinct full name, plain names as arrays and the others
    one by one; each record's entry among them; and which names are empty without their aliases
    (their entries are placeholders)."""
    pieces = [name.split() for name in names]
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    codes, words = pd.factorize(pd.Series(list(itertools.chain.from_iterable(pieces)), dtype=object))
    plain = _plain_words(memo, words.tolist())
    simple = np.array(["(" not in name for name in names], dtype=bool)
    fast = simple & _plain_names(plain, codes, lengths)
    slow = np.flatnonzero(~fast)
    in_fast = np.repeat(fast, lengths)
    stripped = [alias_names(names[i]) for i in slow.tolist()]
    unwritten = np.zeros(len(names), dtype=bool)
    unwritten[slow] = [not text for text, _ in stripped]
    wholes = _concat_wholes(
        _plain_wholes(parts, plain, codes[in_fast], lengths[fast]),
        _slow_wholes(memo, parts, [(text, bool(text), aliases) for text, aliases in stripped]))
    order = np.concatenate([np.flatnonzero(fast), slow])
    place = np.empty(len(names), dtype=np.int64)
    place[order] = np.arange(len(names))
    return wholes, place[ids], unwritten


class _PlainWords(NamedTuple):
    """Each distinct word's plain token as arrays (script 0 where the word is not plain)."""

    script: np.ndarray  # 1 Persian, 2 Latin, 0 not plain
    joins_previous: np.ndarray
    joins_next: np.ndarray
    tokens: list[PlainToken | None]


def _plain_words(memo: NameMemo, words: list[str]) -> _PlainWords:
    tokens: list[PlainToken | None] = []
    script = np.zeros(len(words), dtype=np.int8)
    for i, word in enumerate(words):
        token = memo.plain_token(word)
        tokens.append(token)
        if token is not None:
            script[i] = 1 if token.is_persian else 2
    return _PlainWords(script, np.array([t is not None and t.may_join_previous for t in tokens], dtype=bool),
                       np.array([t is not None and t.may_join_next for t in tokens], dtype=bool), tokens)


def _plain_names(plain: _PlainWords, codes: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Which names ``NameMemo.plain_tokens`` takes as plain: words all plain in one script,
    none joining its neighbour there."""
    n = len(lengths)
    if not len(codes):
        return np.zeros(n, dtype=bool)
    name_of = np.repeat(np.arange(n), lengths)
    starts = np.cumsum(lengths) - lengths
    place = np.arange(len(codes)) - starts[name_of]
    script = plain.script[codes]
    first_script = script[starts[name_of]]
    bad = ((script == 0) | (script != first_script) | (plain.joins_previous[codes] & (place > 0))
           | (plain.joins_next[codes] & (place < lengths[name_of] - 1)))
    return (lengths > 0) & (np.bincount(name_of, weights=bad, minlength=n) == 0)


def _plain_wholes(parts: _PartColumns, plain: _PlainWords, codes: np.ndarray, lengths: np.ndarray) -> _Wholes:
    """``whole_name_columns`` of plain names (``NameMemo.plain_tokens``), given as their words'
    codes, all at once."""
    n = len(lengths)
    tokens = plain.tokens
    used = _distinct(codes, len(tokens))
    keys = _token_texts(tokens, used, lambda t: t.key)
    skeletons = _token_texts(tokens, used, lambda t: t.skeleton)
    name_of = np.repeat(np.arange(n), lengths)
    starts = np.cumsum(lengths) - lengths
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    key_texts = keys.take(pa.array(codes, pa.int64()))
    by_key = np.lexsort((_ranks(keys)[codes], name_of))
    has_skeleton = pc.not_equal(skeletons, "").to_numpy(zero_copy_only=False)[codes]
    skel_at = np.flatnonzero(has_skeleton)
    skel_at = skel_at[np.lexsort((_ranks(skeletons)[codes[skel_at]], name_of[skel_at]))]
    skel_offsets = np.concatenate([[0], np.cumsum(np.bincount(name_of[skel_at], minlength=n))]).astype(np.int32)
    joined = _joined_skeletons(tokens, used, codes, name_of, starts, lengths)
    first_script = plain.script[codes[starts]] if n else np.zeros(0, dtype=np.int8)
    columns: dict[str, pa.Array | np.ndarray] = {
        "script": pa.array(np.where(first_script == 1, "fa", "latin"), pa.string()),
        "name_key": _join(offsets, key_texts, " "),
        "name_sorted": _join(offsets, key_texts.take(pa.array(by_key, pa.int64())), " "),
        "name_skel": _or_null(_join(skel_offsets, skeletons.take(pa.array(codes[skel_at], pa.int64())), " ")),
        "name_joined": _join(offsets, key_texts, ""),
        "skel_joined": joined,
        "alias_skels": np.array([[s] if s else None for s in joined.to_pylist()] + [0], dtype=object)[:-1],
        "has_aliases": np.zeros(n, dtype=bool),
        "is_placeholder": np.zeros(n, dtype=bool),
        "honorific": pa.nulls(n, pa.string()),
    }
    part_of_key = _part_numbers(parts, keys, _distinct(np.concatenate([codes[starts], codes[starts + lengths - 1]]),
                                                         len(tokens)))
    none = parts.of_key("")
    last_part = np.where(lengths > 1, part_of_key[codes[starts + lengths - 1]], none) if n else np.zeros(0, np.int64)
    return _Wholes(columns, part_of_key[codes[starts]] if n else np.zeros(0, np.int64), last_part)


def _distinct(codes: np.ndarray, count: int) -> np.ndarray:
    """The codes met, in increasing order (``np.unique`` of codes below ``count``, without a sort)."""
    return np.flatnonzero(np.bincount(codes, minlength=count))


def _token_texts(tokens: list[PlainToken | None], used: np.ndarray, field: object) -> pa.Array:
    """One field of the used words' tokens, by word code ("" for words not used)."""
    texts = [""] * len(tokens)
    for i in used.tolist():
        texts[i] = field(tokens[i])  # type: ignore[operator]
    return pa.array(texts, pa.string())


def _ranks(texts: pa.Array) -> np.ndarray:
    """Each text's place in Python's order of text (by code point, as UTF-8 bytes sort)."""
    ranks = np.zeros(len(texts), dtype=np.int64)
    order = pc.sort_indices(texts).to_numpy()
    ranks[order] = np.arange(len(texts))
    return ranks


def _joined_skeletons(tokens: list[PlainToken | None], used: np.ndarray, codes: np.ndarray, name_of: np.ndarray,
                      starts: np.ndarray, lengths: np.ndarray) -> pa.Array:
    """``collapse_joined`` of each name's skeletons among others (its one skeleton alone when it
    has one word), null where empty: a skeleton loses its first letter when that letter ends the
    last non-empty skeleton before it in the name."""
    among = [""] * len(tokens)
    for i in used.tolist():
        among[i] = tokens[i].skeleton_among  # type: ignore[union-attr]
    alone = [t.skeleton_alone if t is not None else "" for t in tokens]
    first = np.array([ord(s[0]) if s else -1 for s in among], dtype=np.int64)
    last = np.array([ord(s[-1]) if s else -2 for s in among], dtype=np.int64)
    # Three forms of each word: among others, without its first letter, alone.
    forms = pa.array(list(itertools.chain.from_iterable(zip(among, [s[1:] for s in among], alone, strict=True))),
                     pa.string())
    place = np.arange(len(codes))
    filled = np.where(first[codes] >= 0, place, -1)
    before = np.concatenate([[-1], np.maximum.accumulate(filled)[:-1]]) if len(codes) else filled
    in_name = before >= starts[name_of]
    drops = in_name & (first[codes] >= 0) & (first[codes] == last[codes[np.maximum(before, 0)]])
    form = np.where(lengths[name_of] == 1, 2, drops.astype(np.int64))
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    return _or_null(_join(offsets, forms.take(pa.array(codes * 3 + form, pa.int64())), ""))


def _part_numbers(parts: _PartColumns, keys: pa.Array, used: np.ndarray) -> np.ndarray:
    numbers = np.full(len(keys), -1, dtype=np.int64)
    texts = keys.to_pylist()
    for i in used.tolist():
        numbers[i] = parts.of_key(texts[i])
    return numbers


def _join(offsets: np.ndarray, texts: pa.Array, separator: str) -> pa.Array:
    return pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), texts), separator)


def _or_null(texts: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(texts, ""), pa.scalar(None, pa.string()), texts)


def _slow_wholes(memo: NameMemo, parts: _PartColumns, names: list[tuple[str, bool, list[str]]]) -> _Wholes:
    """``whole_name_columns`` name by name: (text, whether a full name, its aliases)."""
    heads, tails, first, last = [], [], [], []
    for text, is_full, aliases in names:
        head, tail, tokens = whole_name_columns(memo, text, is_full, aliases)
        heads.append(head)
        tails.append(tail)
        first.append(parts.of_key(tokens[0] if tokens else ""))
        last.append(parts.of_key(tokens[-1] if len(tokens) > 1 else ""))
    columns: dict[str, pa.Array | np.ndarray] = {
        c: pa.array([h[i] for h in heads], pa.string()) for i, c in enumerate(HEAD_COLUMNS)}
    columns["alias_skels"] = np.array([t[0] for t in tails] + [0], dtype=object)[:-1]
    columns["has_aliases"] = np.array([has_aliases(t[0], h[5]) for h, t in zip(heads, tails, strict=True)],  # type: ignore[arg-type]
                                      dtype=bool)
    columns["is_placeholder"] = np.array([t[1] for t in tails], dtype=bool)
    columns["honorific"] = pa.array([t[2] for t in tails], pa.string())
    return _Wholes(columns, np.array(first, dtype=np.int64), np.array(last, dtype=np.int64))


def _concat_wholes(a: _Wholes, b: _Wholes) -> _Wholes:
    columns: dict[str, pa.Array | np.ndarray] = {}
    for c, values in a.columns.items():
        other = b.columns[c]
        columns[c] = (np.concatenate([values, other]) if isinstance(values, np.ndarray)
                      else pa.concat_arrays([values, other]))
    return _Wholes(columns, np.concatenate([a.first_part, b.first_part]),
                   np.concatenate([a.last_part, b.last_part]))
