"""Poisson log-linear multiple systems estimation with model search and profile intervals.

Model (Fienberg 1972, Biometrika 59:591; Bishop, Fienberg & Holland 1975, ch. 6): the counts of the
2^J − 1 observed capture patterns are independent Poisson with log-mean linear in the list main
effects and the model's interaction terms; the unobserved cell is extrapolated with the same model,
so N̂ = n + exp(β̂₀). The interval is the multinomial profile likelihood interval for N
(Cormack 1992, Biometrics 48:567; as Rcapture's ``closedpCI.t``). Information criteria as Rcapture:
AIC = −2 log L + 2·p and BIC = −2 log L + log(n)·p with the Poisson log-likelihood of the
observed cells (so AIC + (log n − 2)·p = BIC).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln
from scipy.stats import chi2, norm

from shomar.errors import EstimateDoesNotExist, EstimationError
from shomar.estimate._glm import fit_poisson
from shomar.estimate.bootstrap import bootstrap_bca
from shomar.estimate.existence import identifiable, mle_exists, reduced_design
from shomar.estimate.models import Model, parse_model
from shomar.estimate.result import EstimateResult
from shomar.estimate.search import all_models, fit_models, ic_weights, stepwise_model
from shomar.estimate.tables import CaptureTable

SELECTIONS = ("aic", "bic", "stepwise")
INTERVALS = ("profile", "lognormal", "bca", "none")


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
    """Log-linear MSE for a fixed model, the best model by AIC/BIC, or SparseMSE's stepwise choice.

    ``model``: Silverman notation (``"[12,23]"``), list names (``"b*c + c*d"``) or
    ``"independence"``. Without it, ``select`` ("bic", "aic" or "stepwise") chooses among the
    hierarchical models with terms up to ``max_order``; ``average=True`` averages the estimates of
    the top ``ntop`` models (all when None) with information-criterion weights. ``interval``:
    "profile" (multinomial profile likelihood, fixed model), "lognormal" (Chao 1987), "bca"
    (bootstrap with the selection redone in every replicate, ``bootstrap`` replicates, ``ntop``
    candidate models, ``seed``), or "none".
    """

    def __init__(self, *, model: str | None = None, select: str = "bic", max_order: int = 2,
                 interval: str = "profile", level: float = 0.95, p_threshold: float = 0.02,
                 average: bool = False, ntop: int | None = None, bootstrap: int = 1000,
                 bootstrap_kind: str = "nonparametric", seed: int | None = None) -> None:
        if select not in SELECTIONS:
            raise EstimationError(f"select must be one of {', '.join(SELECTIONS)}")
        if interval not in INTERVALS:
            raise EstimationError(f"interval must be one of {', '.join(INTERVALS)}")
        if not 0 < level < 1:
            raise EstimationError("level must be between 0 and 1")
        if bootstrap_kind not in ("parametric", "nonparametric"):
            raise EstimationError("bootstrap_kind must be parametric or nonparametric")
        if average and select == "stepwise":
            raise EstimationError("model averaging uses AIC or BIC weights, not stepwise selection")
        if ntop is not None and ntop < 1:
            raise EstimationError("ntop must be at least 1")
        self.model = model
        self.select = select
        self.max_order = max_order
        self.interval = interval
        self.level = level
        self.p_threshold = p_threshold
        self.average = average
        self.ntop = ntop
        self.bootstrap = bootstrap
        self.bootstrap_kind = bootstrap_kind
        self.seed = seed

    # ------------------------------------------------------------------------------------------
    def fit(self, table: CaptureTable) -> LogLinearResult:
        table = table.collapse() if table.is_stratified else table
        cells = table.cells()
        n = int(cells[1:].sum())
        if n == 0:
            raise EstimateDoesNotExist("the table is empty: nobody was observed")
        chosen, ranking, candidates = self._choose(table, cells)
        point = float(chosen.estimate)  # type: ignore[arg-type]
        details: dict[str, Any] = {
            "terms": [list(t) for t in chosen.model.terms()],
            "model_names": chosen.model.names(table.list_names),
            "deviance": chosen.deviance, "aic": chosen.aic, "bic": chosen.bic,
            "df": (2**table.n_lists - 1) - chosen.n_parameters,
            "models_fitted": len(ranking),
            "selection": None if self.model is not None else self.select,
            "interval_method": self.interval,
        }
        if self.average:
            point, weights = _averaged(ranking[: len(candidates)], self.select)
            details["averaged_over"] = len(candidates)
            details["weights"] = {f.model.silverman(): round(float(w), 6) for f, w in zip(ranking, weights, strict=False) if w > 1e-4}
        lo, hi = self._interval(chosen, cells, candidates, point, details)
        model_label = "averaged" if self.average else chosen.model.silverman()
        return LogLinearResult(
            method="loglinear", model=model_label, observed=n, estimate=point, interval=(lo, hi),
            level=self.level, list_names=table.list_names, details=details, ranking=tuple(ranking),
        )

    def _choose(self, table: CaptureTable, cells: np.ndarray) -> tuple[ModelFit, list[ModelFit], list[Model]]:
        if self.model is not None:
            chosen = fit_model(parse_model(self.model, table.list_names), cells)
            if chosen.problem:
                raise EstimateDoesNotExist(f"model {chosen.model.silverman()}: {chosen.problem}")
            return chosen, [chosen], [chosen.model]
        if self.select == "stepwise":
            model, _steps = stepwise_model(cells, table.n_lists, p_threshold=self.p_threshold)
            chosen = fit_model(model, cells)
            if chosen.problem:
                raise EstimateDoesNotExist(f"stepwise model {model.silverman()}: {chosen.problem}")
            return chosen, [chosen], [model]
        ranking = rank_models(all_models(table.n_lists, self.max_order), cells, self.select)
        if not ranking:
            raise EstimateDoesNotExist("no hierarchical model has an estimate on this table")
        top = ranking[: self.ntop] if self.ntop else ranking
        return ranking[0], ranking, [f.model for f in top]

    def _interval(self, chosen: ModelFit, cells: np.ndarray, candidates: list[Model], point: float,
                  details: dict[str, Any]) -> tuple[float, float]:
        if self.interval == "none":
            return math.nan, math.nan
        if self.interval == "profile":
            if self.average:
                raise EstimationError("a profile interval is for one model: use --interval bca with averaging")
            return profile_interval(chosen.model, cells, self.level)
        if self.interval == "lognormal":
            return lognormal_interval(chosen.model, cells, self.level)
        selector = self._selector(candidates)
        result = bootstrap_bca(
            cells, selector, point, fitted=fitted_cells(chosen.model, cells), n_boot=self.bootstrap,
            seed=self.seed, kind=self.bootstrap_kind, levels=sorted({0.8, 0.95, self.level}),
        )
        details["bootstrap"] = {
            "replicates": len(result.replicates), "failed": result.failed,
            "z0": result.z0, "acceleration": result.acceleration, "kind": self.bootstrap_kind,
            "seed": self.seed, "ntop": len(candidates),
            "intervals": {f"{lv:.0%}": list(iv) for lv, iv in result.intervals.items()},
        }
        return result.intervals[self.level]

    def _selector(self, candidates: list[Model]) -> Callable[[np.ndarray], float]:
        if self.select == "stepwise" and self.model is None:
            n_lists = candidates[0].n_lists
            return lambda c: _stepwise_estimate(c, n_lists, self.p_threshold)
        criterion = "bic" if self.select == "stepwise" else self.select
        average = self.average

        def estimate(c: np.ndarray) -> float:
            est, dev, n_par, status = fit_models(candidates, c, self.max_order)
            ok = status == 0
            if not ok.any():
                return math.nan
            n = float(c[1:].sum())
            ic = dev + (math.log(n) if criterion == "bic" else 2.0) * n_par
            ic = np.where(ok, ic, np.inf)
            if average:
                w = ic_weights(np.where(ok, ic, np.nan))
                return float(np.nansum(w * np.where(ok, est, 0.0)))
            return float(est[int(np.argmin(ic))])

        return estimate


def rank_models(models: list[Model], cells: np.ndarray, criterion: str) -> list[ModelFit]:
    """Fit every model (compiled), confirm doubtful ones exactly, rank by the criterion."""
    est, dev, n_par, status = fit_models(models, cells, max(2, max((len(t) for m in models for t in m.terms()), default=2)))
    n = float(cells[1:].sum())
    constant = saturated_constant(cells)
    fits = []
    for i, model in enumerate(models):
        if status[i] == 0:
            p = int(n_par[i])
            m2ll = float(dev[i]) + constant
            fits.append(ModelFit(model, float(est[i]), float(dev[i]), m2ll + 2 * p,
                                 m2ll + math.log(n) * p, p))
        elif status[i] == 3:  # suspicious: decide with the exact check
            exact = fit_model(model, cells)
            if exact.problem is None:
                fits.append(exact)
    return sorted(fits, key=lambda f: getattr(f, criterion))


def _averaged(ranking: list[ModelFit], criterion: str) -> tuple[float, np.ndarray]:
    values = np.array([getattr(f, "bic" if criterion == "stepwise" else criterion) for f in ranking])
    weights = ic_weights(values)
    return float(np.sum(weights * np.array([f.estimate for f in ranking]))), weights


def _stepwise_estimate(cells: np.ndarray, n_lists: int, p_threshold: float) -> float:
    model, _ = stepwise_model(cells, n_lists, p_threshold=p_threshold)
    est, _, _, status = fit_models([model], cells, 2)
    return float(est[0]) if status[0] == 0 else math.nan


def fitted_cells(model: Model, cells: np.ndarray) -> np.ndarray:
    """Fitted means of the observed cells under a model (structural zeros get 0)."""
    design = reduced_design(model, cells)
    fit = fit_poisson(design.X, design.y)
    out = np.zeros(len(cells) - 1)
    out[design.cells - 1] = fit.fitted
    return out


def lognormal_interval(model: Model, cells: np.ndarray, level: float) -> tuple[float, float]:
    """Chao (1987, Biometrics 43:783) log-normal interval: N̂ = n + f0, log f0 approximately normal.

    var(N̂) = f0 + f0² · var(β̂₀) (the unobserved count's own Poisson variation plus the intercept's
    sampling variance from the inverse Fisher information, Rivest & Lévesque 2001).
    """
    design = reduced_design(model, cells)
    fit = fit_poisson(design.X, design.y)
    n = float(cells[1:].sum())
    f0 = math.exp(fit.beta[0])
    info = design.X.T @ (design.X * fit.fitted[:, None])
    var_b0 = float(np.linalg.inv(info)[0, 0])
    var_n = f0 + f0**2 * var_b0
    c = math.exp(norm.ppf((1 + level) / 2) * math.sqrt(math.log(1 + var_n / f0**2)))
    return n + f0 / c, n + f0 * c


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
    m2ll = dev + saturated_constant(cells)
    return ModelFit(model, n + math.exp(fit.beta[0]), dev, m2ll + 2 * p, m2ll + math.log(n) * p, p)


def saturated_constant(cells: np.ndarray) -> float:
    """−2 log L = deviance + this constant (Poisson log-likelihood of the observed cells with their
    log y! terms, as Rcapture reports AIC and BIC); the same for every model of one table."""
    y = np.asarray(cells[1:], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ylogy = np.where(y > 0, y * np.log(y), 0.0)
    return float(2 * np.sum(gammaln(y + 1) - ylogy + y))


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
