"""The synthetic scenario: deterministic, complete truth, the formats it promises, dependent capture."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from shomar.demo import generate_scenario


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory):
    return generate_scenario(tmp_path_factory.mktemp("a"), n_people=1500, seed=11)


def _digest(paths: list[Path]) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def test_same_seed_same_bytes_other_seed_other_bytes(scenario, tmp_path: Path) -> None:
    again = generate_scenario(tmp_path / "b", n_people=1500, seed=11)
    other = generate_scenario(tmp_path / "c", n_people=1500, seed=12)
    files = [s[1] for s in scenario.sources] + [scenario.truth_path]
    assert _digest(files) == _digest([s[1] for s in again.sources] + [again.truth_path])
    assert _digest(files) != _digest([s[1] for s in other.sources] + [other.truth_path])


def test_truth_covers_every_record_exactly_once(scenario) -> None:
    with scenario.truth_path.open(encoding="utf-8") as fh:
        truth = list(csv.DictReader(fh))
    keys = [(t["source"], t["record_id"]) for t in truth]
    assert len(keys) == len(set(keys)) == sum(scenario.n_records_per_source.values())
    per_source = {}
    for t in truth:
        per_source.setdefault(t["source"], set()).add(t["person_id"])
    # Within-list duplicates exist but stay rare (the generator repeats ~3.5% of a list's people).
    for source, n in scenario.n_records_per_source.items():
        dup_share = 1 - len(per_source[source]) / n
        assert 0.005 < dup_share < 0.08, source


def test_legacy_file_is_cp1256_with_arabic_letters(scenario) -> None:
    data = dict((s[0], s[1]) for s in scenario.sources)["legacy"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1256")
    assert "ي" in text and "ی" not in text


def test_capture_is_dependent_so_two_list_estimates_fall_short(scenario) -> None:
    # Lincoln–Petersen on ngo_en × news (news copies ngo_en) must under-count the true N clearly:
    # positive dependence is what the estimator has to model.
    with scenario.people_path.open(encoding="utf-8") as fh:
        people = list(csv.DictReader(fh))
    a = sum(int(p["ngo_en"]) for p in people)
    b = sum(int(p["news"]) for p in people)
    both = sum(int(p["ngo_en"]) and int(p["news"]) for p in people)
    assert a * b / both < 0.7 * len(people)


def test_names_collide_across_people(scenario) -> None:
    with scenario.people_path.open(encoding="utf-8") as fh:
        people = list(csv.DictReader(fh))
    names = [(p["given"], p["family"]) for p in people]
    assert len(set(names)) < 0.95 * len(names)
