"""The self-contained HTML report (inline CSS and SVG, no external resource) and its JSON twin."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from shomar.errors import EstimationError
from shomar.report import figures, tables
from shomar.report.data import ReportData, ReportManifest
from shomar.report.files import atomic_write

DISAGREEMENT_RATIO = 1.2  # methods whose points differ by more than 20% are called out in the text


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.0f}"


def _float(value: Any) -> float:
    return float("nan") if value is None else float(value)


def _interval(bounds: tuple[Any, Any]) -> str:
    lo, hi = (_number(b) for b in bounds)
    return "–" if "–" in (lo, hi) else f"{lo}–{hi}"


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("shomar.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), keep_trailing_newline=True)
    env.filters["n"] = _number
    env.filters["interval"] = _interval
    return env


def _how_made(data: ReportData) -> str:
    head = data.estimates[0]
    details = head.details
    text = f"{head.method}, model {head.model}"
    if details.get("selection"):
        text += f" chosen by {str(details['selection']).upper()} among {details.get('models_fitted', '?')} models"
    return text + f"; {details.get('interval_method', 'unstated')} interval at {head.level:.0%}"


def _figures(data: ReportData) -> dict[str, str]:
    rows = [(tables.label(e), e.estimate, *e.interval) for e in data.estimates]
    patterns = tables.patterns(data)
    out = {
        "estimates_svg": figures.estimates_svg(rows, int(data.capture_table.n_observed),
                                               (data.truth or {}).get("n_people")),
        "sizes_svg": figures.list_sizes_svg([s["name"] for s in data.sources],
                                            [s["n_records"] for s in data.sources],
                                            [s["n_people"] for s in data.sources]),
        "patterns_svg": figures.patterns_svg([p["pattern"] for p in patterns], [p["count"] for p in patterns],
                                             data.suppress_below),
        "strata_svg": "",
    }
    shown = [(f"stratum {i}", r["observed"] or 0, r["estimate"], _float(r["ci95_lb"]), _float(r["ci95_ub"]))
             for i, r in enumerate(tables.strata_rows(data), start=1) if r["estimate"] is not None]
    if shown:
        out["strata_svg"] = figures.strata_svg(shown)
    return out


def render_report(data: ReportData) -> str:
    """The report as one HTML string; the same ``data`` always gives the same string."""
    if not data.estimates:
        raise EstimationError("a report needs at least one estimate (the first is the headline): run `shomar estimate` first")
    return _environment().get_template("report.html.j2").render(
        d=data, head=data.estimates[0], head_label=tables.label(data.estimates[0]),
        observed=int(data.capture_table.n_observed), estimates=tables.estimate_rows(data),
        assumption_names=tables.ASSUMPTION_NAMES, overlaps=tables.overlaps(data),
        patterns=tables.patterns(data), strata=tables.strata_rows(data),
        spread=tables.spread(data), disagreement_ratio=DISAGREEMENT_RATIO,
        how_made=_how_made(data), **_figures(data),
    )


def report_json(data: ReportData) -> dict[str, Any]:
    """The JSON twin: the same (suppressed) numbers the page shows."""
    return {
        "title": data.title, "generated_at": data.generated_at, "software_version": data.software_version,
        "data_hash": data.data_hash, "workspace": data.workspace, "linkage": data.linkage,
        "sources": data.sources,
        "estimates": [tables.public_estimate(e, data.suppress_below) for e in data.estimates],
        "estimate_table": tables.estimate_rows(data),
        "overlaps": tables.overlaps(data),
        "capture_patterns": {p["pattern"]: p["count"] if p["count"] is not None else p["shown"]
                             for p in tables.patterns(data)},
        "strata": tables.strata_rows(data), "truth": data.truth, "settings": data.settings,
        "suppress_below": data.suppress_below, "notes": data.notes,
    }


def write_report(data: ReportData, out_path: str | Path) -> ReportManifest:
    """Write the HTML and ``<name>.json`` atomically; return the path and SHA-256 of the HTML.

    The JSON twin carries the HTML's SHA-256, so the published page can be checked against it.
    """
    out_path = Path(out_path)
    html = render_report(data).encode("utf-8")
    sha = atomic_write(out_path, html)
    twin = {**report_json(data), "report_sha256": sha}
    json_path = out_path.with_suffix(".json")
    atomic_write(json_path, json.dumps(twin, ensure_ascii=False, indent=2, default=str).encode("utf-8"))
    return ReportManifest(out_path, sha, json_path)


__all__ = ["render_report", "report_json", "write_report"]
