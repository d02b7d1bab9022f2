"""Constrained clustering for capture–recapture: dedupe within each list, then link across lists
with at most one (deduplicated) record group per list per person.

Greedy agglomeration in decreasing match probability (as in HRDAG's practice and
shared/LINKAGE_NOTES.md): connected components chain unrelated people into giant clusters at
scale, while the one-per-list constraint stops a chain from absorbing a second person of the
same list, and a merge is refused when any record of one group was scored as clearly not matching
(probability below ``contradiction``) a record of the other, so a chain cannot join two people the
model itself tells apart. Reviewer decisions are constraints: must-links are merged first,
cannot-links block.

Records are numbered and the merging runs compiled (numba) over those numbers; only which records
end up together matters, so any union–find gives the same people.
"""

from __future__ import annotations

import numba
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def constrained_clusters(records: pd.DataFrame, pairs: pd.DataFrame, *, threshold: float,
                         decisions: pd.DataFrame | None = None, contradiction: float = 0.5) -> pd.DataFrame:
    """Assign a person to every record; ``person_id`` is stable (numbered by smallest record_uid)."""
    # Each record id's place in text order (Arrow sorts the text): sorting on it sorts on the ids.
    in_order = records["record_uid"].reset_index(drop=True).argsort(kind="stable").to_numpy()
    rank = np.empty(len(in_order), dtype=np.int64)
    rank[in_order] = np.arange(len(in_order))
    uids = _RecordNumbers(records["record_uid"], in_order)
    source_codes, _ = pd.factorize(records["source"].astype(object), use_na_sentinel=False)
    must, cannot = _decided_pairs(uids, decisions)
    numbers = _numbers(uids, pairs)
    probability = pairs["match_probability"].to_numpy()
    auto = ((probability >= threshold) & ~pairs["is_placeholder_l"].astype(bool).to_numpy()
            & ~pairs["is_placeholder_r"].astype(bool).to_numpy())
    left, right, is_cross = _in_merge_order(
        numbers[:, auto], rank, pairs.loc[auto, ["source_dataset_l", "source_dataset_r", "match_probability"]])
    weak = numbers[:, probability < contradiction]
    conflicts = np.concatenate([weak[:, (weak >= 0).all(axis=0)], cannot], axis=1)
    neighbour_start, neighbours = _adjacency(conflicts, len(uids))
    roots = _merge(len(uids), source_codes.astype(np.int64), must, left, right, is_cross,
                   neighbour_start, neighbours)
    out = records[["record_uid", "source", "record_id"]].copy()
    out["person_id"] = _person_ids(rank, roots)
    return out.reset_index(drop=True)


class _RecordNumbers:
    """Record ids to row numbers of ``records`` (-1 for an id not among them)."""

    def __init__(self, record_uids: pd.Series, in_order: np.ndarray) -> None:
        self.size = len(record_uids)
        self.uids = record_uids
        # Arrow looks text up in compiled code; other ids, or ids that repeat (which pandas
        # refuses), go through pandas.
        self.texts = _as_text(record_uids)
        if self.texts is not None and self.size > 1:
            ordered = self.texts.take(pa.array(in_order))
            if pc.any(pc.equal(ordered.slice(1), ordered.slice(0, self.size - 1))).as_py():
                self.texts = None
        self.index: pd.Index | None = None

    def __len__(self) -> int:
        return self.size

    def of(self, *columns: pd.Series) -> np.ndarray:
        """Row numbers of the ids in each column: one row per column."""
        texts = [_as_text(c) for c in columns] if self.texts is not None else [None]
        if any(t is None for t in texts):
            if self.index is None:
                self.index = pd.Index(self.uids.astype(object))
            return np.stack([np.asarray(self.index.get_indexer(c.astype(object)), dtype=np.int64)
                             for c in columns])
        found = pc.index_in(pa.chunked_array(texts), value_set=self.texts)
        return pc.fill_null(found, -1).to_numpy().astype(np.int64).reshape(len(columns), -1)


def _as_text(ids: pd.Series) -> pa.Array | None:
    """The ids as Arrow text when they are text with nothing missing, else None."""
    if not isinstance(ids.dtype, pd.StringDtype) or ids.isna().any():
        return None
    texts = pa.array(ids.array)
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    return texts.cast(pa.large_string())


def _numbers(uids: _RecordNumbers, pairs: pd.DataFrame) -> np.ndarray:
    """The pairs' records as row numbers of ``records``: a 2 × n array."""
    return uids.of(pairs["uid_l"], pairs["uid_r"])


def _decided_pairs(uids: _RecordNumbers, decisions: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """Must-link and cannot-link pairs between known records, in the order decided."""
    empty = np.zeros((2, 0), dtype=np.int64)
    if decisions is None or not len(decisions):
        return empty, empty
    both = _numbers(uids, decisions)
    known = (both >= 0).all(axis=0)
    kind = decisions["decision"].to_numpy()
    return both[:, known & (kind == "match")], both[:, known & (kind == "non-match")]


def _in_merge_order(numbers: np.ndarray, rank: np.ndarray, auto: pd.DataFrame,
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Within-list pairs, then across lists, each by decreasing probability, ties by record ids."""
    left, right = numbers
    if (left < 0).any() or (right < 0).any():
        raise ValueError("a pair above the threshold names a record_uid that is not among the records")
    is_cross = _differ(auto["source_dataset_l"], auto["source_dataset_r"])
    order = np.lexsort((rank[right], rank[left], -auto["match_probability"].to_numpy(dtype=np.float64),
                        is_cross))
    return left[order], right[order], is_cross[order]


def _differ(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Where two columns of lists differ; on their codes when they share categories."""
    if isinstance(a.dtype, pd.CategoricalDtype) and a.dtype == b.dtype and a.notna().all() and b.notna().all():
        return np.asarray(a.cat.codes.to_numpy() != b.cat.codes.to_numpy())
    return np.asarray((a.astype(object) != b.astype(object)).to_numpy(), dtype=bool)


def _adjacency(edges: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Both directions of each edge as compressed rows: record i's neighbours are
    ``neighbours[start[i]:start[i + 1]]``."""
    tails = np.concatenate([edges[0], edges[1]])
    heads = np.concatenate([edges[1], edges[0]])
    order = np.argsort(tails, kind="stable")
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=n), out=start[1:])
    return start, heads[order]


def _person_ids(rank: np.ndarray, roots: np.ndarray) -> pd.api.extensions.ExtensionArray | list[str]:
    """P000001… numbered in the order of each person's smallest record id."""
    n = len(rank)
    first = np.full(n, n, dtype=np.int64)
    np.minimum.at(first, roots, rank)
    people = np.flatnonzero(first < n)
    number = np.empty(n, dtype=np.int64)
    number[people[np.argsort(first[people])]] = np.arange(1, len(people) + 1)
    if not n:
        return []
    digits = pc.utf8_lpad(pa.array(number[roots]).cast(pa.string()), 6, "0")
    return pc.binary_join_element_wise("P", digits, "").to_pandas().array


@numba.njit(cache=True)
def _find(parent: np.ndarray, u: int) -> int:
    root = u
    while parent[root] != root:
        root = parent[root]
    while parent[u] != root:
        up = parent[u]
        parent[u] = root
        u = up
    return root


@numba.njit(cache=True)
def _join(parent: np.ndarray, size: np.ndarray, first: np.ndarray, last: np.ndarray, following: np.ndarray,
          lists: np.ndarray, big: int, small: int) -> None:
    """Union by size; each group keeps its members as a linked list and its lists as bits."""
    if size[big] < size[small]:
        big, small = small, big
    parent[small] = big
    size[big] += size[small]
    following[last[big]] = first[small]
    last[big] = last[small]
    for w in range(lists.shape[1]):
        lists[big, w] |= lists[small, w]


@numba.njit(cache=True)
def _share_a_list(lists: np.ndarray, ra: int, rb: int) -> bool:
    for w in range(lists.shape[1]):
        if lists[ra, w] & lists[rb, w]:
            return True
    return False


@numba.njit(cache=True)
def _in_conflict(parent: np.ndarray, size: np.ndarray, first: np.ndarray, following: np.ndarray,
                 start: np.ndarray, neighbours: np.ndarray, ra: int, rb: int) -> bool:
    """True when a cannot-link or a clearly-non-matching pair joins the two groups."""
    small, other = (ra, rb) if size[ra] <= size[rb] else (rb, ra)
    u = first[small]
    while u != -1:
        for k in range(start[u], start[u + 1]):
            if _find(parent, neighbours[k]) == other:
                return True
        u = following[u]
    return False


@numba.njit(cache=True)
def _merge(n: int, source_codes: np.ndarray, must: np.ndarray, left: np.ndarray, right: np.ndarray,
           is_cross: np.ndarray, start: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """Every record's group root after the must-links and then the greedy merges."""
    parent = np.arange(n)
    size = np.ones(n, dtype=np.int64)
    first = np.arange(n)
    last = np.arange(n)
    following = np.full(n, -1, dtype=np.int64)
    words = (source_codes.max() // 64 + 1) if n else 1
    lists = np.zeros((n, words), dtype=np.uint64)
    for i in range(n):
        lists[i, source_codes[i] // 64] = np.uint64(1) << np.uint64(source_codes[i] % 64)
    for k in range(must.shape[1]):
        ra, rb = _find(parent, must[0, k]), _find(parent, must[1, k])
        if ra != rb:
            _join(parent, size, first, last, following, lists, ra, rb)
    for k in range(len(left)):
        ra, rb = _find(parent, left[k]), _find(parent, right[k])
        if ra == rb or (is_cross[k] and _share_a_list(lists, ra, rb)):
            continue
        if not _in_conflict(parent, size, first, following, start, neighbours, ra, rb):
            _join(parent, size, first, last, following, lists, ra, rb)
    roots = np.empty(n, dtype=np.int64)
    for i in range(n):
        roots[i] = _find(parent, i)
    return roots
