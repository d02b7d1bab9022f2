"""Poisson log-linear multiple systems estimation with model search and profile intervals.

Model (Fienberg 1972, Biometrika 59:591; Bishop, Fienberg & Holland 1975, ch. 6): the counts of the
2^J − 1 observed capture patterns are independent Poisson with log-mean linear in the list main
effects and the model's interaction terms; the unobserved cell is extrapolated with the same model,
so N̂ = n + exp(β̂₀). The interval is the multinomial profile likelihood interval for N
(Cormack 1992, Biometrics 48:567; as Rcapture's ``closedpCI.t``). Information criteria as Rcapture:
AIC = deviance + 2·p, BIC = deviance + log(n)·p (equal to −2 log L + penalty up to a constant).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln
from scipy.stats import chi2

from shomar.errors import EstimateDoesNotExist, EstimationError
from shomar.estimate._glm import fit_poisson
from shomar.estimate.existence import identifiable, mle_exists, reduced_design
from shomar.estimate.models import Model, hierarchical_models, parse_model
from shomar.estimate.result import EstimateResult
from shomar.estimate.tables import CaptureTable

SELECTIONS = ("aic", "bic")


@dataclass(frozen=True)
class ModelFit:
    """One model fitted to one table (or why it could not be)."""

    model: Model
    estimate: float | None
    deviance: float | None
    aic: float | None
    bic: float | None
    n_parameters: int
    problem: str | None = None


@dataclass(frozen=True)
class LogLinearResult(EstimateResult):
    """A log-linear estimate; ``details`` has terms, deviance, aic, bic and models_fitted."""

    ranking: tuple[ModelFit, ...] = field(default=(), repr=False, compare=False)


class LogLinear:
    """Log-linear MSE for a fixed model or the best model by AIC/BIC among hierarchical models.

    ``model``: Silverman notation (``"[12,23]"``), list names (``"b*c + c*d"``) or
    ``"independence"``; when None, ``select`` ("bic" or "aic") searches every hierarchical model
    with terms up to ``max_order`` and keeps the best one whose estimate exists.
    """

    def __init__(self, *, model: str | None = None, select: str = "bic", max_order: int = 2,
                 interval: str = "profile", level: float = 0.95) -> None:
        if select not in SELECTIONS:
            raise EstimationError(f"select must be one of {', '.join(SELECTIONS)}")
        if interval not in ("profile", "none"):
            raise EstimationError("interval must be 'profile' or 'none'")
        if not 0 < level < 1:
            raise EstimationError("level must be between 0 and 1")
        self.model = model
        self.select = select
        self.max_order = max_order
        self.interval = interval
        self.level = level

    def fit(self, table: CaptureTable) -> LogLinearResult:
        table = table.collapse() if table.is_stratified else table
        cells = table.cells()
        n = int(cells[1:].sum())
        if n == 0:
            raise EstimateDoesNotExist("the table is empty: nobody was observed")
        if self.model is not None:
            chosen = fit_model(parse_model(self.model, table.list_names), cells)
            if chosen.problem:
                raise EstimateDoesNotExist(f"model {chosen.model.silverman()}: {chosen.problem}")
            ranking: tuple[ModelFit, ...] = (chosen,)
        else:
            fits = [fit_model(m, cells) for m in hierarchical_models(table.n_lists, self.max_order)]
            valid = [f for f in fits if f.problem is None]
            if not valid:
                raise EstimateDoesNotExist("no hierarchical model has an estimate on this table")
            ranking = tuple(sorted(valid, key=lambda f: getattr(f, self.select)))
            chosen = ranking[0]
        assert chosen.estimate is not None
        lo, hi = (profile_interval(chosen.model, cells, self.level) if self.interval == "profile"
                  else (math.nan, math.nan))
        details: dict[str, Any] = {
            "terms": [list(t) for t in chosen.model.terms()],
            "model_names": chosen.model.names(table.list_names),
            "deviance": chosen.deviance, "aic": chosen.aic, "bic": chosen.bic,
            "df": (2**table.n_lists - 1) - chosen.n_parameters,
            "models_fitted": len(ranking) if self.model is None else 1,
            "selection": None if self.model is not None else self.select,
            "interval_method": self.interval,
        }
        return LogLinearResult(
            method="loglinear", model=chosen.model.silverman(), observed=n,
            estimate=float(chosen.estimate), interval=(lo, hi), level=self.level,
            list_names=table.list_names, details=details, ranking=ranking,
        )


def fit_model(model: Model, cells: np.ndarray) -> ModelFit:
    """Fit one model to a cell vector (index 0 ignored); problems are reported, never numbers."""
    design = reduced_design(model, cells)
    p = design.X.shape[1]
    n = float(cells[1:].sum())
    if not identifiable(design.X):
        return ModelFit(model, None, None, None, None, p, "not identifiable (the design is rank deficient)")
    if not mle_exists(design.X, design.y):
        return ModelFit(model, None, None, None, None, p,
                        "the maximum-likelihood estimate does not exist (a fitted cell is on the "
                        "boundary: Fienberg–Rinaldo linear programme)")
    fit = fit_poisson(design.X, design.y)
    if not fit.converged or not np.isfinite(fit.beta[0]) or fit.beta[0] > math.log(1e9):
        return ModelFit(model, None, None, None, None, p, "the fit did not converge")
    dev = fit.deviance
    return ModelFit(model, n + math.exp(fit.beta[0]), dev, dev + 2 * p, dev + math.log(n) * p, p)


def profile_interval(model: Model, cells: np.ndarray, level: float) -> tuple[float, float]:
    """Multinomial profile-likelihood interval for N under a fixed model."""
    n = float(cells[1:].sum())
    design = reduced_design(model, cells)
    X_full = np.vstack([_zero_row(design), design.X])
    y_obs = design.y

    def loglik(N: float) -> float:
        y = np.concatenate([[N - n], y_obs])
        fit = fit_poisson(X_full, y)
        mu = fit.fitted / fit.fitted.sum()
        with np.errstate(divide="ignore"):
            terms = np.where(y > 0, y * np.log(mu), 0.0)
        return float(gammaln(N + 1) - gammaln(N - n + 1) + terms.sum())

    point = fit_model(model, cells).estimate or n
    upper_search = max(point * 4, n + 50)
    best = minimize_scalar(lambda N: -loglik(N), bounds=(n, upper_search), method="bounded",
                           options={"xatol": 1e-3})
    l_max = -best.fun
    cut = chi2.ppf(level, 1) / 2

    def gap(N: float) -> float:
        return l_max - loglik(N) - cut

    lo = n if gap(n) <= 0 else brentq(gap, n, best.x, xtol=1e-4)
    hi_bracket = best.x * 2
    while gap(hi_bracket) < 0:
        hi_bracket *= 2
        if hi_bracket > 1e9:
            return lo, math.inf
    hi = brentq(gap, best.x, hi_bracket, xtol=1e-4)
    return float(lo), float(hi)


def _zero_row(design: Any) -> np.ndarray:
    row = np.zeros(design.X.shape[1])
    row[0] = 1.0  # only the intercept is "on" in the unobserved cell
    return row
