"""Poisson log-linear fitting by Newton–Raphson (IRLS) on a small dense design."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln


@dataclass(frozen=True)
class PoissonFit:
    beta: np.ndarray
    fitted: np.ndarray
    deviance: float
    loglik: float
    rank: int
    converged: bool
    iterations: int


def fit_poisson(X: np.ndarray, y: np.ndarray, *, max_iter: int = 100, tol: float = 1e-10) -> PoissonFit:
    """Maximum likelihood of y ~ Poisson(exp(X β)) by Newton's method with step halving.

    Zero counts are allowed; a coefficient running off to −∞ (an MLE on the boundary) shows up as
    non-convergence or a huge |β|, which callers treat as a non-existent estimate.
    """
    rank = int(np.linalg.matrix_rank(X))
    mu = np.maximum(y, 0.5).astype(float)
    beta = np.linalg.lstsq(X, np.log(mu), rcond=None)[0]
    ll = _loglik(X @ beta, y)
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - `it` is reported after the loop
        eta = X @ beta
        mu = np.exp(eta)
        grad = X.T @ (y - mu)
        hess = X.T @ (X * mu[:, None])
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        t = 1.0
        while True:
            candidate = beta + t * step
            new_ll = _loglik(X @ candidate, y)
            if new_ll >= ll - 1e-12 or t < 1e-8:
                break
            t /= 2
        beta, improvement, ll = candidate, new_ll - ll, new_ll
        if abs(improvement) < tol * (1 + abs(ll)) and np.max(np.abs(t * step)) < 1e-6:
            converged = True
            break
    fitted = np.exp(X @ beta)
    return PoissonFit(beta, fitted, _deviance(y, fitted), ll, rank, converged, it)


def _loglik(eta: np.ndarray, y: np.ndarray) -> float:
    eta = np.minimum(eta, 700.0)
    return float(np.sum(y * eta - np.exp(eta) - gammaln(y + 1)))


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(2 * np.sum(term - (y - mu)))
