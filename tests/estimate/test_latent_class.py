"""The latent-class model (LCMCR): Kosovo against R, diagnostics, reproducibility, coverage sanity."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from shomar.estimate import CaptureTable
from shomar.estimate.diagnostics import ess, rhat
from shomar.estimate.latent_class import LatentClass

DATA = Path(__file__).parent.parent / "data" / "mse"


@pytest.fixture(scope="module")
def kosovo() -> CaptureTable:
    return CaptureTable.from_csv(DATA / "kosovo_1999_4lists.csv")


@pytest.mark.slow
def test_kosovo_posterior_matches_r_lcmcr(kosovo: CaptureTable) -> None:
    # R LCMCR (K = 10, a = b = 0.25): median 10,446, 95% [9,005, 14,075]; five short R runs gave
    # medians 10,406–10,598, so a seeded run (2 chains × 3,000 draws, ESS > 1,000) must land within 3%
    # on the median and 6% on the
    # bounds (the 2.5%/97.5% quantiles of a few thousand correlated draws move by a few percent).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = LatentClass(n_samples=3000, burn_in=100000, thin=100, n_chains=2, seed=11).fit(kosovo)
    assert result.estimate == pytest.approx(10446, rel=0.03)
    lo, hi = result.interval
    assert lo == pytest.approx(9005, rel=0.06) and hi == pytest.approx(14075, rel=0.06)


def test_same_seed_same_draws(kosovo: CaptureTable) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = LatentClass(n_samples=50, burn_in=200, thin=2, n_chains=2, seed=5).fit(kosovo)
        b = LatentClass(n_samples=50, burn_in=200, thin=2, n_chains=2, seed=5).fit(kosovo)
    assert np.array_equal(a.draws, b.draws)


def test_cap_is_explicit_and_reported(kosovo: CaptureTable) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = LatentClass(n_samples=100, burn_in=500, thin=2, n_chains=1, seed=3, max_missing=1000).fit(kosovo)
    assert result.draws.max() <= kosovo.n_observed + 1000
    assert result.details["draws_at_cap"] > 0 and any("max_missing" in str(w.message) for w in caught)


def test_rhat_and_ess_on_known_chains() -> None:
    rng = np.random.default_rng(0)
    independent = rng.normal(size=(4, 1000))
    # Independent draws from one distribution: R-hat ≈ 1 and ESS near the number of draws.
    assert rhat(independent) == pytest.approx(1.0, abs=0.01)
    assert ess(independent) > 3000
    shifted = independent + np.array([[0.0], [0.0], [3.0], [3.0]])
    assert rhat(shifted) > 1.5  # chains in different places are flagged
    sticky = np.cumsum(rng.normal(size=(4, 1000)), axis=1)
    assert ess(sticky) < 200  # a random walk has few effective draws


def test_tabulated_pattern_probabilities_change_nothing(kosovo: CaptureTable) -> None:
    # The kernel tabulates P(pattern | class) for all 2^J patterns when J is small and multiplies
    # per pattern otherwise: the same products in the same order, so the draws are bit for bit equal.
    from shomar.estimate._lcmcr_kernel import run_chain

    patterns = np.ascontiguousarray(kosovo.patterns[kosovo.counts > 0].astype(np.int64))
    counts = np.ascontiguousarray(kosovo.counts[kosovo.counts > 0].astype(np.int64))
    runs = [run_chain(patterns, counts, 10, 0.25, 0.25, 500, 200, 2, 7, -1, tabulate) for tabulate in (True, False)]
    assert np.array_equal(runs[0][0], runs[1][0]) and np.array_equal(runs[0][1], runs[1][1])
