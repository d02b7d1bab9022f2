"""The capture table built from a known linkage: each person counted once, on every list holding them."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shomar.errors import ShomarError
from shomar.pipeline import capture_table_from_links


def _links(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["source", "record_id", "person_id"])


def test_known_linkage_gives_known_patterns() -> None:
    # P1 on a and b (twice on a: a within-list duplicate), P2 only on c, P3 on a, b and c, P4 on b.
    links = _links([
        ("a", "1", "P1"), ("a", "2", "P1"), ("b", "9", "P1"),
        ("c", "5", "P2"),
        ("a", "3", "P3"), ("b", "7", "P3"), ("c", "6", "P3"),
        ("b", "8", "P4"),
    ])
    table = capture_table_from_links(links, sources=["a", "b", "c"])
    counts = {tuple(int(v) for v in p): int(c) for p, c in zip(table.patterns, table.counts, strict=True)}
    assert table.list_names == ("a", "b", "c")
    assert counts == {(1, 1, 0): 1, (0, 0, 1): 1, (1, 1, 1): 1, (0, 1, 0): 1}
    assert table.n_observed == 4
    assert table.list_sizes() == {"a": 2, "b": 3, "c": 2}


def test_a_list_with_no_linked_person_is_an_all_zero_column_kept_in_order() -> None:
    links = _links([("b", "1", "P1"), ("a", "2", "P2")])
    table = capture_table_from_links(links, sources=["a", "b", "z"])
    assert table.list_names == ("a", "b", "z")
    assert table.list_sizes()["z"] == 0


def test_records_from_an_unknown_list_are_refused() -> None:
    with pytest.raises(ShomarError, match="not among the lists"):
        capture_table_from_links(_links([("x", "1", "P1")]), sources=["a", "b"])


def test_strata_put_each_person_in_the_stratum_most_of_their_records_give() -> None:
    links = _links([("a", "1", "P1"), ("b", "2", "P1"), ("b", "3", "P1"), ("a", "4", "P2")])
    links["province"] = ["Tehran", "Kurdistan", "Kurdistan", ""]
    table = capture_table_from_links(links, sources=["a", "b"], strata=["province"])
    by_stratum = {k: t.n_observed for k, t in table.split().items()}
    assert by_stratum == {("Kurdistan",): 1, ("unknown",): 1}


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 30)), min_size=1, max_size=80))
def test_every_person_counted_once_and_list_sizes_match(pairs: list[tuple[str, int]]) -> None:
    links = _links([(s, str(i), f"P{p}") for i, (s, p) in enumerate(pairs)])
    table = capture_table_from_links(links, sources=["a", "b", "c"])
    assert table.n_observed == links["person_id"].nunique()
    for name, size in table.list_sizes().items():
        assert size == links.loc[links["source"] == name, "person_id"].nunique()
