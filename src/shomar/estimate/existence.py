"""Existence and identifiability of a log-linear estimate before any number is reported.

* Zero-overlap pairs (SparseMSE, Chan, Silverman & Vincent 2021, JASA): when two lists share no
  one, every cell holding both is a structural zero under a model with their interaction; the
  interaction (and terms containing it) is dropped with those cells, which gives the same MLE.
* Existence (Fienberg & Rinaldo 2012, Ann. Statist. 40:996): the Poisson MLE exists iff some
  strictly positive table has the observed sufficient statistics X'y; checked by the linear
  programme max t s.t. X'z = X'y, z ≥ t, t ≤ 1, which has a positive optimum iff the MLE exists.
* Identifiability: the reduced design must have full column rank.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from shomar.estimate.models import Model, cell_patterns


@dataclass(frozen=True)
class FitDesign:
    """The cells and design columns a model is fitted on, after structural zeros are removed."""

    X: np.ndarray
    y: np.ndarray
    cells: np.ndarray  # cell indices (1..2^J-1) kept
    dropped_terms: tuple[tuple[int, ...], ...]
    column_names: tuple[str, ...]


def reduced_design(model: Model, cells_counts: np.ndarray) -> FitDesign:
    """Design on the observed cells, with zero-overlap interactions and their cells removed."""
    J = model.n_lists
    pats = cell_patterns(J)
    y = np.asarray(cells_counts[1:], dtype=float)
    dropped = []
    keep = np.ones(len(y), dtype=bool)
    for term in model.terms():
        if len(term) == 2 and y[np.all(pats[:, list(term)] == 1, axis=1)].sum() == 0:
            dropped.append(term)
            keep &= ~np.all(pats[:, list(term)] == 1, axis=1)
    terms = [t for t in model.terms() if not any(set(d) <= set(t) for d in dropped)]
    cols = [np.ones(len(pats)), *(pats[:, j] for j in range(J))]
    cols += [np.prod(pats[:, list(t)], axis=1) for t in terms]
    names = ["(intercept)", *(str(j + 1) for j in range(J)), *("".join(str(j + 1) for j in t) for t in terms)]
    X = np.column_stack(cols)[keep]
    return FitDesign(X, y[keep], np.arange(1, 2**J)[keep], tuple(dropped), tuple(names))


def mle_exists(X: np.ndarray, y: np.ndarray) -> bool:
    """Fienberg–Rinaldo linear programme: is X'y in the relative interior of the marginal cone?"""
    n_cells = X.shape[0]
    # variables: z (n_cells) and t; maximise t
    c = np.zeros(n_cells + 1)
    c[-1] = -1.0
    A_eq = np.hstack([X.T, np.zeros((X.shape[1], 1))])
    b_eq = X.T @ y
    A_ub = np.hstack([-np.eye(n_cells), np.ones((n_cells, 1))])  # t - z_i ≤ 0
    b_ub = np.zeros(n_cells)
    bounds = [(0, None)] * n_cells + [(None, 1.0)]
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs")
    return bool(res.status == 0 and -res.fun > 1e-9)


def identifiable(X: np.ndarray) -> bool:
    return X.shape[0] >= X.shape[1] and int(np.linalg.matrix_rank(X)) == X.shape[1]
