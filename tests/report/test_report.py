"""The HTML report: headline numbers, suppression, right-to-left names, no external resources."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from shomar.estimate import CaptureTable, EstimateResult
from shomar.report import ReportData, render_report, write_report


def _data(**over) -> ReportData:
    table = CaptureTable.from_arrays([[1, 0], [0, 1], [1, 1]], [120, 80, 3], ["ngo_fa", "news"])
    est = EstimateResult(method="loglinear", model="[1,2]", observed=203, estimate=3400.0,
                         interval=(2900.0, 4100.0), details={"model_names": "independence",
                                                             "interval_method": "profile"})
    base = dict(title="Test report", generated_at="2026-11-25T00:00:00+00:00", workspace="/ws",
                data_hash="ab" * 32, linkage={"n_records": 210, "n_people": 203,
                                              "n_within_source_duplicates": 7, "threshold": 0.9,
                                              "method": "Splink"},
                sources=[{"name": "سازمان الف", "n_records": 126, "n_people": 123},
                         {"name": "news", "n_records": 84, "n_people": 83}],
                capture_table=table, estimates=[est], software_version="0.1.0")
    base.update(over)
    return ReportData(**base)


def test_headline_states_documented_count_and_estimate_with_interval() -> None:
    html = render_report(_data())
    text = re.sub(r"<[^>]+>", "", html)
    assert "at least 203" in text and "3,400" in text and "2,900–4,100" in text


def test_small_cells_are_suppressed() -> None:
    html = render_report(_data())
    assert "&lt;5" in html  # the overlap of 3 people is never printed
    assert ">3<" not in html


def test_persian_names_are_isolated_for_right_to_left() -> None:
    assert '<bdi dir="auto">سازمان الف</bdi>' in render_report(_data())


def test_no_external_resources() -> None:
    html = render_report(_data())
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html)
    assert "<script" not in html and "@import" not in html


def test_same_inputs_same_bytes_and_json_twin(tmp_path: Path) -> None:
    a = write_report(_data(), tmp_path / "a.html")
    b = write_report(_data(), tmp_path / "b.html")
    assert a.sha256 == b.sha256
    assert a.json_path.exists() and '"estimate": 3400.0' in a.json_path.read_text(encoding="utf-8")


@pytest.mark.browser
def test_renders_in_headless_chromium(tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    page = write_report(_data(), tmp_path / "r.html").path
    shot = tmp_path / "r.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
                    "--window-size=1280,2000", f"file://{page}"], check=True, capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000  # a blank page compresses far smaller
