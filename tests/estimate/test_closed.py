"""The closed-population family: identities that must hold whatever the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shomar.estimate import CaptureTable, LogLinear
from shomar.estimate.closed import ClosedPopulation

DATA = Path(__file__).parent.parent / "data" / "mse"


def _fits(table: CaptureTable) -> dict[str, float | None]:
    return {f.name: f.abundance for f in ClosedPopulation().fit(table).fits}


def test_mt_is_the_independence_model() -> None:
    kosovo = CaptureTable.from_csv(DATA / "kosovo_1999_4lists.csv")
    assert _fits(kosovo)["Mt"] == pytest.approx(7394.6, abs=0.06)  # published independence value


def test_chao_lower_bound_formula() -> None:
    # 3 lists: caught once f1 = 30 + 20 + 10 = 60, twice f2 = 12 + 8 = 20, thrice 5.
    table = CaptureTable.from_arrays([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1], [1, 1, 1]],
                                     [30, 20, 10, 12, 8, 5], ["a", "b", "c"])
    assert _fits(table)["Chao (LB)"] == pytest.approx(85 + 60**2 / (2 * 20))


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(1, 60), min_size=7, max_size=7))
def test_heterogeneity_never_lowers_the_m0_estimate_below_observed(counts: list[int]) -> None:
    table = CaptureTable.from_cells([0, *counts])
    result = ClosedPopulation().fit(table)
    for fit in result.fits:
        if fit.abundance is not None:
            assert fit.abundance >= table.n_observed
    lo, hi = result.interval
    assert lo <= result.estimate <= hi
    assert _fits(table)["Mt"] == pytest.approx(LogLinear(model="independence", interval="none").fit(table).estimate)


def test_mb_recovers_a_behavioural_population() -> None:
    import numpy as np

    # Seeded simulation of model Mb (N = 2,000, first capture 0.3, recapture 0.5, 4 occasions):
    # Mb's standard error here is about 60, so ±200 (over 3 SE) fails only if the fit is wrong,
    # while M0, which ignores the trap response, must land well below the truth.
    rng = np.random.default_rng(0)
    histories = []
    for _ in range(2000):
        caught, h = False, []
        for _ in range(4):
            x = rng.random() < (0.5 if caught else 0.3)
            h.append(int(x))
            caught |= x
        if any(h):
            histories.append(h)
    patterns, counts = np.unique(np.array(histories), axis=0, return_counts=True)
    fits = _fits(CaptureTable.from_arrays(patterns, counts, list("abcd")))
    assert fits["Mb"] == pytest.approx(2000, abs=200)
    assert fits["M0"] < 1850
