"""Constrained clustering for capture–recapture: dedupe within each list, then link across lists
with at most one (deduplicated) record group per list per person.

Greedy agglomeration in decreasing match probability (as in HRDAG's practice and
shared/LINKAGE_NOTES.md): connected components chain unrelated people into giant clusters at
scale, while the one-per-list constraint stops a chain from absorbing a second person of the
same list, and a merge is refused when any record of one group was scored as clearly not matching
(probability below ``contradiction``) a record of the other, so a chain cannot join two people the
model itself tells apart. Reviewer decisions are constraints: must-links are merged first,
cannot-links block.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


class _Clusters:
    def __init__(self, uids: Iterable[str], sources: dict[str, str]) -> None:
        self.parent = {u: u for u in uids}
        self.members = {u: {u} for u in self.parent}
        self.lists = {u: {sources[u]} for u in self.parent}
        self.blocked: dict[str, set[str]] = {u: set() for u in self.parent}

    def find(self, u: str) -> str:
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


def constrained_clusters(records: pd.DataFrame, pairs: pd.DataFrame, *, threshold: float,
                         decisions: pd.DataFrame | None = None, contradiction: float = 0.5) -> pd.DataFrame:
    """Assign a person to every record; ``person_id`` is stable (numbered by smallest record_uid)."""
    sources = dict(zip(records["record_uid"], records["source"], strict=True))
    c = _Clusters(records["record_uid"], sources)
    if decisions is not None and len(decisions):
        for uid_l, uid_r, decision in decisions[["uid_l", "uid_r", "decision"]].itertuples(index=False):
            if uid_l in sources and uid_r in sources:
                if decision == "match":
                    c.merge(uid_l, uid_r)
                elif decision == "non-match":
                    c.block(uid_l, uid_r)
    low: dict[str, set[str]] = {}
    weak = pairs[pairs["match_probability"] < contradiction]
    for uid_l, uid_r in weak[["uid_l", "uid_r"]].itertuples(index=False):
        low.setdefault(uid_l, set()).add(uid_r)
        low.setdefault(uid_r, set()).add(uid_l)
    auto = pairs[(pairs["match_probability"] >= threshold)
                 & ~pairs["is_placeholder_l"].astype(bool) & ~pairs["is_placeholder_r"].astype(bool)]
    auto = auto.sort_values(["match_probability", "uid_l", "uid_r"], ascending=[False, True, True])
    same = auto["source_dataset_l"] == auto["source_dataset_r"]
    for uid_l, uid_r in auto.loc[same, ["uid_l", "uid_r"]].itertuples(index=False):
        if c.can_merge(uid_l, uid_r, one_per_list=False) and not c.contradicted(uid_l, uid_r, low):
            c.merge(uid_l, uid_r)
    for uid_l, uid_r in auto.loc[~same, ["uid_l", "uid_r"]].itertuples(index=False):
        if c.can_merge(uid_l, uid_r, one_per_list=True) and not c.contradicted(uid_l, uid_r, low):
            c.merge(uid_l, uid_r)
    roots = {u: c.find(u) for u in records["record_uid"]}
    first: dict[str, str] = {}
    for uid in sorted(roots):
        first.setdefault(roots[uid], uid)
    numbering = {root: f"P{i + 1:06d}" for i, root in enumerate(sorted(first, key=first.__getitem__))}
    out = records[["record_uid", "source", "record_id"]].copy()
    out["person_id"] = [numbering[roots[u]] for u in out["record_uid"]]
    return out.reset_index(drop=True)
