"""The compiled constrained clustering gives the very clusters of the pure-Python one."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from shomar.link.cluster import constrained_clusters
from tests.link.cluster_reference import reference_clusters

# Few probabilities, so that ties (broken by record ids) are common.
PROBABILITIES = [0.05, 0.3, 0.5, 0.7, 0.9, 0.95, 0.95, 0.99, 1.0]


@st.composite
def linkage(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    n = draw(st.integers(1, 25))
    sources = draw(st.lists(st.sampled_from(["fa", "en", "news"]), min_size=n, max_size=n))
    # Ids whose text order differs from their row order.
    uids = [f"{s}/{draw(st.integers(0, 999))}-{i}" for i, s in enumerate(sources)]
    records = pd.DataFrame({"record_uid": uids, "source": sources, "record_id": [u[-6:] for u in uids]})
    ends = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1])
    edges = draw(st.lists(st.tuples(ends, st.sampled_from(PROBABILITIES), st.booleans()), max_size=60))
    pairs = pd.DataFrame({
        "uid_l": [uids[a] for (a, _), _, _ in edges], "uid_r": [uids[b] for (_, b), _, _ in edges],
        "match_probability": [p for _, p, _ in edges],
        "source_dataset_l": [sources[a] for (a, _), _, _ in edges],
        "source_dataset_r": [sources[b] for (_, b), _, _ in edges],
        "is_placeholder_l": [flag for _, _, flag in edges], "is_placeholder_r": False,
    }, columns=["uid_l", "uid_r", "match_probability", "source_dataset_l", "source_dataset_r",
                "is_placeholder_l", "is_placeholder_r"])
    decided = draw(st.lists(st.tuples(ends, st.sampled_from(["match", "non-match", "unsure"])), max_size=6))
    decisions = pd.DataFrame({"uid_l": [uids[a] for (a, _), _ in decided] + ["gone/1"],
                              "uid_r": [uids[b] for (_, b), _ in decided] + [uids[0]],
                              "decision": [d for _, d in decided] + ["match"]})
    return records, pairs, decisions if draw(st.booleans()) else None


@settings(max_examples=400, deadline=None)
@given(linkage(), st.sampled_from([0.5, 0.9, 0.95]))
def test_compiled_clusters_equal_the_pure_python_ones(case: tuple, threshold: float) -> None:
    records, pairs, decisions = case
    pd.testing.assert_frame_equal(
        constrained_clusters(records, pairs, threshold=threshold, decisions=decisions),
        reference_clusters(records, pairs, threshold=threshold, decisions=decisions))
