"""A small, plausible report: three lists (one Persian-named), one tiny overlap, three methods."""

from __future__ import annotations

from typing import Any

import pytest

from shomar.estimate import CaptureTable, EstimateResult
from shomar.report import ReportData


def make_data(**over: Any) -> ReportData:
    # Patterns over (ngo_fa, news, family): the 110 pattern has 3 people, below the threshold of 5.
    table = CaptureTable.from_arrays([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1]],
                                     [120, 80, 60, 3, 25, 14, 9], ["سازمان الف", "news", "family"])
    estimates = [
        EstimateResult(method="loglinear", model="[12][13]", observed=311, estimate=3400.0,
                       interval=(2900.0, 4100.0), details={"interval_method": "profile", "selection": "bic",
                                                            "models_fitted": 8}),
        EstimateResult(method="loglinear", model="[1][2][3]", observed=311, estimate=2100.0,
                       interval=(1800.0, 2500.0), details={"model_names": "independence",
                                                            "interval_method": "profile"}),
        EstimateResult(method="lcmcr", model="latent class, K=10", observed=311, estimate=3650.0,
                       interval=(3000.0, 4600.0), details={"seed": 2024,
                                                            "interval_method": "equal-tailed posterior"}),
    ]
    base: dict[str, Any] = dict(
        title="Test report", generated_at="2026-11-25T00:00:00+00:00", workspace="/ws", data_hash="ab" * 32,
        linkage={"n_records": 330, "n_people": 311, "n_within_source_duplicates": 19, "threshold": 0.9,
                 "method": "Splink"},
        sources=[{"name": "سازمان الف", "n_records": 162, "n_people": 157},
                 {"name": "news", "n_records": 110, "n_people": 106},
                 {"name": "family", "n_records": 112, "n_people": 108}],
        capture_table=table, estimates=estimates, software_version="0.1.0", settings={"seed": 2024})
    base.update(over)
    return ReportData(**base)


@pytest.fixture
def data() -> ReportData:
    return make_data()
