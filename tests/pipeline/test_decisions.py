"""Review decisions survive a full re-link, and travel as Splink labels files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shomar.demo import generate_scenario
from shomar.link import LinkSettings
from shomar.pipeline import import_file, latest_links, run_link
from shomar.storage import init_workspace, open_workspace
from tests.conftest import run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("decisions")
    scenario = generate_scenario(root / "sources", n_people=300, seed=5)
    ws = root / "ws"
    init_workspace(ws)
    for name, path, map_path, *_ in scenario.sources:
        import_file(ws, path, source=name, map_path=map_path, user="t")
    run_link(ws, user="t")
    return ws


def _person(ws: Path) -> dict[str, str]:
    links = latest_links(ws)
    return dict(zip(links["record_uid"], links["person_id"], strict=True))


def test_decisions_survive_a_full_relink(workspace: Path) -> None:
    person = _person(workspace)
    by_person: dict[str, list[str]] = {}
    for uid, pid in person.items():
        by_person.setdefault(pid, []).append(uid)
    linked = next(uids for uids in by_person.values() if len(uids) >= 2)
    apart = [*[u for u in person if person[u] != person[linked[0]]][:1], linked[0]]
    store = open_workspace(workspace).store
    store.add_match_decision(linked[0], linked[1], "non-match", user="reviewer", why="different father")
    store.add_match_decision(apart[0], apart[1], "match", user="reviewer", why="same person, typo")
    run_link(workspace, user="t")
    after = _person(workspace)
    assert after[linked[0]] != after[linked[1]]
    assert after[apart[0]] == after[apart[1]]


def test_labels_round_trip_and_bad_label_file_adds_nothing(workspace: Path, tmp_path: Path) -> None:
    ws = str(workspace)
    out = tmp_path / "labels.csv"
    assert run_cli(["labels", "export", "--out", str(out), "-w", ws]).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("source_dataset_l,unique_id_l,source_dataset_r,unique_id_r,clerical_match_score")
    before = len(open_workspace(workspace).store.match_decisions())
    bad = tmp_path / "bad.csv"
    bad.write_text(text.splitlines()[0] + "\nngo_fa,ngo_fa/NOPE,news,news/NE00001,1\n", encoding="utf-8")
    result = run_cli(["labels", "import", str(bad), "-w", ws])
    assert result.exit_code == 2 and ":2:unique_id_l:" in result.output
    assert len(open_workspace(workspace).store.match_decisions()) == before
    assert run_cli(["labels", "import", str(out), "-w", ws]).exit_code == 0


def test_explain_blocking_and_model_saved_with_training_hash(workspace: Path) -> None:
    table = json.loads(run_cli(["link", "--explain-blocking", "-w", str(workspace), "--json"]).output)
    assert all(row["pairs"] >= 0 for row in table) and len(table) == len(LinkSettings().blocking_rules)
    models = sorted((workspace / "models").glob("linkage-*.json"))
    saved = json.loads(models[-1].read_text(encoding="utf-8"))
    assert len(saved["training_data_hash"]) == 64 and "comparisons" in saved["splink_model"]


def test_review_command_records_answers_batch_after_batch(workspace: Path) -> None:
    # Two batches (y n, then y and quit): the second is ranked by a model re-trained on the first,
    # with the matching keys derived once for the session.
    from typer.testing import CliRunner

    from shomar.cli import app

    before = len(open_workspace(workspace).store.match_decisions())
    result = CliRunner().invoke(app, ["review", "-w", str(workspace), "--batch", "2"], input="yn" + "yq")
    assert result.exit_code == 0, result.output
    assert "Decisions: match 2, non-match 1" in result.output
    assert len(open_workspace(workspace).store.match_decisions()) == before + 3
