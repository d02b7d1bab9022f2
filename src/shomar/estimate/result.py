"""The result every estimator returns: frozen, serialisable, renderable on its own.

Estimators (``fit(table)``) return an ``EstimateResult`` or a subclass with more fields. The
JSON form (``to_dict``) always has ``method, model, observed, estimate, interval, level`` so the
CLI, the report and the store read every method the same way.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np


@dataclass(frozen=True)
class EstimateResult:
    """A population estimate with its interval.

    ``estimate`` is the point estimate (MLE, or the posterior median for Bayesian methods);
    ``interval`` the (lower, upper) bounds at ``level`` (0.95 = 95%). ``details`` holds
    method-specific numbers (deviance, diagnostics, warnings) as plain JSON-able values.
    """

    method: str
    model: str
    observed: int
    estimate: float
    interval: tuple[float, float]
    level: float = 0.95
    list_names: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def unobserved(self) -> float:
        return self.estimate - self.observed

    def to_dict(self) -> dict[str, Any]:
        """Every summary field and detail, JSON-ready. Raw arrays (posterior draws, a posterior
        grid) stay on the result object: thousands of numbers per estimate are not a summary."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "details" or (not f.repr and isinstance(value, np.ndarray)):
                continue
            out[f.name] = _jsonable(value)
        out.update({k: _jsonable(v) for k, v in self.details.items()})
        return out

    def summary(self) -> Any:
        """One-row DataFrame in the shared vocabulary (see shared/STYLE.md)."""
        import pandas as pd

        lo, hi = self.interval
        pct = round(self.level * 100)
        return pd.DataFrame(
            [{
                "method": self.method,
                "model": self.model,
                "observed": self.observed,
                "estimate": self.estimate,
                f"ci{pct}_lb": lo,
                f"ci{pct}_ub": hi,
            }]
        )

    def to_frame(self) -> Any:
        return self.summary()

    def plot(self, ax: Any = None) -> Any:
        """Point and interval against the observed count; returns the Axes, never shows."""
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 1.8))
        lo, hi = self.interval
        ax.errorbar([self.estimate], [0], xerr=[[self.estimate - lo], [hi - self.estimate]],
                    fmt="o", color="#1f4e79", capsize=6)
        ax.axvline(self.observed, color="#888", linestyle="--", label="observed")
        ax.set_yticks([])
        ax.set_xlabel("people")
        ax.set_title(f"{self.method} {self.model}: {self.estimate:,.0f}")
        ax.legend(loc="lower right", frameon=False)
        return ax


def _jsonable(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return None if math.isnan(v) else v
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return _jsonable(asdict(value))
    return value
