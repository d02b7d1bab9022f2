"""`shomar estimate TABLE.csv --json` and its exit code when no estimate exists."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

DATA = Path(__file__).parent.parent / "data" / "mse"


def test_json_has_the_documented_keys_and_golden_number() -> None:
    result = run_cli(["estimate", str(DATA / "korea_palembang_comfort_women_3lists.csv"), "--model", "[12,23]", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"method", "model", "observed", "estimate", "interval", "level"} <= set(data)
    assert data["estimate"] == pytest.approx(157.17, abs=0.006)  # published to 2 decimals
    assert data["observed"] == 123 and data["level"] == 0.95


def test_non_existent_estimate_exits_3_with_a_sentence(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("A,B,C,count\n1,1,0,6\n1,0,0,40\n0,1,0,30\n0,0,1,20\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", "from shomar.cli import main; main()", "estimate",
                           str(table), "--model", "A*B"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert "does not exist" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_table_names_row_and_column(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("A,B,count\n1,0,5\n2,1,3\n", encoding="utf-8")
    result = run_cli(["estimate", str(table)])
    assert result.exit_code == 2 and ":3:A:" in result.output


def test_stepwise_bca_json_has_issue_keys() -> None:
    result = run_cli(["estimate", str(DATA / "korea_palembang_comfort_women_3lists.csv"), "--select", "stepwise",
                      "--interval", "bca", "--bootstrap", "200", "--seed", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"method", "model", "terms", "observed", "estimate", "interval", "level", "aic", "bic",
            "models_fitted"} <= set(data)
    assert data["model"] == "[12,3]" and data["bootstrap"]["seed"] == 3


def test_closed_method_and_strata(tmp_path: Path) -> None:
    result = run_cli(["estimate", str(DATA / "kosovo_1999_4lists.csv"), "--method", "closed", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["method"] == "closed"
    table = tmp_path / "s.csv"
    table.write_text("region,a,b,count\nnorth,1,0,50\nnorth,0,1,40\nnorth,1,1,20\nsouth,1,0,3\nsouth,0,1,2\n",
                     encoding="utf-8")
    strata = json.loads(run_cli(["estimate", str(table), "--by", "region", "--json"]).output)["strata"]
    by_name = {s["stratum"]: s for s in strata}
    assert by_name["north"]["estimate"] == pytest.approx(70 * 60 / 20)
    assert by_name["south"]["estimate"] is None and "no hierarchical model" in by_name["south"]["problem"]


def test_dga_through_the_cli() -> None:
    result = run_cli(["estimate", str(DATA / "dga_madigan_york_5lists_example.csv"), "--method", "dga",
                      "--delta", "0.5", "--n-missing", "1:300", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["estimate"], data["interval"]) == (616, [588, 655])
    assert data["mean"] == pytest.approx(617.82, abs=0.005)


def test_lcmcr_through_the_cli() -> None:
    result = run_cli(["estimate", str(DATA / "korea_palembang_comfort_women_3lists.csv"), "--method", "lcmcr",
                      "--samples", "200", "--burnin", "2000", "--thin", "5", "--chains", "2", "--seed", "1",
                      "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"mean", "rhat_N", "ess_N"} <= set(data) and data["estimate"] >= 123
