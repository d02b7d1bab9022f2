"""Compiled Poisson log-linear fits of many models of one table (numba, parallel over models).

Each model is a boolean mask over the columns of one full design matrix (intercept, main effects,
every candidate interaction). Newton–Raphson with step halving on the columns in the mask; cells
that are structural zeros for a model (both lists of a zero-overlap pair) are left out, as in
``shomar.estimate.existence``. Suspicious fits (no convergence, a huge coefficient, a singular
Hessian) are flagged so the caller can run the exact existence check on them.
"""

from __future__ import annotations

import math

import numba
import numpy as np

OK, NOT_CONVERGED, SINGULAR, SUSPICIOUS = 0, 1, 2, 3


@numba.njit(cache=True)
def _loglik(X: np.ndarray, y: np.ndarray, beta: np.ndarray) -> float:
    total = 0.0
    for i in range(X.shape[0]):
        eta = 0.0
        for j in range(X.shape[1]):
            eta += X[i, j] * beta[j]
        if eta > 700.0:
            eta = 700.0
        total += y[i] * eta - math.exp(eta)
    return total


@numba.njit(cache=True)
def fit_one(X: np.ndarray, y: np.ndarray, max_iter: int = 60) -> tuple[np.ndarray, float, int]:
    """Newton fit of y ~ Poisson(exp(X b)); returns (beta, deviance, status)."""
    n, p = X.shape
    beta = np.zeros(p)
    total = 0.0
    for i in range(n):
        total += y[i]
    beta[0] = math.log(max(total / n, 1e-3))
    ll = _loglik(X, y, beta)
    status = NOT_CONVERGED
    for _ in range(max_iter):
        mu = np.exp(X @ beta)
        grad = X.T @ (y - mu)
        hess = (X.T * mu) @ X
        for j in range(p):
            hess[j, j] += 1e-12
        try:
            step = np.linalg.solve(hess, grad)
        except Exception:  # singular Hessian: not identifiable for this data
            return beta, np.inf, SINGULAR
        t = 1.0
        new_beta = beta + step
        new_ll = _loglik(X, y, new_beta)
        while new_ll < ll - 1e-10 and t > 1e-8:
            t *= 0.5
            new_beta = beta + t * step
            new_ll = _loglik(X, y, new_beta)
        improvement = new_ll - ll
        beta = new_beta
        ll = new_ll
        if abs(improvement) < 1e-10 * (1.0 + abs(ll)) and np.max(np.abs(t * step)) < 1e-7:
            status = OK
            break
    mu = np.exp(X @ beta)
    dev = 0.0
    for i in range(n):
        if y[i] > 0:
            dev += y[i] * math.log(y[i] / mu[i])
        dev -= y[i] - mu[i]
    if status == OK and (np.max(np.abs(beta)) > 25.0 or np.min(mu) < 1e-9):
        status = SUSPICIOUS
    return beta, 2.0 * dev, status


@numba.njit(parallel=True, cache=True)
def fit_many(full_X: np.ndarray, y: np.ndarray, masks: np.ndarray, cell_masks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fit every model (row of ``masks``) on its cells (row of ``cell_masks``).

    Returns the intercept, deviance, number of parameters and status of each model.
    """
    n_models = masks.shape[0]
    intercept = np.empty(n_models)
    deviance = np.empty(n_models)
    n_params = np.empty(n_models, dtype=np.int64)
    status = np.empty(n_models, dtype=np.int64)
    for m in numba.prange(n_models):
        cols = np.flatnonzero(masks[m])
        rows = np.flatnonzero(cell_masks[m])
        X = np.ascontiguousarray(full_X[rows][:, cols])
        beta, dev, st = fit_one(X, y[rows])
        intercept[m] = beta[0]
        deviance[m] = dev
        n_params[m] = cols.shape[0]
        status[m] = st
    return intercept, deviance, n_params, status
