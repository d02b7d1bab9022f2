"""Estimates by stratum: totals add draws, failing strata are flagged, not dropped."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from shomar.estimate import CaptureTable, GraphAverage, LogLinear
from shomar.estimate.latent_class import LatentClass
from shomar.estimate.strata import estimate_by


def _table() -> CaptureTable:
    patterns = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1]]
    north = [60, 50, 40, 20, 15, 12, 6]
    south = [30, 25, 20, 10, 8, 6, 3]
    tiny = [1, 1, 0, 0, 0, 0, 0]  # no overlap at all: no estimate exists
    rows = [(p, c, s) for s, counts in (("north", north), ("south", south), ("tiny", tiny))
            for p, c in zip(patterns, counts, strict=True) if c]
    return CaptureTable.from_arrays([r[0] for r in rows], [r[1] for r in rows], ["a", "b", "c"],
                                    strata_names=("region",), strata=[(r[2],) for r in rows])


def test_failing_stratum_is_flagged_not_dropped() -> None:
    result = estimate_by(_table(), LogLinear(model="independence", interval="none"))
    assert result.details["strata_flagged"] == ["tiny"]
    assert {r["stratum"] for r in result.strata} == {"north", "south", "tiny"}
    north, south = (LogLinear(model="independence", interval="none").fit(t).estimate
                    for k, t in _table().split().items() if k != ("tiny",))
    assert result.estimate == pytest.approx(north + south)


def test_bayesian_totals_add_draws_not_medians() -> None:
    table = _table()
    result = estimate_by(table, GraphAverage(), seed=1)
    medians = sum(r["estimate"] for r in result.strata if r.get("estimate") is not None)
    lo, hi = result.interval
    assert lo < result.estimate < hi
    # The median of a sum of right-skewed posteriors exceeds the sum of their medians.
    assert result.estimate >= medians - 1


def test_lcmcr_by_stratum_runs_in_parallel_and_combines() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = estimate_by(_table(), LatentClass(n_samples=200, burn_in=1000, thin=2, n_chains=2, seed=3))
    assert np.isfinite(result.interval[0]) and result.observed == 305 + 2
