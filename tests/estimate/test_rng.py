"""The compiled samplers' random variates against scipy's distributions.

Each case draws 200,000 variates from a fixed seed and tests them against the exact distribution:
Kolmogorov–Smirnov for continuous laws, chi-square over cells with at least 20 expected for discrete
ones. A correct sampler passes at p > 1e-4 except with probability 1e-4 per case; a wrong one (a
mistaken constant in the ziggurat, BTRS or PTRS, a shape off by one) fails by orders of magnitude at
this sample size. The seed is fixed, so the outcome does not change from run to run.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest
from scipy import stats

from shomar.estimate import _rng

DRAWS = 200_000
P_MIN = 1e-4


@numba.njit
def _draws(kind: int, seed: int, n: int, a: float, b: float) -> np.ndarray:
    """``n`` variates of one kind, drawn by the very routines the samplers inline (one compiled
    function, so the suite compiles once)."""
    s = _rng.load(_rng.new_state(seed))
    out = np.empty(n)
    for i in range(n):
        if kind == 0:
            x, s = _rng._uniform(s)
        elif kind == 1:
            x, s = _rng._normal(s)
        elif kind == 2:
            x, s = _rng._gamma(s, a)
        elif kind == 3:
            x, s = _rng._beta(s, a, b)
        elif kind == 4:
            k, s = _rng._binomial(s, int(a), b)
            x = float(k)
        elif kind == 5:
            k, s = _rng._poisson(s, a)
            x = float(k)
        else:
            k, s = _rng._negative_binomial(s, a, b)
            x = float(k)
        out[i] = x
    return out


def _uniforms(seed: int, n: int) -> np.ndarray:
    return _draws(0, seed, n, 0.0, 0.0)


def _normals(seed: int, n: int) -> np.ndarray:
    return _draws(1, seed, n, 0.0, 0.0)


def _gammas(seed: int, n: int, shape: float) -> np.ndarray:
    return _draws(2, seed, n, shape, 0.0)


def _betas(seed: int, n: int, a: float, b: float) -> np.ndarray:
    return _draws(3, seed, n, a, b)


def _binomials(seed: int, n: int, trials: int, p: float) -> np.ndarray:
    return _draws(4, seed, n, float(trials), p).astype(np.int64)


def _poissons(seed: int, n: int, mean: float) -> np.ndarray:
    return _draws(5, seed, n, mean, 0.0).astype(np.int64)


def _negative_binomials(seed: int, n: int, r: float, p: float) -> np.ndarray:
    return _draws(6, seed, n, r, p).astype(np.int64)


def _chi_square_p(values: np.ndarray, dist: stats.rv_discrete) -> float:
    """Chi-square p-value over cells with ≥ 20 expected; both tails pooled into end cells."""
    lo, hi = int(dist.ppf(1e-6)), int(dist.ppf(1 - 1e-6))
    edges = [lo]
    for k in range(lo + 1, hi + 1):
        if (dist.cdf(k - 1) - dist.cdf(edges[-1] - 1)) * len(values) >= 20:
            edges.append(k)
    cells = np.searchsorted(np.array(edges), values, side="right") - 1
    cells = np.clip(cells, 0, len(edges) - 1)
    observed = np.bincount(cells, minlength=len(edges))
    upper = np.array([*edges[1:], np.inf])
    expected = (dist.cdf(upper - 1) - np.concatenate([[0.0], dist.cdf(upper[:-1] - 1)])) * len(values)
    expected[-1] = len(values) - expected[:-1].sum()
    return float(stats.chisquare(observed, expected).pvalue)


def test_uniforms_are_open_interval_and_uniform() -> None:
    u = _uniforms(1, DRAWS)
    assert u.min() > 0.0 and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > P_MIN


def test_normals_including_the_tail() -> None:
    x = _normals(2, 1_000_000)
    assert stats.kstest(x[:DRAWS], "norm").pvalue > P_MIN
    # Beyond the ziggurat's base layer (r = 3.654) only the tail algorithm draws: its share must be
    # 2·Φ(−r) = 2.58e−4, i.e. 258 of a million, give or take 5 standard deviations (≈ 80).
    beyond = int((np.abs(x) > 3.6541528853610088).sum())
    expected = 2 * stats.norm.sf(3.6541528853610088) * len(x)
    assert abs(beyond - expected) < 5 * np.sqrt(expected)
    # The shape of the far layers and the tail: |X| given |X| > 3 against the truncated normal.
    far = np.abs(x[np.abs(x) > 3.0])
    assert stats.kstest(far, lambda t: (stats.norm.cdf(t) - stats.norm.cdf(3.0)) / stats.norm.sf(3.0)
                        ).pvalue > P_MIN


@pytest.mark.parametrize("shape", [0.3, 1.0, 2.5, 40.0, 5000.0])
def test_gammas(shape: float) -> None:
    assert stats.kstest(_gammas(3, DRAWS, shape), stats.gamma(shape).cdf).pvalue > P_MIN


@pytest.mark.parametrize(("a", "b"), [(1.0, 1.0), (1.0, 3.5), (2.5, 1.0), (2.0, 5.0), (0.4, 0.7),
                                      (40.0, 300.0), (3000.0, 2000.0)])
def test_betas(a: float, b: float) -> None:
    assert stats.kstest(_betas(4, DRAWS, a, b), stats.beta(a, b).cdf).pvalue > P_MIN


@pytest.mark.parametrize(("trials", "p"), [(1, 0.5), (5, 0.3), (50, 0.15), (60, 0.3), (400, 0.02),
                                           (5000, 0.3), (5000, 0.999), (200, 0.7), (10**6, 0.4)])
def test_binomials(trials: int, p: float) -> None:
    values = _binomials(5, DRAWS, trials, p)
    assert values.min() >= 0 and values.max() <= trials
    assert _chi_square_p(values, stats.binom(trials, p)) > P_MIN


def test_binomial_edges() -> None:
    assert (_binomials(6, 100, 10, 0.0) == 0).all() and (_binomials(6, 100, 10, 1.0) == 10).all()
    assert (_binomials(6, 100, 0, 0.3) == 0).all()


@pytest.mark.parametrize("mean", [0.5, 9.9, 10.1, 500.0, 6000.0])
def test_poissons(mean: float) -> None:
    assert _chi_square_p(_poissons(7, DRAWS, mean), stats.poisson(mean)) > P_MIN


@pytest.mark.parametrize(("r", "p"), [(3.0, 0.5), (4400.0, 0.4), (200.0, 0.05)])
def test_negative_binomials(r: float, p: float) -> None:
    # numpy's convention (failures before the r-th success), which is scipy's nbinom.
    assert _chi_square_p(_negative_binomials(8, DRAWS, r, p), stats.nbinom(r, p)) > P_MIN


def test_streams_are_reproducible_and_seed_dependent() -> None:
    assert np.array_equal(_uniforms(9, 1000), _uniforms(9, 1000))
    assert not np.array_equal(_uniforms(9, 1000), _uniforms(10, 1000))
