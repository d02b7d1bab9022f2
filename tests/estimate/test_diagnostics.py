"""R-hat and ESS on draws whose true mixing is known."""

from __future__ import annotations

import numpy as np

from shomar.estimate.diagnostics import ess, rhat


def _ar1(rng: np.random.Generator, chains: int, n: int, rho: float) -> np.ndarray:
    x = np.empty((chains, n))
    x[:, 0] = rng.normal(size=chains)
    noise = rng.normal(scale=np.sqrt(1 - rho**2), size=(chains, n))
    for t in range(1, n):
        x[:, t] = rho * x[:, t - 1] + noise[:, t]
    return x


def test_independent_chains_agree() -> None:
    draws = np.random.default_rng(1).normal(size=(4, 2000))
    # With 8,000 iid draws R-hat's sampling spread is about 0.001, so 1.01 is a 10-sigma margin.
    assert rhat(draws) < 1.01
    # ESS of iid draws is the draw count; its Monte-Carlo spread here is a few per cent.
    assert 0.85 * draws.size < ess(draws) < 1.15 * draws.size


def test_shifted_chain_is_flagged() -> None:
    draws = np.random.default_rng(2).normal(size=(4, 1000))
    draws[0] += 1.0  # one chain stuck in another mode
    assert rhat(draws) > 1.05


def test_ess_of_ar1_matches_theory() -> None:
    # AR(1) with coefficient ρ: integrated autocorrelation time (1+ρ)/(1−ρ) = 3 for ρ = 0.5.
    draws = _ar1(np.random.default_rng(3), 4, 5000, 0.5)
    expected = draws.size / 3
    # Geyer's truncated estimator has a relative error of roughly 5% at this length; allow 20%.
    assert 0.8 * expected < ess(draws) < 1.2 * expected
