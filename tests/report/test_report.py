"""The HTML report: headline numbers, suppression, right-to-left names, no external resources."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import pytest

from shomar.errors import EstimationError
from shomar.estimate import CaptureTable, EstimateResult
from shomar.estimate.strata import StrataResult
from shomar.report import ReportData, render_report, write_report
from tests.report.conftest import make_data


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_headline_states_documented_count_and_estimate_with_interval(data: ReportData) -> None:
    text = _text(render_report(data))
    assert "document at least 311 distinct people" in text
    assert "3,400 (95% interval 2,900–4,100)" in text


def test_small_cells_are_suppressed_in_overlaps_and_patterns(data: ReportData) -> None:
    html = render_report(data)
    assert re.search(r'<td class="l m">110</td>.*?<td>&lt;5</td></tr>', html)  # 3 people on lists 1 and 2 only
    assert "<td>3</td>" not in html
    two = CaptureTable.from_arrays([[1, 0], [0, 1], [1, 1]], [120, 80, 3], ["سازمان الف", "news"])
    overlap = render_report(make_data(capture_table=two)).split("Overlaps between lists")[1].split("Capture patterns")[0]
    assert overlap.count("<td>&lt;5</td>") == 2  # both off-diagonal cells of the 2x2 matrix


def test_no_suppression_marker_when_threshold_is_one() -> None:
    html = render_report(make_data(suppress_below=1))
    assert "<td>3</td>" in html and "&lt;1<" not in html


def test_persian_names_are_isolated_for_right_to_left(data: ReportData) -> None:
    html = render_report(data)
    assert html.count('<bdi dir="auto">سازمان الف</bdi>') >= 4  # sources, both overlap headers, patterns
    assert "سازمان الف" not in re.sub(r'<bdi dir="auto">[^<]*</bdi>', "", html.split("<body>")[1])


def test_no_external_resources(data: ReportData) -> None:
    html = render_report(data)
    assert not re.search(r'(src|href|xlink:href)\s*=\s*["\']?(https?:)?//', html)
    assert "<script" not in html and "@import" not in html and "<link" not in html


def test_methods_that_disagree_are_called_out_with_their_assumptions(data: ReportData) -> None:
    text = _text(render_report(data))
    assert "The methods below disagree" in text  # 3,650 / 2,100 = 1.74 > 1.2
    assert "relaxed: latent classes" in text and "within each latent class only" in text
    agreeing = make_data(estimates=list(data.estimates[:1]))
    assert "disagree" not in _text(render_report(agreeing))


def test_method_section_records_hash_seed_and_settings(data: ReportData) -> None:
    text = _text(render_report(data))
    assert "ab" * 32 in text and "seed (lcmcr) 2024" in text and "BIC among 8 models" in text


def test_synthetic_truth_is_labelled() -> None:
    text = _text(render_report(make_data(truth={"n_people": 3000})))
    assert "synthetic ground truth is 3,000" in text and "no real person appears" in text


def test_strata_below_threshold_are_withheld() -> None:
    strata = [{"stratum": "1401 / تهران", "observed": 40, "estimate": 90.0, "interval": (70.0, 130.0)},
              {"stratum": "1401 / ایلام", "observed": 2, "estimate": 6.0, "interval": (2.0, 20.0)}]
    html = render_report(make_data(strata=strata))
    assert '<bdi dir="auto">1401 / تهران</bdi>' in html and "70–130" in _text(html)
    assert "fewer than 5 people: withheld" in html and "2–20" not in _text(html)


def test_a_report_without_estimates_is_refused() -> None:
    with pytest.raises(EstimationError):
        render_report(make_data(estimates=[]))


def test_same_inputs_same_bytes_and_json_twin_with_report_hash(data: ReportData, tmp_path: Path) -> None:
    a = write_report(data, tmp_path / "a.html")
    b = write_report(make_data(), tmp_path / "b.html")
    assert a.path.read_bytes() == b.path.read_bytes() and a.sha256 == b.sha256
    twin = a.json_path.read_text(encoding="utf-8")
    assert f'"report_sha256": "{a.sha256}"' in twin and '"estimate": 3400.0' in twin
    assert '"110": "<5"' in twin  # the twin suppresses what the page suppresses


def test_write_is_atomic_and_leaves_the_old_report_when_rendering_fails(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    write_report(make_data(), out)
    before = out.read_bytes()
    with pytest.raises(EstimationError):
        write_report(make_data(estimates=[]), out)
    assert out.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["r.html", "r.json"]  # no temporary file left behind


@pytest.mark.browser
def test_renders_in_headless_chromium(tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    strata = [{"stratum": "1401 / تهران", "observed": 140, "estimate": 1500.0, "interval": (1200.0, 1900.0)},
              {"stratum": "1401 / ایلام", "observed": 2, "estimate": 6.0, "interval": (2.0, 20.0)},
              {"stratum": "1402 / Kurdistan", "observed": 169, "estimate": 1900.0, "interval": (1500.0, 2500.0)}]
    page = write_report(make_data(truth={"n_people": 3000}, strata=strata), tmp_path / "r.html").path
    shot = tmp_path / "r.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
                    "--window-size=1280,4400", f"file://{page}"], check=True, capture_output=True, timeout=120)
    pixels = matplotlib.image.imread(shot)[..., :3]
    inked = (pixels.min(axis=2) < 0.9).mean()
    assert inked > 0.01  # text, tables and plots cover well over 1% of a 1280x4400 page; blank is 0
    if os.environ.get("SHOMAR_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["SHOMAR_KEEP_SCREENSHOT"])


def test_text_from_the_data_is_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    sources = [{"name": hostile, "n_records": 162, "n_people": 157},
               {"name": "news", "n_records": 110, "n_people": 106},
               {"name": "family", "n_records": 112, "n_people": 108}]
    html = render_report(make_data(sources=sources, notes=[hostile], title=hostile))
    assert "<script" not in html and "&lt;script&gt;" in html


def test_headline_without_an_interval_says_why(data: ReportData) -> None:
    why = "sum of stratum estimates (no draws to combine: use lcmcr or dga for a total interval)"
    total = EstimateResult(method="LogLinear by stratum", model="2 strata", observed=311, estimate=3500.0,
                           interval=(float("nan"), float("nan")), details={"interval_method": why})
    text = _text(render_report(make_data(estimates=[total, *data.estimates])))
    assert f"3,500 (no interval: {why})" in text and not re.search(r"\bnan\b", text)


def test_overlap_headers_follow_the_capture_table_not_the_source_list(data: ReportData) -> None:
    # A source with no linked records is listed under Sources but has no row in the capture table.
    sources = [*data.sources, {"name": "empty list", "n_records": 0, "n_people": 0}]
    overlap = render_report(make_data(sources=sources)).split("Overlaps between lists")[1].split("Capture patterns")[0]
    assert "empty list" not in overlap and overlap.count('<bdi dir="auto">family</bdi>') == 2


def test_strata_of_a_headline_by_stratum_are_shown_and_withheld_in_the_twin(tmp_path: Path) -> None:
    rows = ({"stratum": "1401 / تهران", "observed": 300, "estimate": 3300.0, "interval": [2800.0, 3900.0]},
            {"stratum": "1401 / ایلام", "observed": 3, "estimate": 9.0, "interval": [3.0, 31.0]})
    total = StrataResult(method="LatentClass by stratum", model="2 strata", observed=303, estimate=3309.0,
                         interval=(2810.0, 3920.0), details={"interval_method": "draws added"}, strata=rows)
    manifest = write_report(make_data(estimates=[total]), tmp_path / "r.html")
    text = _text(manifest.path.read_text(encoding="utf-8"))
    assert "2,800–3,900" in text and "fewer than 5 people: withheld" in text and "3–31" not in text
    twin = json.loads(manifest.json_path.read_text(encoding="utf-8"))
    assert twin["estimates"][0]["strata"][1]["observed"] is None
    assert twin["estimates"][0]["strata"][1]["ci95_ub"] is None


def test_same_bytes_across_processes(data: ReportData) -> None:
    # matplotlib draws SVG ids from a per-process random salt unless svg.hashsalt is fixed.
    script = ("import hashlib; from tests.report.conftest import make_data; from shomar.report import render_report;"
              "print(hashlib.sha256(render_report(make_data()).encode()).hexdigest())")
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           cwd=Path(__file__).parents[2], timeout=120).stdout.strip() for _ in range(2)]
    assert runs[0] == runs[1] == hashlib.sha256(render_report(data).encode()).hexdigest()
