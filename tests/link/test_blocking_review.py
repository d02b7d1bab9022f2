"""Blocking explanation and budget, the review loop, per-threshold evaluation, diagnostics."""

from __future__ import annotations

import pandas as pd
import pytest

from shomar.errors import LinkError
from shomar.link import LinkSettings, explain_blocking
from shomar.link.blocking import check_budget
from shomar.link.diagnostics import cluster_diagnostics
from shomar.link.review import review_loop


def _features() -> pd.DataFrame:
    return pd.DataFrame({"unique_id": [f"a/{i}" for i in range(6)],
                         "name_key": ["ali", "ali", "ali", "reza", "reza", None],
                         "date_year": [2022, 2022, 2023, 2022, 2022, 2022]})


def test_pairs_per_rule_and_recall_on_labels() -> None:
    settings = LinkSettings(blocking_rules=("l.name_key = r.name_key",
                                            "l.name_key = r.name_key and l.date_year = r.date_year"))
    labels = pd.DataFrame({"uid_l": ["a/0", "a/2"], "uid_r": ["a/1", "a/5"], "decision": ["match", "match"]})
    table = explain_blocking(_features(), settings, labels)
    # ali×3 gives 3 pairs and reza×2 one; a missing key never blocks.
    assert table["pairs"].tolist() == [4, 2]
    assert table["recall_cumulative"].tolist() == [0.5, 0.5]


def test_budget_refusal_names_the_worst_rule() -> None:
    settings = LinkSettings(blocking_rules=("l.name_key = r.name_key",), pair_budget=3)
    with pytest.raises(LinkError, match=r"over the budget of 3.*l\.name_key = r\.name_key"):
        check_budget(_features(), settings)


def test_review_loop_decides_skips_undoes_and_quits() -> None:
    records = pd.DataFrame({"record_uid": ["a/1", "b/1", "a/2", "b/2", "a/3", "b/3"], "source": list("ababab"),
                            "record_id": ["1", "1", "2", "2", "3", "3"], "full_name": ["x"] * 6})
    queue = pd.DataFrame({"uid_l": ["a/1", "a/2", "a/3"], "uid_r": ["b/1", "b/2", "b/3"],
                          "match_probability": [0.6, 0.7, 0.8], "match_weight": [0.5, 1.0, 2.0]})
    keys = iter(["y", "n", "z", "u", "q"])
    decided, undone = [], []
    counts = review_loop(queue, records, read_key=lambda: next(keys),
                         on_decision=lambda a, b, d, p: decided.append((a, b, d)),
                         on_undo=lambda a, b: undone.append((a, b)), show=lambda _: None)
    assert decided == [("a/1", "b/1", "match"), ("a/2", "b/2", "non-match"), ("a/2", "b/2", "unsure")]
    assert undone == [("a/2", "b/2")]
    assert counts["match"] == 1 and counts["undone"] == 1


def test_diagnostics_flag_two_dates_of_death() -> None:
    records = pd.DataFrame({"record_uid": ["a/1", "b/1"], "source": ["a", "b"],
                            "date_start": ["2022-09-30", "2022-11-16"], "date_precision": ["day", "day"]})
    clusters = pd.DataFrame({"record_uid": ["a/1", "b/1"], "person_id": ["P1", "P1"]})
    found = cluster_diagnostics(clusters, records)
    assert found["conflicting_dates"] == [{"person_id": "P1", "days_apart": 47}]
