"""What the blocking rules cost and what they keep: candidate pairs per rule, recall on labels,
and a refusal when a configuration would score more pairs than the budget allows.

Every rule is a conjunction of equalities on derived columns (``l.x = r.x and l.y = r.y``), so the
pairs a rule generates are counted exactly from group sizes, without building them.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from shomar.errors import LinkError
from shomar.link.settings import LinkSettings


def rule_sides(rule: str) -> tuple[list[str], list[str]]:
    """The columns a rule equates, left side and right side (the same unless a rule compares one
    column with another, e.g. a record's other name with the other record's name)."""
    columns = re.findall(r"l\.(\w+)\s*=\s*r\.(\w+)", rule)
    if not columns:
        raise LinkError(f"blocking rule {rule!r}: write equalities like l.name_key = r.name_key")
    return [a for a, _ in columns], [b for _, b in columns]


def rule_columns(rule: str) -> list[str]:
    left, right = rule_sides(rule)
    return list(dict.fromkeys([*left, *right]))


def pairs_per_rule(features: pd.DataFrame, rules: tuple[str, ...]) -> list[int]:
    codes = _GroupCodes(features)
    counts = []
    for rule in rules:
        left, right = rule_sides(rule)
        if left == right:
            sizes = _sizes(codes.of(left))
            counts.append(int((sizes * (sizes - 1) // 2).sum()))
            continue
        # Ordered pairs across two columns, less each record paired with itself (a record's other
        # name usually has its name's skeleton).
        on_left, on_right = codes.across(left, right)
        groups = int(max(on_left.max(initial=-1), on_right.max(initial=-1))) + 1
        itself = int(((on_left == on_right) & (on_left >= 0)).sum())
        counts.append(int((_sizes(on_left, groups) * _sizes(on_right, groups)).sum()) - itself)
    return counts


def _sizes(groups: np.ndarray, minlength: int = 0) -> np.ndarray:
    """Records per group, leaving out those with a missing value (group -1)."""
    return np.bincount(groups[groups >= 0], minlength=minlength).astype(np.int64)


class _GroupCodes:
    """Each record's group under equality on some columns (-1 where one of them is missing),
    from the columns' codes, each column coded once."""

    def __init__(self, features: pd.DataFrame) -> None:
        self.features = features
        self.columns: dict[str, tuple[np.ndarray, int]] = {}

    def of(self, columns: list[str]) -> np.ndarray:
        return _combined([self._codes(c) for c in columns])

    def across(self, left: list[str], right: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Groups of the left columns' values and of the right ones', in one numbering."""
        n = len(self.features)
        pairs = []
        for a, b in zip(left, right, strict=True):
            both = pd.concat([self.features[a].astype(object), self.features[b].astype(object)], ignore_index=True)
            codes, distinct = pd.factorize(both)
            pairs.append((codes.astype(np.int64), len(distinct)))
        joint = _combined(pairs)
        return joint[:n], joint[n:]

    def _codes(self, column: str) -> tuple[np.ndarray, int]:
        found = self.columns.get(column)
        if found is None:
            codes, distinct = pd.factorize(self.features[column])
            found = self.columns[column] = (codes.astype(np.int64), len(distinct))
        return found


def _combined(coded: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """One group number per row for the combination of several columns' codes."""
    groups = coded[0][0]
    for codes, distinct in coded[1:]:
        mixed = np.where((groups >= 0) & (codes >= 0), groups * distinct + codes, -1)
        renumbered, _ = pd.factorize(mixed)  # compact again, so the products stay small
        groups = np.where(mixed >= 0, renumbered, -1)
    return groups


def explain_blocking(features: pd.DataFrame, settings: LinkSettings,
                     labels: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per rule: pairs generated, and the share of labelled matches it keeps (cumulative)."""
    counts = pairs_per_rule(features, settings.blocking_rules)
    rows = [{"rule": r, "pairs": c} for r, c in zip(settings.blocking_rules, counts, strict=True)]
    if labels is not None and len(labels):
        matches = labels[labels["decision"] == "match"]
        indexed = features.set_index("unique_id")
        covered = pd.Series(False, index=matches.index)
        for row, rule in zip(rows, settings.blocking_rules, strict=True):
            a_cols, b_cols = rule_sides(rule)
            kept = pd.Series(False, index=matches.index)
            # Either record may be the left one of a rule equating two different columns.
            sides = (("uid_l", "uid_r"),) if a_cols == b_cols else (("uid_l", "uid_r"), ("uid_r", "uid_l"))
            for first, second in sides:
                left = indexed.reindex(matches[first])[a_cols].reset_index(drop=True)
                right = indexed.reindex(matches[second])[b_cols].reset_index(drop=True)
                right.columns = left.columns
                agree = (left == right).fillna(False) & left.notna() & right.notna()
                kept |= agree.all(axis=1).to_numpy(dtype=bool)
            covered |= kept
            row["recall_alone"] = float(kept.mean()) if len(kept) else float("nan")
            row["recall_cumulative"] = float(covered.mean()) if len(covered) else float("nan")
    return pd.DataFrame(rows)


def check_budget(features: pd.DataFrame, settings: LinkSettings) -> int:
    """Total candidate pairs (an upper bound: pairs shared by rules count once per rule)."""
    counts = pairs_per_rule(features, settings.blocking_rules)
    total = sum(counts)
    if total > settings.pair_budget:
        worst = max(range(len(counts)), key=counts.__getitem__)
        rule = settings.blocking_rules[worst]
        extra = next((c for c in ("date_year", "province_code", "sex", "birth_year", "date_start")
                      if c not in rule_columns(rule)), "given_skel")
        raise LinkError(
            f"the blocking rules would score about {total:,} pairs, over the budget of "
            f"{settings.pair_budget:,}; rule {rule!r} alone gives {counts[worst]:,}: add a column "
            f"to it (e.g. 'and l.{extra} = r.{extra}') or raise pair_budget in shomar.toml"
        )
    return total
