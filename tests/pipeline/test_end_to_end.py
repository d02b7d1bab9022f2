"""The whole path through the CLI on a small synthetic scenario: init, import, link, export, estimate, report."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shomar.cli import app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory):
    from shomar.demo import generate_scenario

    return generate_scenario(tmp_path_factory.mktemp("scenario"), n_people=400, seed=7)


def _ok(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_runs_every_stage_and_recovers_the_truth(scenario, tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    _ok(["init", ws])
    for name, path, map_path, *_ in scenario.sources:
        args = ["import", str(path), "--source", name, "-w", ws]
        _ok([*args, "--map", str(map_path)] if map_path else args)
    _ok(["link", "-w", ws])
    links_csv = tmp_path / "links.csv"
    _ok(["export", "links", "--out", str(links_csv), "-w", ws])
    with links_csv.open(encoding="utf-8") as handle:
        links = list(csv.DictReader(handle))
    assert set(links[0]) == {"source", "record_id", "person_id"}
    assert len(links) == sum(dict(scenario.n_records_per_source).values())

    scores = json.loads(_ok(["link", "evaluate", "--truth", str(scenario.truth_path), "-w", ws, "--json"]))
    # Simple linkage must still find most true pairs on a clean synthetic scenario; a broken
    # linkage (everything merged or nothing merged) scores far below these.
    assert scores["precision"] > 0.8 and scores["recall"] > 0.7

    estimate = json.loads(_ok(["estimate", "-w", ws, "--json"]))
    assert {"method", "model", "observed", "estimate", "interval", "level"} <= set(estimate)
    lo, hi = estimate["interval"]
    assert lo <= estimate["estimate"] <= hi
    assert estimate["observed"] <= estimate["estimate"]

    report = tmp_path / "report.html"
    _ok(["report", "--out", str(report), "-w", ws])
    html = report.read_text(encoding="utf-8")
    assert "<html" in html.lower() and 'src="http' not in html
