"""Model search over hierarchical log-linear models: exhaustive ranking by AIC/BIC (compiled, in
parallel) and SparseMSE's stepwise rule.

Exhaustive: every hierarchical model with terms up to ``max_order`` is fitted (``_fastfit``); fits
flagged as suspicious are re-checked with the exact existence test (Fienberg–Rinaldo linear
programme), and models whose estimate does not exist are never ranked.

Stepwise (Chan, Silverman & Vincent 2021, JASA 116:1297, as in the R package SparseMSE): start from
independence; for every pair of lists not yet interacting, the p-value is the upper Poisson tail
P(X ≥ observed overlap) with X ~ Poisson(overlap fitted by the current model); the pair with the
smallest p-value is added while it is below ``p_threshold`` (default 0.02) and the extended model's
estimate exists.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.stats import poisson

from shomar.estimate._fastfit import OK, fit_many
from shomar.estimate.models import Model, cell_patterns, hierarchical_models


@dataclass(frozen=True)
class CandidateSpace:
    """All candidate terms up to ``max_order`` and the full design over the observed cells."""

    n_lists: int
    max_order: int
    terms: tuple[tuple[int, ...], ...]
    design: np.ndarray  # (2^J - 1, 1 + J + len(terms))

    @property
    def column_index(self) -> dict[tuple[int, ...], int]:
        return {t: 1 + self.n_lists + i for i, t in enumerate(self.terms)}


@lru_cache(maxsize=16)
def candidate_space(n_lists: int, max_order: int) -> CandidateSpace:
    max_order = min(max_order, n_lists - 1)
    terms = tuple(t for k in range(2, max_order + 1) for t in itertools.combinations(range(n_lists), k))
    pats = cell_patterns(n_lists)
    cols = [np.ones(len(pats)), *(pats[:, j] for j in range(n_lists))]
    cols += [np.prod(pats[:, list(t)], axis=1) for t in terms]
    return CandidateSpace(n_lists, max_order, terms, np.column_stack(cols))


def masks_for(models: list[Model], space: CandidateSpace, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column masks (structural-zero pairs and terms containing them removed) and cell masks."""
    pats = cell_patterns(space.n_lists).astype(bool)
    y = cells[1:]
    zero_pairs = {t for t in itertools.combinations(range(space.n_lists), 2)
                  if y[pats[:, t[0]] & pats[:, t[1]]].sum() == 0}
    index = space.column_index
    col_masks = np.zeros((len(models), space.design.shape[1]), dtype=np.bool_)
    cell_masks = np.ones((len(models), len(y)), dtype=np.bool_)
    col_masks[:, : 1 + space.n_lists] = True
    for m, model in enumerate(models):
        dropped = [t for t in model.terms() if len(t) == 2 and t in zero_pairs]
        for t in model.terms():
            if not any(set(d) <= set(t) for d in dropped):
                col_masks[m, index[t]] = True
        for d in dropped:
            cell_masks[m] &= ~(pats[:, d[0]] & pats[:, d[1]])
    return col_masks, cell_masks


def fit_models(models: list[Model], cells: np.ndarray, max_order: int):
    """Compiled fits of many models: (estimate or nan, deviance, n_params, status) arrays."""
    n_lists = models[0].n_lists
    space = candidate_space(n_lists, max(max_order, max((len(t) for m in models for t in m.terms()), default=2)))
    col_masks, cell_masks = masks_for(models, space, cells)
    intercept, deviance, n_params, status = fit_many(space.design, cells[1:].astype(np.float64), col_masks, cell_masks)
    n = float(cells[1:].sum())
    estimate = np.where(status == OK, n + np.exp(np.minimum(intercept, 700.0)), np.nan)
    return estimate, deviance, n_params, status


def all_models(n_lists: int, max_order: int) -> list[Model]:
    return list(hierarchical_models(n_lists, max_order))


def stepwise_model(cells: np.ndarray, n_lists: int, *, p_threshold: float = 0.02) -> tuple[Model, list[dict[str, float]]]:
    """SparseMSE's forward stepwise selection of pairwise interactions."""
    pats = cell_patterns(n_lists).astype(bool)
    y = cells[1:].astype(float)
    model = Model.independence(n_lists)
    steps: list[dict[str, float]] = []
    while True:
        fitted = _fitted_cells(model, cells)
        if fitted is None:
            break
        candidates = []
        for pair in itertools.combinations(range(n_lists), 2):
            if pair in model.terms():
                continue
            both = pats[:, pair[0]] & pats[:, pair[1]]
            observed, expected = y[both].sum(), fitted[both].sum()
            p_value = float(poisson.sf(observed - 1, expected)) if observed > 0 else 1.0
            candidates.append((p_value, pair))
        if not candidates:
            break
        for p_value, pair in sorted(candidates):
            if p_value >= p_threshold:
                return model, steps
            extended = Model.from_terms(n_lists, [*model.terms(), pair])
            if fit_models([extended], cells, 2)[3][0] == OK:
                model = extended
                steps.append({"added": float(pair[0] * 10 + pair[1]), "p_value": p_value})
                break
        else:
            break
    return model, steps


def _fitted_cells(model: Model, cells: np.ndarray) -> np.ndarray | None:
    from shomar.estimate._fastfit import fit_one
    from shomar.estimate.existence import reduced_design

    design = reduced_design(model, cells)
    beta, _, status = fit_one(np.ascontiguousarray(design.X), design.y.astype(np.float64))
    if status != OK:
        return None
    out = np.zeros(len(cells) - 1)
    out[design.cells - 1] = np.exp(design.X @ beta)
    return out


def ic_weights(values: np.ndarray) -> np.ndarray:
    """Akaike-type weights exp(−Δ/2) normalised (Buckland, Burnham & Augustin 1997)."""
    delta = values - np.nanmin(values)
    w = np.where(np.isfinite(delta), np.exp(-0.5 * delta), 0.0)
    return w / w.sum()


__all__ = ["all_models", "fit_models", "ic_weights", "stepwise_model"]
