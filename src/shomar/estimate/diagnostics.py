"""MCMC convergence diagnostics on plain arrays (chains × draws).

Split R-hat and bulk effective sample size after rank normalisation, as in Vehtari, Gelman,
Simpson, Carpenter & Bürkner (2021, Bayesian Analysis 16:667).
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm, rankdata


def _split(draws: np.ndarray) -> np.ndarray:
    half = draws.shape[1] // 2
    return np.vstack([draws[:, :half], draws[:, half: 2 * half]])


def _rank_normalise(draws: np.ndarray) -> np.ndarray:
    ranks = rankdata(draws, method="average").reshape(draws.shape)
    return norm.ppf((ranks - 0.375) / (draws.size + 0.25))


def rhat(draws: np.ndarray) -> float:
    """Rank-normalised split R-hat of a (chains, draws) array."""
    z = _split(_rank_normalise(np.asarray(draws, dtype=float)))
    n = z.shape[1]
    if n < 2:
        return float("nan")
    within = z.var(axis=1, ddof=1).mean()
    between = n * z.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0
    return float(np.sqrt(((n - 1) / n * within + between / n) / within))


def ess(draws: np.ndarray) -> float:
    """Bulk effective sample size of a (chains, draws) array (Geyer's initial monotone sequence)."""
    z = _split(_rank_normalise(np.asarray(draws, dtype=float)))
    m, n = z.shape
    if n < 4:
        return float("nan")
    centred = z - z.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(centred, n=2 * n, axis=1)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), axis=1)[:, :n] / n
    within = z.var(axis=1, ddof=1).mean()
    var_plus = (n - 1) / n * within + z.mean(axis=1).var(ddof=1) if m > 1 else within
    if var_plus == 0:
        return float(m * n)
    rho = 1 - (within - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    total = 0.0
    previous_pair = np.inf
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair < 0:
            break
        pair = min(pair, previous_pair)  # monotone sequence
        total += pair
        previous_pair = pair
    tau = -1 + 2 * total
    return float(m * n / max(tau, 1e-9))
