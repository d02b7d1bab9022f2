"""The pure-Python constrained clustering that ``shomar.link.cluster`` replaced: the oracle its
compiled version must equal, record for record (tests/link/test_cluster.py)."""

from __future__ import annotations

import gc

import pandas as pd


class _Clusters:
    """Union–find over the records that take part in a merge or a decision; every other record
    is its own person and never gets an entry (a million records, a few hundred thousand merged)."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources
        self.parent: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.lists: dict[str, set[str]] = {}
        self.blocked: dict[str, set[str]] = {}

    def find(self, u: str) -> str:
        if u not in self.parent:
            self.parent[u] = u
            self.members[u] = {u}
            self.lists[u] = {self.sources[u]}
            self.blocked[u] = set()
            return u
        root = u
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[u] != root:
            self.parent[u], u = root, self.parent[u]
        return root

    def can_merge(self, a: str, b: str, *, one_per_list: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if any(self.find(x) == rb for x in self.blocked[ra]):
            return False
        return not (one_per_list and self.lists[ra] & self.lists[rb])

    def contradicted(self, a: str, b: str, low: dict[str, set[str]]) -> bool:
        """True when some record of one cluster was scored as clearly not matching the other's."""
        ra, rb = self.find(a), self.find(b)
        small, other = (ra, rb) if len(self.members[ra]) <= len(self.members[rb]) else (rb, ra)
        members = self.members[other]
        return any(x in members for u in self.members[small] for x in low.get(u, ()))

    def merge(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        self.lists[ra] |= self.lists.pop(rb)
        self.blocked[ra] |= self.blocked.pop(rb)

    def block(self, a: str, b: str) -> None:
        self.blocked[self.find(a)].add(b)
        self.blocked[self.find(b)].add(a)


def reference_clusters(records: pd.DataFrame, pairs: pd.DataFrame, *, threshold: float,
                         decisions: pd.DataFrame | None = None, contradiction: float = 0.5) -> pd.DataFrame:
    """Assign a person to every record; ``person_id`` is stable (numbered by smallest record_uid)."""
    # Millions of small sets: the cyclic garbage collector would rescan them all again and again.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _cluster(records, pairs, threshold, decisions, contradiction)
    finally:
        if gc_was_enabled:
            gc.enable()


def _cluster(records: pd.DataFrame, pairs: pd.DataFrame, threshold: float,
             decisions: pd.DataFrame | None, contradiction: float) -> pd.DataFrame:
    uids = records["record_uid"].astype(object).tolist()
    sources = dict(zip(uids, records["source"].astype(object).tolist(), strict=True))
    c = _Clusters(sources)
    if decisions is not None and len(decisions):
        for uid_l, uid_r, decision in decisions[["uid_l", "uid_r", "decision"]].itertuples(index=False):
            if uid_l in sources and uid_r in sources:
                if decision == "match":
                    c.merge(uid_l, uid_r)
                elif decision == "non-match":
                    c.block(uid_l, uid_r)
    auto = pairs[(pairs["match_probability"] >= threshold)
                 & ~pairs["is_placeholder_l"].astype(bool) & ~pairs["is_placeholder_r"].astype(bool)]
    # A contradiction can only stop a merge between records in groups an auto pair or a reviewer's
    # must-link formed; other low pairs need no memory.
    ends = [auto["uid_l"].astype(object), auto["uid_r"].astype(object)]
    if decisions is not None and len(decisions):
        ends += [decisions["uid_l"].astype(object), decisions["uid_r"].astype(object)]
    touched = pd.Index(pd.concat(ends).unique())
    low: dict[str, set[str]] = {}
    weak = pairs[pairs["match_probability"] < contradiction]
    weak = weak[weak["uid_l"].isin(touched) & weak["uid_r"].isin(touched)]
    for uid_l, uid_r in zip(weak["uid_l"].tolist(), weak["uid_r"].tolist(), strict=True):
        low.setdefault(uid_l, set()).add(uid_r)
        low.setdefault(uid_r, set()).add(uid_l)
    auto = auto.sort_values(["match_probability", "uid_l", "uid_r"], ascending=[False, True, True])
    same = (auto["source_dataset_l"].astype(object) == auto["source_dataset_r"].astype(object)).to_numpy()
    ls, rs = auto["uid_l"].astype(object).to_numpy(), auto["uid_r"].astype(object).to_numpy()
    for one_per_list, chosen in ((False, same), (True, ~same)):
        for uid_l, uid_r in zip(ls[chosen].tolist(), rs[chosen].tolist(), strict=True):
            if c.can_merge(uid_l, uid_r, one_per_list=one_per_list) and not c.contradicted(uid_l, uid_r, low):
                c.merge(uid_l, uid_r)
    roots = [c.find(u) if u in c.parent else u for u in uids]
    first: dict[str, str] = {}
    for root, uid in sorted(zip(roots, uids, strict=True), key=lambda pair: pair[1]):
        first.setdefault(root, uid)
    numbering = {root: f"P{i + 1:06d}" for i, root in enumerate(sorted(first, key=first.__getitem__))}
    out = records[["record_uid", "source", "record_id"]].copy()
    out["person_id"] = [numbering[r] for r in roots]
    return out.reset_index(drop=True)
