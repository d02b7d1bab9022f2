"""Suppression and the rows every output shares."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from shomar.estimate import CaptureTable
from shomar.report import tables
from tests.report.conftest import make_data


@given(count=st.integers(0, 10_000), threshold=st.integers(1, 20))
def test_suppress_never_prints_a_small_nonzero_count(count: int, threshold: int) -> None:
    shown = tables.suppress(count, threshold)
    if 0 < count < threshold:
        assert shown == f"<{threshold}"
    else:
        assert int(shown.replace(",", "")) == count


@settings(max_examples=40, deadline=None)
@given(counts=st.lists(st.integers(0, 50), min_size=7, max_size=7), threshold=st.integers(1, 10))
def test_patterns_cover_every_cell_and_hide_exactly_the_small_ones(counts: list[int], threshold: int) -> None:
    patterns = [[int(b) for b in f"{i:03b}"] for i in range(1, 8)]
    keep = [i for i, c in enumerate(counts) if c > 0] or [0]
    table = CaptureTable.from_arrays([patterns[i] for i in keep], [max(counts[i], 1) for i in keep],
                                     ["a", "b", "c"])
    rows = tables.patterns(make_data(capture_table=table, suppress_below=threshold))
    assert [r["pattern"] for r in rows] == [f"{i:03b}" for i in range(1, 8)]
    cells = table.cells()
    for row in rows:
        true = int(cells[int(row["pattern"], 2)])
        assert (row["count"] is None) == (0 < true < threshold)
        if row["count"] is not None:
            assert row["count"] == true
    if threshold == 1:
        assert sum(r["count"] for r in rows) == table.n_observed


def test_overlap_diagonal_is_people_per_list_and_matrix_is_symmetric() -> None:
    data = make_data(suppress_below=1)
    matrix = tables.overlaps(data)
    assert [matrix[i][i] for i in range(3)] == ["157", "106", "108"]  # 120+3+25+9, 80+3+14+9, 60+25+14+9
    assert np.array_equal(np.array(matrix), np.array(matrix).T)


def test_assumptions_name_all_four_and_independence_model_needs_them_all() -> None:
    data = make_data()
    needs = [tables.assumptions(e) for e in data.estimates]
    assert all(list(a) == list(tables.ASSUMPTION_NAMES) for a in needs)
    assert set(needs[1].values()) == {tables.NEEDED}  # the independence model relaxes nothing
    assert needs[2]["homogeneity"] != tables.NEEDED and needs[2]["closed population"] == tables.NEEDED


def test_spread_is_the_ratio_of_extreme_points() -> None:
    assert abs(tables.spread(make_data()) - 3650 / 2100) < 1e-12
