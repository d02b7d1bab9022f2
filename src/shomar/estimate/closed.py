"""The closed-population family of Rcapture's ``closedp.t`` as Poisson log-linear models.

Each model describes the counts of the 2^t − 1 observed capture histories ω (Cormack 1989,
Biometrics 45:395; Rivest & Baillargeon 2007, Rcapture, J. Stat. Softw. 19:5), with k(ω) the number
of captures:

* M0: log μ_ω = u + β·k(ω) (one capture probability for everyone and every occasion);
* Mt: a main effect per occasion (the log-linear independence model);
* Mh: log μ_ω = u + β·k(ω) + τ·h(k(ω)) with h(k) = 2^k − 1 (Poisson2), k²/2 (Darroch) or
  −log(1 + k/3.5) (Gamma3.5): heterogeneous capture probabilities;
* Mth: Mt plus the same heterogeneity term;
* Mb: a behavioural response after first capture (see ``_behavioural``);
* Mh/Mth Chao (LB): Chao's (1987, Biometrics 43:783) lower bound as a log-linear model, with a
  column max(k − j + 1, 0) per j = 3..t whose coefficients η_j must be non-negative (a negative one
  is dropped and the model refitted, as Rcapture does).

N̂ = n + exp(û) for the log-linear models; deviance, AIC and BIC as in ``LogLinear``. Rcapture's
behavioural models Mb and Mbh are fitted as in Otis et al. (1978) (``_behavioural``,
``_behavioural_heterogeneous``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import norm

from shomar.errors import EstimationError
from shomar.estimate._glm import fit_poisson
from shomar.estimate.existence import mle_exists
from shomar.estimate.models import cell_patterns
from shomar.estimate.result import EstimateResult
from shomar.estimate.tables import CaptureTable

HETEROGENEITY = {
    "Poisson2": lambda k: 2.0**k - 1.0,
    "Darroch": lambda k: k**2 / 2.0,
    "Gamma3.5": lambda k: -np.log1p(k / 3.5),
}


@dataclass(frozen=True)
class ClosedModelFit:
    name: str
    abundance: float | None
    stderr: float | None
    deviance: float | None
    df: int
    aic: float | None
    bic: float | None
    problem: str | None = None


@dataclass(frozen=True)
class ClosedPopulationResult(EstimateResult):
    """The best model by BIC as the estimate; ``fits`` holds every model of the family."""

    fits: tuple[ClosedModelFit, ...] = field(default=(), repr=False, compare=False)

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame([f.__dict__ for f in self.fits])


class ClosedPopulation:
    """Fit the closedp.t family; the headline is the model with the smallest BIC."""

    def __init__(self, *, level: float = 0.95) -> None:
        if not 0 < level < 1:
            raise EstimationError("level must be between 0 and 1")
        self.level = level

    def fit(self, table: CaptureTable) -> ClosedPopulationResult:
        table = table.collapse() if table.is_stratified else table
        cells = table.cells()
        pats = cell_patterns(table.n_lists)
        k = pats.sum(axis=1)
        y = cells[1:].astype(float)
        one = np.ones(len(y))
        designs: dict[str, np.ndarray] = {"M0": np.column_stack([one, k]),
                                          "Mt": np.column_stack([one, pats])}
        chao = np.column_stack([np.maximum(k - j + 1, 0) for j in range(3, table.n_lists + 1)]) \
            if table.n_lists >= 3 else np.zeros((len(y), 0))
        designs["Mh Chao (LB)"] = np.column_stack([one, k, chao])
        for name, h in HETEROGENEITY.items():
            designs[f"Mh {name}"] = np.column_stack([one, k, h(k)])
        designs["Mth Chao (LB)"] = np.column_stack([one, pats, chao])
        for name, h in HETEROGENEITY.items():
            designs[f"Mth {name}"] = np.column_stack([one, pats, h(k)])
        n_fixed = {name: X.shape[1] - (chao.shape[1] if "Chao" in name else 0) for name, X in designs.items()}
        fits = [_fit(name, X, y, n_fixed=n_fixed[name] if "Chao" in name else None)
                for name, X in designs.items()]
        fits.append(_behavioural(pats, y))
        fits.append(_behavioural_heterogeneous(pats, y))
        # A model without a finite standard error gives no interval: never the estimate.
        valid = [f for f in fits if f.problem is None and f.bic is not None
                 and (f.stderr is None or math.isfinite(f.stderr))]
        if not valid:
            raise EstimationError("no closed-population model has an estimate on this table")
        best = min(valid, key=lambda f: f.bic)  # type: ignore[arg-type, return-value]
        z = norm.ppf((1 + self.level) / 2)
        n = int(y.sum())
        f0 = best.abundance - n  # type: ignore[operator]
        c = math.exp(z * math.sqrt(math.log(1 + (best.stderr or 0.0) ** 2 / max(f0, 1e-9) ** 2)))
        return ClosedPopulationResult(
            method="closed", model=best.name, observed=n, estimate=float(best.abundance),  # type: ignore[arg-type]
            interval=(n + f0 / c, n + f0 * c), level=self.level, list_names=table.list_names,
            details={"interval_method": "lognormal", "aic": best.aic, "bic": best.bic,
                     "models": [f.__dict__ for f in fits]},
            fits=tuple(fits),
        )


def _fit(name: str, X: np.ndarray, y: np.ndarray, n_fixed: int | None = None) -> ClosedModelFit:
    if n_fixed is not None:
        X = _drop_negative_eta(X, y, n_fixed)
    df = len(y) - X.shape[1]
    if np.linalg.matrix_rank(X) < X.shape[1] or df < 0:
        return ClosedModelFit(name, None, None, None, df, None, None, "not identifiable")
    if not mle_exists(X, y):
        return ClosedModelFit(name, None, None, None, df, None, None, "the estimate does not exist")
    fit = fit_poisson(X, y)
    n = float(y.sum())
    f0 = math.exp(fit.beta[0])
    info = X.T @ (X * fit.fitted[:, None])
    var = f0 + f0**2 * float(np.linalg.inv(info)[0, 0])
    p = X.shape[1]
    m2ll = -2 * fit.loglik
    return ClosedModelFit(name, n + f0, math.sqrt(var), fit.deviance, df, m2ll + 2 * p, m2ll + math.log(n) * p)


def _drop_negative_eta(X: np.ndarray, y: np.ndarray, n_fixed: int) -> np.ndarray:
    """Chao's lower-bound model needs η_j ≥ 0: drop the first negative η column and refit, until
    none is negative (Rivest & Baillargeon 2007)."""
    while X.shape[1] > n_fixed:
        eta = fit_poisson(X, y).beta[n_fixed:]
        negative = np.flatnonzero(eta < 0)
        if len(negative) == 0:
            break
        X = np.delete(X, n_fixed + negative[0], axis=1)
    return X


def _behavioural(pats: np.ndarray, y: np.ndarray) -> ClosedModelFit:
    """Mb (Otis et al. 1978): first-capture probability p, recapture probability c.

    log μ_ω = u + a·(f(ω) − 1) + b·(k(ω) − 1), f the occasion of first capture, so a Poisson fit
    gives c = expit(b), 1 − p = e^a (1 − c), N = e^u / (p (1 − c)^(t−1)) and the unobserved count
    N (1 − p)^t. The standard error is by the delta method on (u, a, b).
    """
    t = pats.shape[1]
    first = np.argmax(pats == 1, axis=1).astype(float)
    k = pats.sum(axis=1)
    X = np.column_stack([np.ones(len(y)), first, k - 1])
    fit = fit_poisson(X, y)
    n = float(y.sum())

    def unobserved(beta: np.ndarray) -> float:
        u, a, b = beta
        c = 1 / (1 + math.exp(-b))
        q = math.exp(a) * (1 - c)  # 1 - p
        if not 0 < q < 1:
            return math.nan
        return math.exp(u) / ((1 - q) * (1 - c) ** (t - 1)) * q**t

    f0 = unobserved(fit.beta)
    if not fit.converged or not math.isfinite(f0):
        return ClosedModelFit("Mb", None, None, None, len(y) - 3, None, None, "the estimate does not exist")
    cov = np.linalg.inv(X.T @ (X * fit.fitted[:, None]))
    grad = np.array([(unobserved(fit.beta + h) - f0) / 1e-6 for h in np.eye(3) * 1e-6])
    var = f0 + float(grad @ cov @ grad)
    m2ll = -2 * fit.loglik
    return ClosedModelFit("Mb", n + f0, math.sqrt(var), fit.deviance, len(y) - 3, m2ll + 6, m2ll + math.log(n) * 3)


def _behavioural_heterogeneous(pats: np.ndarray, y: np.ndarray) -> ClosedModelFit:
    """Mbh (Pollock's removal model with a different first occasion, Otis et al. 1978).

    log μ_ω = u + a·[not caught on occasion 1] + b·(f − 1) + c·(k − 1): first capture on occasion 1
    has its own probability p1, later first captures p = 1 − e^b/(1 + e^c), recapture r = expit(c),
    so N = e^u (1 + e^c)^(t−1) (1 + e^(a+b) / (1 + e^c − e^b)). Var(N̂) = ∇N' V ∇N − N (the
    delta method conditional on N, as Rcapture).
    """
    t = pats.shape[1]
    first = np.argmax(pats == 1, axis=1).astype(float)
    k = pats.sum(axis=1)
    X = np.column_stack([np.ones(len(y)), 1.0 - pats[:, 0], first, k - 1])
    fit = fit_poisson(X, y)
    n = float(y.sum())

    def total(beta: np.ndarray) -> float:
        u, a, b, c = beta
        denominator = 1 + math.exp(c) - math.exp(b)
        if denominator <= 0:
            return math.nan
        return math.exp(u) * (1 + math.exp(c)) ** (t - 1) * (1 + math.exp(a + b) / denominator)

    N = total(fit.beta)
    if t < 3 or not fit.converged or not math.isfinite(N) or N < n:
        return ClosedModelFit("Mbh", None, None, None, len(y) - 4, None, None, "the estimate does not exist")
    cov = np.linalg.inv(X.T @ (X * fit.fitted[:, None]))
    grad = np.array([(total(fit.beta + h) - N) / 1e-6 for h in np.eye(4) * 1e-6])
    var = float(grad @ cov @ grad) - N
    _, _, b, c = fit.beta
    if not math.isfinite(var) or 1 - math.exp(b) / (1 + math.exp(c)) < 1e-6:
        # Later first captures with probability ≈ 0: N runs off to infinity (the fit sits on
        # the boundary; Rcapture flags it too).
        return ClosedModelFit("Mbh", None, None, None, len(y) - 4, None, None,
                              "the estimate is unbounded (first captures after occasion 1 have probability ≈ 0)")
    m2ll = -2 * fit.loglik
    return ClosedModelFit("Mbh", N, math.sqrt(max(var, 0.0)), fit.deviance, len(y) - 4, m2ll + 8,
                          m2ll + math.log(n) * 4)
