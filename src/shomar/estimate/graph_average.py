"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997, Biometrika
84:19), the model of the R package dga.

For a decomposable graph G with cliques C and separators S, and a hyper-Dirichlet prior with δ per
cell of the full 2^J table (so a marginal cell over k lists gets δ·2^(J−k)), the complete table
with m people unseen has log marginal likelihood Σ_C ℓ(C) − Σ_S ℓ(S), where for a marginal table
with counts n_c and prior weights α_c: ℓ = log Γ(Σα) − log Γ(Σα + N) + Σ_c [log Γ(α_c + n_c) − log Γ(α_c)].
The posterior over (G, N = n + m) is ∝ p(N) · N!/m! · exp(Σ_C ℓ − Σ_S ℓ), graphs equally likely a
priori; everything is computed on the log scale for every m of the grid at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import gammaln, logsumexp

from shomar.errors import EstimationError
from shomar.estimate.graphs import DecomposableGraph, decomposable_graphs
from shomar.estimate.models import cell_patterns
from shomar.estimate.result import EstimateResult
from shomar.estimate.tables import CaptureTable

PRIORS = ("1/N", "uniform")


@dataclass(frozen=True)
class GraphAverageResult(EstimateResult):
    """Posterior of N averaged over graphs; ``estimate`` is the posterior median."""

    n_grid: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False, compare=False)
    posterior: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False, compare=False)

    def plot(self, ax: Any = None) -> Any:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3))
        ax.plot(self.n_grid, self.posterior, color="#1f4e79")
        ax.axvline(self.observed, color="#888", linestyle="--")
        ax.set_xlabel("N")
        ax.set_ylabel("posterior probability")
        return ax


class GraphAverage:
    """Average over every decomposable graph on the lists (3–6 lists).

    ``delta``: hyper-Dirichlet prior weight per cell; default 2^−J (a prior worth one observation in
    total), because dga's 0.5 lets the prior dominate sparse tables and pushes weight onto the
    saturated graph. ``prior``: "1/N", "uniform" or a callable returning log p(N) for an array.
    ``n_missing``: (lo, hi) grid of unseen counts; None extends the grid until the posterior mass
    beyond it is below ``tail_tolerance``.
    """

    def __init__(self, *, delta: float | None = None, prior: str | Callable[[np.ndarray], np.ndarray] = "1/N",
                 n_missing: tuple[int, int] | None = None, level: float = 0.95,
                 tail_tolerance: float = 1e-8) -> None:
        if delta is not None and delta <= 0:
            raise EstimationError("delta must be positive")
        if isinstance(prior, str) and prior not in PRIORS:
            raise EstimationError(f"prior must be one of {', '.join(PRIORS)} or a function")
        self.delta = delta
        self.prior = prior
        self.n_missing = n_missing
        self.level = level
        self.tail_tolerance = tail_tolerance

    def fit(self, table: CaptureTable) -> GraphAverageResult:
        table = table.collapse() if table.is_stratified else table
        J = table.n_lists
        if not 3 <= J <= 6:
            raise EstimationError(f"graph averaging supports 3 to 6 lists, the table has {J}")
        delta = self.delta if self.delta is not None else 2.0**-J
        cells = table.cells().astype(float)
        n = int(cells.sum())
        graphs = decomposable_graphs(J)
        grid, log_post, tail = self._posterior(cells, n, graphs, delta)
        per_n = logsumexp(log_post, axis=0)
        per_n -= logsumexp(per_n)
        post = np.exp(per_n)
        graph_weights = np.exp(logsumexp(log_post, axis=1) - logsumexp(log_post))
        N = n + grid
        cdf = np.cumsum(post)
        lo_q, hi_q = (1 - self.level) / 2, (1 + self.level) / 2
        quantile = lambda q: float(N[np.searchsorted(cdf, q - 1e-12)])  # noqa: E731
        best = np.argsort(graph_weights)[::-1][:5]
        details = {
            "mean": float(np.sum(N * post)), "mode": float(N[np.argmax(post)]),
            "interval_80": [quantile(0.1), quantile(0.9)], "delta": delta,
            "prior": self.prior if isinstance(self.prior, str) else "custom",
            "n_missing_grid": [int(grid[0]), int(grid[-1])], "tail_mass_beyond_grid": tail,
            "graphs": len(graphs),
            "top_graphs": {graphs[i].label(): round(float(graph_weights[i]), 4) for i in best},
            "interval_method": "equal-tailed posterior",
        }
        return GraphAverageResult(
            method="dga", model="average over decomposable graphs", observed=n,
            estimate=quantile(0.5), interval=(quantile(lo_q), quantile(hi_q)), level=self.level,
            list_names=table.list_names, details=details, n_grid=N, posterior=post,
        )

    def _posterior(self, cells: np.ndarray, n: int, graphs: tuple[DecomposableGraph, ...],
                   delta: float) -> tuple[np.ndarray, np.ndarray, float]:
        if self.n_missing is not None:
            lo, hi = self.n_missing
            grid = np.arange(lo, hi + 1, dtype=float)
            log_post = self._log_posterior(cells, n, graphs, delta, grid)
            return grid, log_post, float("nan")
        hi = max(100, 2 * n)
        while True:
            grid = np.arange(0, hi + 1, dtype=float)
            log_post = self._log_posterior(cells, n, graphs, delta, grid)
            per_n = logsumexp(log_post, axis=0)
            per_n -= logsumexp(per_n)
            tail = float(np.exp(logsumexp(per_n[int(0.9 * len(grid)):])))
            if tail < self.tail_tolerance or hi > 200 * max(n, 1):
                return grid, log_post, tail
            hi *= 2

    def _log_posterior(self, cells: np.ndarray, n: int, graphs: tuple[DecomposableGraph, ...],
                       delta: float, grid: np.ndarray) -> np.ndarray:
        J = graphs[0].n_vertices
        pats = cell_patterns(J, include_zero=True).astype(int)
        cache: dict[frozenset[int], np.ndarray] = {}

        def ell(subset: frozenset[int]) -> np.ndarray:
            if subset not in cache:
                cache[subset] = _marginal_loglik(cells, pats, sorted(subset), J, delta, grid)
            return cache[subset]

        N = n + grid
        if callable(self.prior):
            log_prior = np.asarray(self.prior(N), dtype=float)
        elif self.prior == "1/N":
            log_prior = -np.log(np.maximum(N, 1.0))
        else:
            log_prior = np.zeros_like(N)
        base = log_prior + gammaln(N + 1) - gammaln(grid + 1)
        out = np.empty((len(graphs), len(grid)))
        for g, graph in enumerate(graphs):
            total = sum(ell(c) for c in graph.cliques) - sum((ell(s) for s in graph.separators if s), np.zeros_like(grid))
            out[g] = base + total
        return out


def _marginal_loglik(cells: np.ndarray, pats: np.ndarray, subset: list[int], J: int, delta: float,
                     grid: np.ndarray) -> np.ndarray:
    """Dirichlet-multinomial log marginal likelihood of the table collapsed onto ``subset``,
    for every unseen count m in ``grid`` (m sits in the all-zero marginal cell)."""
    k = len(subset)
    alpha = delta * 2.0 ** (J - k)
    index = (pats[:, subset] * (1 << np.arange(k - 1, -1, -1))).sum(axis=1) if k else np.zeros(len(pats), int)
    counts = np.bincount(index, weights=cells, minlength=2**k)
    total_alpha = delta * 2.0**J
    N = counts.sum() + grid
    fixed = np.sum(gammaln(alpha + counts[1:]) - gammaln(alpha))
    zero = gammaln(alpha + counts[0] + grid) - gammaln(alpha)
    return gammaln(total_alpha) - gammaln(total_alpha + N) + fixed + zero


__all__ = ["GraphAverage", "GraphAverageResult"]
