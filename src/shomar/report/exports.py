"""CSV and JSON exports beside the report: the same (suppressed) numbers, machine-readable."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shomar.report import tables
from shomar.report.data import ReportData
from shomar.report.files import atomic_write


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _capture_rows(data: ReportData) -> list[dict[str, Any]]:
    names = data.capture_table.list_names
    out = []
    for row in tables.patterns(data):
        flags = dict(zip(names, row["pattern"], strict=True))
        out.append({**flags, "pattern": row["pattern"], "count": row["shown"].replace(",", "")})
    return out


def write_exports(data: ReportData, out_dir: str | Path) -> dict[str, str]:
    """Write estimates.csv, capture_table.csv (small cells suppressed), sources.csv, strata.csv
    (when strata exist) and exports.json atomically; return {file name: sha256}."""
    out_dir = Path(out_dir)
    estimates = tables.estimate_rows(data)
    files: dict[str, bytes] = {
        "estimates.csv": _csv(estimates, list(estimates[0]) if estimates else ["method"]),
        "capture_table.csv": _csv(_capture_rows(data),
                                  [*data.capture_table.list_names, "pattern", "count"]),
        "sources.csv": _csv(data.sources, ["name", "n_records", "n_people"]),
    }
    strata = tables.strata_rows(data)
    if strata:
        files["strata.csv"] = _csv(strata, list(strata[0]))
    files["exports.json"] = json.dumps({
        "data_hash": data.data_hash, "software_version": data.software_version,
        "suppress_below": data.suppress_below, "estimates": estimates,
        "capture_table": _capture_rows(data), "sources": data.sources, "strata": strata,
    }, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    return {name: atomic_write(out_dir / name, body) for name, body in files.items()}
