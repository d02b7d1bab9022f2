"""The numbers a report shows, as plain rows: overlaps, capture patterns, estimates, strata.

Suppression lives here so the HTML, its JSON twin and the CSV exports publish exactly the same
cells: a count of 1 to ``threshold - 1`` people is replaced by ``"<threshold"`` everywhere.
"""

from __future__ import annotations

import math
from itertools import product
from typing import Any

from shomar.estimate import EstimateResult
from shomar.report.data import ReportData

ASSUMPTION_NAMES = ("closed population", "perfect matching", "homogeneity", "independence")
NEEDED = "needed"

# Which of the four classic assumptions each method needs, and how it relaxes the others
# (International Working Group for Disease Monitoring and Forecasting 1995; Lum, Price & Banks 2013).
_RELAXED: dict[str, dict[str, str]] = {
    "loglinear": {"homogeneity": "partly: heterogeneity that shows as list dependence",
                  "independence": "relaxed: interactions in the selected model"},
    "dga": {"homogeneity": "partly: heterogeneity that shows as list dependence",
            "independence": "relaxed: averaged over decomposable graphs"},
    "lcmcr": {"homogeneity": "relaxed: latent classes",
              "independence": "within each latent class only"},
    "closed": {"homogeneity": "depends on the model (Mh/Mth relax it)",
               "independence": "depends on the model (Mb relaxes it)"},
}


def suppress(count: float | None, threshold: int) -> str:
    """Display form of a count of people: small nonzero counts are never printed."""
    if count is None or (isinstance(count, float) and math.isnan(count)):
        return "–"
    if 0 < count < threshold:
        return f"<{threshold}"
    return f"{count:,.0f}"


def is_small(count: float | None, threshold: int) -> bool:
    return count is not None and 0 < count < threshold


def overlaps(data: ReportData) -> list[list[str]]:
    """People on both list a and list b (the diagonal: people on list a), suppressed."""
    table = data.capture_table
    rows = []
    for a in range(table.n_lists):
        row = []
        for b in range(table.n_lists):
            both = int(table.counts[(table.patterns[:, a] == 1) & (table.patterns[:, b] == 1)].sum())
            row.append(suppress(both, data.suppress_below))
        rows.append(row)
    return rows


def patterns(data: ReportData) -> list[dict[str, Any]]:
    """Every observable capture pattern with its count (``None`` when suppressed)."""
    table = data.capture_table
    cells = table.cells()
    rows = []
    for bits in product("01", repeat=table.n_lists):
        index = int("".join(bits), 2)
        if index == 0:
            continue
        count = int(cells[index])
        small = is_small(count, data.suppress_below)
        rows.append({"pattern": "".join(bits),
                     "lists": [name for name, bit in zip(table.list_names, bits, strict=True) if bit == "1"],
                     "count": None if small else count,
                     "shown": suppress(count, data.suppress_below)})
    return rows


def assumptions(estimate: EstimateResult) -> dict[str, str]:
    """For each classic assumption: whether this estimate needs it, or how it relaxes it."""
    relaxed = dict(_RELAXED.get(estimate.method, {}))
    if estimate.method == "loglinear" and estimate.details.get("model_names") == "independence":
        relaxed = {}
    return {name: relaxed.get(name, NEEDED) for name in ASSUMPTION_NAMES}


def label(estimate: EstimateResult) -> str:
    names = estimate.details.get("model_names")
    return f"{estimate.method} {estimate.model}" + (f" ({names})" if names else "")


def seed_of(estimate: EstimateResult) -> Any:
    if "seed" in estimate.details:
        return estimate.details["seed"]
    return (estimate.details.get("bootstrap") or {}).get("seed")


def estimate_rows(data: ReportData) -> list[dict[str, Any]]:
    """One row per estimate, headline first, in the shared summary vocabulary."""
    return [{
        "method": e.method, "model": e.model, "label": label(e), "observed": e.observed,
        "estimate": e.estimate, "ci95_lb": e.interval[0], "ci95_ub": e.interval[1], "level": e.level,
        "interval_method": e.details.get("interval_method", ""), "seed": seed_of(e),
        "is_headline": i == 0, **{f"assumes_{k.replace(' ', '_')}": v for k, v in assumptions(e).items()},
    } for i, e in enumerate(data.estimates)]


def withhold_small_strata(strata: Any, threshold: int) -> list[dict[str, Any]]:
    """Stratum rows in the shared vocabulary; a stratum with fewer than ``threshold`` documented
    people is withheld whole (its estimate and interval bound the count)."""
    rows = []
    for s in strata or []:
        observed = s.get("observed")
        interval = s.get("interval") or (s.get("ci95_lb"), s.get("ci95_ub"))
        withheld = is_small(observed, threshold)
        rows.append({"stratum": str(s.get("stratum", "")),
                     "observed": None if withheld else observed,
                     "estimate": None if withheld else s.get("estimate"),
                     "ci95_lb": None if withheld else interval[0],
                     "ci95_ub": None if withheld else interval[1],
                     "note": f"fewer than {threshold} people: withheld" if withheld
                     else str(s.get("problem", ""))})
    return rows


def strata_rows(data: ReportData) -> list[dict[str, Any]]:
    """The strata to show: ``data.strata``, else those of a headline estimate made by stratum."""
    headline = data.estimates[0] if data.estimates else None
    strata = data.strata if data.strata is not None else getattr(headline, "strata", None)
    return withhold_small_strata(strata, data.suppress_below)


def public_estimate(estimate: EstimateResult, threshold: int) -> dict[str, Any]:
    """``estimate.to_dict()`` with any per-stratum rows passed through the same withholding."""
    out = estimate.to_dict()
    if out.get("strata"):
        out["strata"] = withhold_small_strata(out["strata"], threshold)
    return out


def spread(data: ReportData) -> float:
    """Largest ratio between the methods' point estimates (1.0 when they agree)."""
    points = [e.estimate for e in data.estimates if e.estimate and not math.isnan(e.estimate)]
    return max(points) / min(points) if len(points) > 1 else 1.0
