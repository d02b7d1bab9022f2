"""Bayesian latent-class capture–recapture (the model of R's LCMCR), several chains with diagnostics.

Model (Manrique-Vallier 2016, Biometrics 72:1246): each person belongs to one of K latent classes
with stick-breaking (truncated Dirichlet-process) weights, concentration α ~ Gamma(a, b); within a
class, lists capture independently with probabilities λ_kj ~ Beta(1, 1); p(N) ∝ 1/N. Heterogeneous
capture is absorbed by the classes. The Gibbs sampler (``_lcmcr_kernel``) runs ``n_chains`` chains
with explicit seeds on parallel threads; there is no hidden cap on N (``max_missing`` is an explicit
option and the result counts draws that hit it).
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from shomar.errors import EstimationError
from shomar.estimate._lcmcr_kernel import TABULATE_LISTS, run_chain
from shomar.estimate.diagnostics import ess, rhat
from shomar.estimate.result import EstimateResult
from shomar.estimate.tables import CaptureTable


@dataclass(frozen=True)
class LatentClassResult(EstimateResult):
    """Posterior of N; ``estimate`` is the median, ``interval`` the 95% equal-tailed interval."""

    draws: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False, compare=False)
    alpha_draws: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False, compare=False)

    def plot(self, ax: Any = None) -> Any:
        """Trace of N for every chain (left) and its posterior density (right)."""
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        if ax is None:
            _, axes = plt.subplots(1, 2, figsize=(9, 3))
        else:
            axes = ax if np.ndim(ax) else [ax, ax]
        for chain in self.draws:
            axes[0].plot(chain, lw=0.5)
        axes[0].set_title("trace of N")
        axes[1].hist(self.draws.ravel(), bins=60, color="#1f4e79")
        axes[1].axvline(self.observed, color="#888", linestyle="--")
        axes[1].set_title("posterior of N")
        return axes


class LatentClass:
    """LCMCR's model; defaults match R LCMCR's priors (a = b = 0.25)."""

    def __init__(self, *, n_classes: int = 10, alpha_prior: tuple[float, float] = (0.25, 0.25),
                 n_samples: int = 1000, burn_in: int = 10000, thin: int = 10, n_chains: int = 4,
                 seed: int | None = None, max_missing: int | None = None, level: float = 0.95) -> None:
        if n_classes < 1 or n_samples < 10 or burn_in < 0 or thin < 1 or n_chains < 1:
            raise EstimationError("n_classes ≥ 1, n_samples ≥ 10, burn_in ≥ 0, thin ≥ 1, n_chains ≥ 1")
        self.n_classes = n_classes
        self.alpha_prior = alpha_prior
        self.n_samples = n_samples
        self.burn_in = burn_in
        self.thin = thin
        self.n_chains = n_chains
        self.seed = seed
        self.max_missing = max_missing
        self.level = level

    def fit(self, table: CaptureTable) -> LatentClassResult:
        table = table.collapse() if table.is_stratified else table
        keep = table.counts > 0
        patterns = np.ascontiguousarray(table.patterns[keep].astype(np.int64))
        counts = np.ascontiguousarray(table.counts[keep].astype(np.int64))
        # No seed given: draw one and report it, so the run can be repeated.
        seed = self.seed if self.seed is not None else int(np.random.default_rng().integers(2**31))
        seeds = [int(s.generate_state(1)[0] % 2**31) for s in np.random.SeedSequence(seed).spawn(self.n_chains)]
        a, b = self.alpha_prior
        cap = -1 if self.max_missing is None else int(self.max_missing)

        def chain(s: int) -> tuple[np.ndarray, np.ndarray, int]:
            return run_chain(patterns, counts, self.n_classes, a, b, self.burn_in, self.n_samples,
                             self.thin, s, cap, patterns.shape[1] <= TABULATE_LISTS)

        with ThreadPoolExecutor(max_workers=min(self.n_chains, 2)) as pool:
            runs = list(pool.map(chain, seeds))
        draws = np.vstack([r[0] for r in runs])
        alphas = np.vstack([r[1] for r in runs])
        return self._result(table, draws, alphas, sum(r[2] for r in runs), seed)

    def _result(self, table: CaptureTable, draws: np.ndarray, alphas: np.ndarray, capped: int,
                seed: int) -> LatentClassResult:
        flat = draws.ravel()
        q = lambda p: float(np.quantile(flat, p))  # noqa: E731
        diagnostics = {"rhat_N": rhat(draws), "ess_N": ess(draws), "rhat_alpha": rhat(alphas),
                       "ess_alpha": ess(alphas)}
        warn = []
        if self.n_chains > 1 and diagnostics["rhat_N"] > 1.01:
            warn.append(f"R-hat of N is {diagnostics['rhat_N']:.3f} > 1.01: chains disagree, run longer")
        if diagnostics["ess_N"] < 400:
            warn.append(f"effective sample size of N is {diagnostics['ess_N']:.0f} < 400: run longer or thin more")
        if capped:
            warn.append(f"{capped} draws hit max_missing={self.max_missing}: the cap shapes the posterior")
        for w in warn:
            warnings.warn(w, stacklevel=3)
        lo, hi = (1 - self.level) / 2, (1 + self.level) / 2
        details = {
            "mean": float(flat.mean()), "interval_80": [q(0.1), q(0.9)], **diagnostics,
            "warnings": warn, "chains": self.n_chains, "samples_per_chain": self.n_samples,
            "burn_in": self.burn_in, "thin": self.thin, "classes": self.n_classes, "seed": seed,
            "draws_at_cap": capped, "interval_method": "equal-tailed posterior",
        }
        return LatentClassResult(
            method="lcmcr", model=f"latent class, K={self.n_classes}", observed=int(table.n_observed),
            estimate=q(0.5), interval=(q(lo), q(hi)), level=self.level, list_names=table.list_names,
            details=details, draws=draws, alpha_draws=alphas,
        )
