"""The self-contained HTML report (inline CSS and SVG, no external resource) and its JSON twin."""

from __future__ import annotations

import hashlib
import json
import os
from itertools import product
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from shomar.report import figures
from shomar.report.data import ReportData, ReportManifest

ASSUMPTIONS = {
    "loglinear": "list dependence captured by the model's interactions",
    "lcmcr": "heterogeneous capture absorbed by latent classes; lists independent within a class",
    "dga": "dependence described by decomposable graphs, averaged by posterior weight",
    "closed": "the capture-probability structure of the chosen closed-population model",
}


def suppress(count: int, threshold: int) -> str:
    return f"<{threshold}" if 0 < count < threshold else f"{count:,}"


def _overlaps(data: ReportData) -> list[list[str]]:
    table = data.capture_table
    J = table.n_lists
    out = []
    for a in range(J):
        row = []
        for b in range(J):
            both = int(table.counts[(table.patterns[:, a] == 1) & (table.patterns[:, b] == 1)].sum())
            row.append(suppress(both, data.suppress_below))
        out.append(row)
    return out


def _patterns(data: ReportData) -> tuple[list[str], list[int | None]]:
    cells = data.capture_table.cells()
    labels, counts = [], []
    for bits in product("01", repeat=data.capture_table.n_lists):
        index = int("".join(bits), 2)
        if index == 0:
            continue
        labels.append("".join(bits))
        c = int(cells[index])
        counts.append(None if 0 < c < data.suppress_below else c)
    return labels, counts


def _assumes(e: Any) -> str:
    if e.method == "loglinear" and e.details.get("model_names") == "independence":
        return "lists independent, everyone equally likely to be recorded"
    return ASSUMPTIONS.get(e.method, "")


def _label(e: Any) -> str:
    return f"{e.method} {e.model}"


def render_report(data: ReportData) -> str:
    env = Environment(loader=PackageLoader("shomar.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]))
    head = data.estimates[0]
    observed = int(data.capture_table.n_observed)
    rows = [(_label(e), e.estimate, *e.interval) for e in data.estimates]
    truth = (data.truth or {}).get("n_people")
    labels, counts = _patterns(data)
    estimates = [{"method": e.method, "model": e.model, "estimate": e.estimate, "interval": e.interval,
                  "observed": e.observed, "assumes": _assumes(e)} for e in data.estimates]
    head_label = (f"the {head.method} model {head.model}"
                  + (f" ({head.details['model_names']})" if head.details.get("model_names") else ""))
    head_how = (f"{head.method}, model {head.model}"
                + (f" chosen by {head.details['selection'].upper()} among {head.details['models_fitted']} models"
                   if head.details.get("selection") else "")
                + f"; {head.details.get('interval_method', '')} interval at {head.level:.0%}")
    return env.get_template("report.html.j2").render(
        title=data.title, generated_at=data.generated_at, software_version=data.software_version,
        data_hash=data.data_hash, truth=data.truth, observed=observed, head=head,
        head_label=head_label, head_how=head_how, estimates=estimates,
        estimates_svg=figures.estimates_svg(rows, observed, truth),
        sources=data.sources,
        sizes_svg=figures.list_sizes_svg([s["name"] for s in data.sources],
                                         [s["n_records"] for s in data.sources],
                                         [s["n_people"] for s in data.sources]),
        overlaps=_overlaps(data), suppress_below=data.suppress_below,
        patterns_svg=figures.patterns_svg(labels, counts), linkage=data.linkage,
        workspace=data.workspace, notes=data.notes,
    )


def report_json(data: ReportData) -> dict[str, Any]:
    labels, counts = _patterns(data)
    return {
        "title": data.title, "generated_at": data.generated_at, "software_version": data.software_version,
        "data_hash": data.data_hash, "workspace": data.workspace, "linkage": data.linkage,
        "sources": data.sources, "estimates": [e.to_dict() for e in data.estimates],
        "capture_patterns": dict(zip(labels, [c if c is not None else f"<{data.suppress_below}" for c in counts], strict=True)),
        "truth": data.truth, "settings": data.settings, "suppress_below": data.suppress_below,
        "strata": data.strata, "notes": data.notes,
    }


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_report(data: ReportData, out_path: str | Path) -> ReportManifest:
    """Write the HTML and ``<name>.json`` atomically; return the path and SHA-256 of the HTML."""
    out_path = Path(out_path)
    html = render_report(data).encode("utf-8")
    json_path = out_path.with_suffix(".json")
    _atomic_write(json_path, json.dumps(report_json(data), ensure_ascii=False, indent=2, default=str).encode())
    _atomic_write(out_path, html)
    return ReportManifest(out_path, hashlib.sha256(html).hexdigest(), json_path)


__all__ = ["render_report", "report_json", "write_report"]
