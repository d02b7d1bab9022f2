"""Bootstrap intervals for multiple systems estimates, with the model choice redone each time.

BCa (Efron 1987, JASA 82:171) as used for MSE by Silverman, Chan & Vincent (2024, Stat. Comput.
34:44): B replicate tables are drawn (parametric: each observed cell ~ Poisson(its fitted mean under
the model chosen on the data; nonparametric: the n people resampled, a multinomial over cells), the
whole estimation — model selection included — is repeated on each, and the interval is read from
the replicate distribution after correcting for bias (z0, the share of replicates below the
estimate) and skewness (acceleration a, from a grouped jackknife: deleting one person from cell k
gives the same table for all y_k people of that cell, so there is one jackknife fit per non-empty
cell, weighted by y_k).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

Estimator = Callable[[np.ndarray], float]


@dataclass(frozen=True)
class BootstrapResult:
    replicates: np.ndarray  # estimates of the replicates where one exists
    failed: int  # replicates with no valid estimate (dropped)
    z0: float
    acceleration: float
    intervals: dict[float, tuple[float, float]]


def draw_tables(cells: np.ndarray, fitted: np.ndarray | None, n_boot: int, rng: np.random.Generator,
                kind: str) -> np.ndarray:
    """(n_boot, 2^J) replicate cell vectors (index 0 unused, kept 0)."""
    y = cells[1:].astype(float)
    if kind == "parametric":
        if fitted is None:
            raise ValueError("the parametric bootstrap needs fitted cell means")
        draws = rng.poisson(fitted, size=(n_boot, len(y)))
    else:
        n = int(y.sum())
        draws = rng.multinomial(n, y / y.sum(), size=n_boot)
    return np.hstack([np.zeros((n_boot, 1), dtype=np.int64), draws])


def grouped_jackknife(cells: np.ndarray, estimator: Estimator) -> tuple[np.ndarray, np.ndarray]:
    """Estimates with one person deleted from each non-empty cell, and the cell counts as weights."""
    thetas, weights = [], []
    for k in range(1, len(cells)):
        if cells[k] <= 0:
            continue
        reduced = cells.copy()
        reduced[k] -= 1
        theta = estimator(reduced)
        if np.isfinite(theta):
            thetas.append(theta)
            weights.append(cells[k])
    return np.asarray(thetas), np.asarray(weights, dtype=float)


def bca(estimate: float, replicates: np.ndarray, jack: np.ndarray, jack_weights: np.ndarray,
        levels: Sequence[float]) -> tuple[float, float, dict[float, tuple[float, float]]]:
    """Bias-corrected and accelerated percentile intervals."""
    below = np.mean(replicates < estimate) + 0.5 * np.mean(replicates == estimate)
    z0 = float(norm.ppf(np.clip(below, 1e-6, 1 - 1e-6)))
    mean = np.sum(jack_weights * jack) / jack_weights.sum()
    d = mean - jack
    denom = 6.0 * (np.sum(jack_weights * d**2)) ** 1.5
    a = float(np.sum(jack_weights * d**3) / denom) if denom > 0 else 0.0
    out = {}
    for level in levels:
        bounds = []
        for z in (norm.ppf((1 - level) / 2), norm.ppf((1 + level) / 2)):
            adj = norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))
            bounds.append(float(np.quantile(replicates, adj)))
        out[level] = (bounds[0], bounds[1])
    return z0, a, out


def bootstrap_bca(cells: np.ndarray, estimator: Estimator, estimate: float, *, fitted: np.ndarray | None,
                  n_boot: int, seed: int | None, kind: str = "parametric",
                  levels: Sequence[float] = (0.8, 0.95),
                  batch: Callable[[np.ndarray], np.ndarray] | None = None) -> BootstrapResult:
    """Run the bootstrap (``batch`` estimates many tables at once when given) and the BCa."""
    rng = np.random.default_rng(seed)
    tables = draw_tables(cells, fitted, n_boot, rng, kind)
    values = batch(tables) if batch is not None else np.array([estimator(t) for t in tables])
    ok = np.isfinite(values)
    jack, weights = grouped_jackknife(cells, estimator)
    z0, a, intervals = bca(estimate, values[ok], jack, weights, levels)
    return BootstrapResult(values[ok], int((~ok).sum()), z0, a, intervals)
