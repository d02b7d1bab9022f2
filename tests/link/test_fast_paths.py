"""The array-at-a-time paths give what their plain definitions give: blocking counts against
pandas grouping, diagnostics against the join on record ids, clusters whatever the ids' dtype."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from shomar.link.blocking import pairs_per_rule, rule_sides
from shomar.link.cluster import constrained_clusters
from shomar.link.diagnostics import cluster_diagnostics


def _reference_pairs_per_rule(features: pd.DataFrame, rules: tuple[str, ...]) -> list[int]:
    """Pair counts by pandas grouping (the definition the coded counts must equal)."""
    counts = []
    for rule in rules:
        left, right = rule_sides(rule)
        sizes = features.dropna(subset=left).groupby(left).size()
        if left == right:
            counts.append(int((sizes * (sizes - 1) // 2).sum()))
            continue
        other = features.dropna(subset=right).groupby(right).size()
        other.index.names = sizes.index.names
        itself = (features[left].to_numpy() == features[right].to_numpy()).all(axis=1)
        itself &= features[left].notna().all(axis=1).to_numpy()
        counts.append(int((sizes * other.reindex(sizes.index, fill_value=0)).sum()) - int(itself.sum()))
    return counts


RULES = ("l.a = r.a", "l.a = r.a and l.year = r.year", "l.b = r.a", "l.b = r.b and l.year = r.year",
         "l.a = r.b and l.year = r.year", "l.year = r.year")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["x", "y", "z", None]), st.sampled_from(["x", "y", None]),
                          st.sampled_from([2020, 2021, None])), max_size=30))
def test_coded_blocking_counts_equal_grouped_ones(rows: list[tuple]) -> None:
    features = pd.DataFrame(rows, columns=["a", "b", "year"]).astype({"a": "str", "b": object, "year": object})
    assert pairs_per_rule(features, RULES) == _reference_pairs_per_rule(features, RULES)
    symmetric = tuple(r for r in RULES if "l.b = r.a" not in r and "l.a = r.b" not in r)
    with_integers = features.astype({"year": "Int64"})
    assert pairs_per_rule(with_integers, symmetric) == _reference_pairs_per_rule(with_integers, symmetric)


def _clustered(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    records = pd.DataFrame({
        "record_uid": [f"s{i % 3}/{i}" for i in range(n)], "source": [f"s{i % 3}" for i in range(n)],
        "date_start": rng.choice(["2022-09-21", "2022-10-02", "2022-09-22", None], n),
        "date_precision": rng.choice(["day", "year"], n)})
    clusters = pd.DataFrame({"record_uid": records["record_uid"],
                             "person_id": [f"P{p:06d}" for p in rng.integers(0, n // 3 + 1, n)]})
    return records, clusters


def test_diagnostics_read_side_by_side_equal_those_joined_on_ids() -> None:
    records, clusters = _clustered(300, seed=5)
    side_by_side = cluster_diagnostics(clusters, records)
    shuffled = clusters.sample(frac=1.0, random_state=2)  # not in the records' order: joined
    assert cluster_diagnostics(shuffled, records) == side_by_side
    assert side_by_side["conflicting_dates"] and side_by_side["oversized"]


def test_clusters_do_not_depend_on_how_ids_are_stored() -> None:
    records = pd.DataFrame({"record_uid": ["a/2", "a/1", "b/1", "b/2"], "source": ["a", "a", "b", "b"],
                            "record_id": ["2", "1", "1", "2"]})
    pairs = pd.DataFrame({"uid_l": ["a/1", "a/2", "a/1"], "uid_r": ["b/1", "b/2", "a/2"],
                          "match_probability": [0.99, 0.95, 0.2], "source_dataset_l": ["a", "a", "a"],
                          "source_dataset_r": ["b", "b", "a"], "is_placeholder_l": False, "is_placeholder_r": False})
    text = constrained_clusters(records, pairs, threshold=0.9)
    as_objects = constrained_clusters(records.astype({"record_uid": object}),
                                      pairs.astype({"uid_l": object, "uid_r": object}), threshold=0.9)
    lists = pd.CategoricalDtype(["a", "b"])
    coded = constrained_clusters(records, pairs.astype({"source_dataset_l": lists, "source_dataset_r": lists}),
                                 threshold=0.9)
    pd.testing.assert_frame_equal(text, as_objects.astype({"record_uid": "str", "person_id": "str"}))
    pd.testing.assert_frame_equal(text, coded)
    assert text["person_id"].tolist() == ["P000002", "P000001", "P000001", "P000002"]
