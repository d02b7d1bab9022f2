"""What a report shows, gathered by the pipeline (the report never reads the store itself)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shomar.estimate import CaptureTable, EstimateResult


@dataclass(frozen=True)
class ReportData:
    title: str
    generated_at: str
    workspace: str
    data_hash: str
    linkage: dict[str, Any]
    sources: list[dict[str, Any]]
    capture_table: CaptureTable
    estimates: list[EstimateResult]
    strata: list[dict[str, Any]] | None = None
    truth: dict[str, Any] | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    software_version: str = ""
    suppress_below: int = 5
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportManifest:
    path: Path
    sha256: str
    json_path: Path
