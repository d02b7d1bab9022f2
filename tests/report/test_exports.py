"""CSV/JSON exports: the same suppressed numbers as the page, written atomically."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from shomar.report import write_exports
from tests.report.conftest import make_data


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_exports_write_each_file_with_its_hash(tmp_path: Path) -> None:
    hashes = write_exports(make_data(), tmp_path)
    assert set(hashes) == {"estimates.csv", "capture_table.csv", "sources.csv", "exports.json"}
    for name, sha in hashes.items():
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == sha
    assert not list(tmp_path.glob(".*.tmp"))


def test_capture_table_export_suppresses_small_cells(tmp_path: Path) -> None:
    write_exports(make_data(), tmp_path)
    rows = {r["pattern"]: r["count"] for r in _rows(tmp_path / "capture_table.csv")}
    assert rows["110"] == "<5" and rows["101"] == "25" and len(rows) == 7
    assert '"count": "<5"' in (tmp_path / "exports.json").read_text(encoding="utf-8")


def test_estimates_export_has_intervals_and_assumptions(tmp_path: Path) -> None:
    write_exports(make_data(), tmp_path)
    rows = _rows(tmp_path / "estimates.csv")
    assert [r["estimate"] for r in rows] == ["3400.0", "2100.0", "3650.0"]
    assert rows[0]["ci95_lb"] == "2900.0" and rows[0]["is_headline"] == "True"
    assert rows[2]["assumes_homogeneity"].startswith("relaxed")


def test_strata_export_withholds_small_strata(tmp_path: Path) -> None:
    strata = [{"stratum": "a", "observed": 3, "estimate": 9.0, "interval": (3.0, 30.0)}]
    write_exports(make_data(strata=strata), tmp_path)
    row = _rows(tmp_path / "strata.csv")[0]
    assert row["observed"] == "" and row["estimate"] == "" and "withheld" in row["note"]
    assert json.loads((tmp_path / "exports.json").read_text(encoding="utf-8"))["strata"][0]["estimate"] is None


def test_persian_source_names_survive_the_round_trip(tmp_path: Path) -> None:
    write_exports(make_data(), tmp_path)
    assert _rows(tmp_path / "sources.csv")[0]["name"] == "سازمان الف"
