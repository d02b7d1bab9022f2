"""Graph averaging (Madigan & York 1997) against dga's documented 5-list example."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shomar.estimate import CaptureTable
from shomar.estimate.graph_average import GraphAverage
from shomar.estimate.graphs import decomposable_graphs

DATA = Path(__file__).parent.parent / "data" / "mse"


@pytest.fixture(scope="module")
def example() -> CaptureTable:
    return CaptureTable.from_csv(DATA / "dga_madigan_york_5lists_example.csv")


def test_number_of_decomposable_graphs() -> None:
    # OEIS A058862: labelled chordal graphs on n nodes.
    assert [len(decomposable_graphs(j)) for j in (3, 4, 5)] == [8, 61, 822]


def test_dga_example_reproduced_exactly(example: CaptureTable) -> None:
    # dga::bma.cr(Y, Nmissing = 1:300, delta = 0.5), prior log p(N) = -log N: mean 617.82,
    # median 616, 95% [588, 655], mode 614; the posterior is exact, so only rounding is allowed.
    result = GraphAverage(delta=0.5, n_missing=(1, 300), prior="1/N").fit(example)
    assert result.details["mean"] == pytest.approx(617.82, abs=0.005)
    assert result.estimate == 616 and result.interval == (588, 655) and result.details["mode"] == 614
    # dga's most probable graph [12][13][24][45] (its list order is the reverse of the CSV's).
    assert result.details["top_graphs"]["[12][24][35][45]"] == pytest.approx(0.217, abs=0.0005)


def test_automatic_grid_reports_negligible_tail(example: CaptureTable) -> None:
    result = GraphAverage().fit(example)
    assert result.details["tail_mass_beyond_grid"] < 1e-8
    assert np.isclose(result.posterior.sum(), 1.0)
    lo, hi = result.interval
    assert result.observed < lo <= result.estimate <= hi


def test_priors_shift_the_posterior_the_expected_way(example: CaptureTable) -> None:
    one_over_n = GraphAverage(delta=0.5, n_missing=(1, 300)).fit(example).details["mean"]
    uniform = GraphAverage(delta=0.5, n_missing=(1, 300), prior="uniform").fit(example).details["mean"]
    assert uniform > one_over_n  # 1/N puts more weight on small N
