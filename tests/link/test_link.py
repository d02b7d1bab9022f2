"""Linkage: cross-script records of one person join, different people stay apart, constraints hold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shomar.link import LinkSettings, evaluate, link_records
from shomar.link.cluster import constrained_clusters

COLUMNS = ["record_uid", "source", "record_id", "full_name", "given_name", "family_name",
           "father_name", "sex", "age", "date_start", "date_end", "date_precision", "province_code"]


def _records(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS[1:])
    frame.insert(0, "record_uid", frame["source"] + "/" + frame["record_id"])
    frame["age"] = frame["age"].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    rows = []
    # 40 distinct people, each on two lists in two scripts; plus one within-list duplicate.
    given = ["محمدرضا", "علی", "حسین", "زهرا", "مهدی", "رضا", "امیر", "سعید"]
    given_en = ["Mohammad Reza", "Ali", "Hossein", "Zahra", "Mahdi", "Reza", "Amir", "Saeed"]
    family = ["حسینی", "رضایی", "کریمی", "موسوی", "جعفری"]
    family_en = ["Hoseini", "Rezaee", "Karimi", "Moosavi", "Ja'fari"]
    for i in range(40):
        g, f = i % 8, i // 8
        day = f"2022-10-{(i % 28) + 1:02d}"
        sex = "f" if g == 3 else "m"
        rows.append(("fa", f"{i}", f"{given[g]} {family[f]}", given[g], family[f], None, sex, 20 + i % 30,
                     day, day, "day", f"IR-{i % 31:02d}"))
        rows.append(("en", f"{i}", f"{given_en[g]} {family_en[f]}", given_en[g], family_en[f], None, sex,
                     20 + i % 30, day, day, "day", f"IR-{i % 31:02d}"))
    rows.append(("fa", "dup", "محمد رضا حسيني", None, None, None, "m", 20, "2022-10-01", "2022-10-01", "day", "IR-00"))
    return _records(rows)


def test_cross_script_people_are_found(small: pd.DataFrame) -> None:
    result = link_records(small)
    truth = small[["source", "record_id"]].copy()
    truth["person_id"] = [("T0" if r == "dup" else f"T{r}") for r in truth["record_id"]]
    scores = evaluate(result.clusters, truth)
    # Each person has the same name key, day, age and province on both lists: a working linkage
    # finds every pair; merging distinct people (same given name, other family) costs precision.
    assert scores.recall > 0.95 and scores.precision > 0.95
    assert set(result.clusters["record_uid"]) == set(small["record_uid"])


def test_at_most_one_record_group_per_list_per_person() -> None:
    records = _records([
        ("a", "1", "x", None, None, None, None, None, None, None, None, None),
        ("a", "2", "x", None, None, None, None, None, None, None, None, None),
        ("b", "1", "x", None, None, None, None, None, None, None, None, None),
    ])
    pairs = pd.DataFrame({
        "uid_l": ["a/1", "a/2"], "uid_r": ["b/1", "b/1"], "source_dataset_l": ["a", "a"],
        "source_dataset_r": ["b", "b"], "match_probability": [0.99, 0.98],
        "is_placeholder_l": [False, False], "is_placeholder_r": [False, False]})
    clusters = constrained_clusters(records, pairs, threshold=0.9).set_index("record_uid")["person_id"]
    assert clusters["a/1"] == clusters["b/1"] != clusters["a/2"]


def test_decisions_are_constraints() -> None:
    records = _records([("a", str(i), "x", None, None, None, None, None, None, None, None, None) for i in range(3)])
    pairs = pd.DataFrame({"uid_l": ["a/0"], "uid_r": ["a/1"], "source_dataset_l": ["a"], "source_dataset_r": ["a"],
                          "match_probability": [0.99], "is_placeholder_l": [False], "is_placeholder_r": [False]})
    decisions = pd.DataFrame({"uid_l": ["a/0", "a/1"], "uid_r": ["a/1", "a/2"], "decision": ["non-match", "match"]})
    person = constrained_clusters(records, pairs, threshold=0.9, decisions=decisions).set_index("record_uid")["person_id"]
    assert person["a/0"] != person["a/1"] and person["a/1"] == person["a/2"]


def test_placeholder_names_never_auto_link() -> None:
    records = _records([("a", "1", "Unknown", None, None, None, "m", 30, "2022-10-01", "2022-10-01", "day", "IR-11"),
                        ("b", "1", "ناشناس", None, None, None, "m", 30, "2022-10-01", "2022-10-01", "day", "IR-11")])
    result = link_records(records, settings=LinkSettings())
    assert result.clusters["person_id"].nunique() == 2


def test_evaluate_counts_pairs() -> None:
    clusters = pd.DataFrame({"source": ["a"] * 4, "record_id": list("1234"), "person_id": ["P1", "P1", "P1", "P2"]})
    truth = pd.DataFrame({"source": ["a"] * 4, "record_id": list("1234"), "person_id": ["T1", "T1", "T2", "T2"]})
    scores = evaluate(clusters, truth)
    # predicted pairs: 12,13,23 (3); true pairs: 12,34 (2); correct: 12 (1)
    assert (scores.precision, scores.recall) == (pytest.approx(1 / 3), 0.5)


def test_pairs_kept_are_those_that_can_change_a_clustering(small: pd.DataFrame) -> None:
    """Low pairs leave DuckDB only between records that have a strong pair, and dropping the rest
    changes no clustering: re-adding the dropped kind (low pairs touching a record without any
    strong pair) leaves every person as it was."""
    settings = LinkSettings(blocking_rules=("l.date_start = r.date_start",))  # many weak pairs
    # People on one list only, dying on days others died: their only pairs are weak.
    lonely_rows = _records([("fa", f"solo{i}", name, None, None, None, "m", 60, day, day, "day", "IR-20")
                            for i, (name, day) in enumerate([("کاوه آهنگر", "2022-10-01"),
                                                             ("بیژن گیو", "2022-10-02"),
                                                             ("رستم زال", "2022-10-03")])])
    small = pd.concat([small, lonely_rows], ignore_index=True)
    result = link_records(small, settings=settings)
    pairs = result.pairs
    floor = min(settings.review_threshold, 0.5)
    strong = set(pairs.loc[pairs["match_probability"] >= floor, ["uid_l", "uid_r"]].to_numpy().ravel())
    weak = pairs[pairs["match_probability"] < floor]
    assert result.pairs_scored > len(pairs)  # something was dropped on this blocking
    assert weak["uid_l"].isin(strong).all() and weak["uid_r"].isin(strong).all()
    lonely = sorted(set(small["record_uid"]) - strong)
    assert lonely
    extra = pd.DataFrame({"uid_l": lonely, "uid_r": [small["record_uid"].iloc[0]] * len(lonely),
                          "source_dataset_l": "fa", "source_dataset_r": "fa",
                          "match_probability": 0.01, "match_weight": -10.0,
                          "is_placeholder_l": False, "is_placeholder_r": False})
    widened = pd.concat([pairs.astype({"source_dataset_l": object, "source_dataset_r": object}), extra],
                        ignore_index=True)
    again = constrained_clusters(small, widened, threshold=settings.match_threshold)
    pd.testing.assert_frame_equal(again, result.clusters)


def test_review_queue_order_is_reproducible(small: pd.DataFrame) -> None:
    result = link_records(small, settings=LinkSettings(blocking_rules=("l.date_start = r.date_start",)))
    queue = result.review_queue()
    shuffled = type(result)(result.clusters, result.pairs.sample(frac=1, random_state=3), result.settings)
    pd.testing.assert_frame_equal(shuffled.review_queue()[["uid_l", "uid_r"]], queue[["uid_l", "uid_r"]])


def test_names_outside_the_name_table_link_across_scripts_on_their_skeleton(small: pd.DataFrame) -> None:
    # Family names no table knows, written in two scripts: vowels differ, consonants agree.
    extra = _records([
        ("fa", "x1", "ریبوار فتح‌زاده", "ریبوار", "فتح‌زاده", None, "m", 33, "2022-11-16", "2022-11-16", "day", "IR-06"),
        ("en", "x1", "Ribvar Fathzadeh", "Ribvar", "Fathzadeh", None, "m", 33, "2022-11-16", "2022-11-16", "day", "IR-06"),
        ("fa", "x2", "جمیل راستسیرتی", "جمیل", "راستسیرتی", None, "m", None, "2022-10-23", "2022-11-21", "month", "IR-04"),
        ("en", "x2", "Jamil Rastsirati", "Jamil", "Rastsirati", None, "m", 29, "2022-11-05", "2022-11-05", "day", "IR-04"),
    ])
    records = pd.concat([small, extra], ignore_index=True)
    people = link_records(records).clusters.set_index("record_uid")["person_id"]
    assert people["fa/x1"] == people["en/x1"]
    # A month-only date (Aban 1401) holding the other list's day is compatible, not a disagreement.
    assert people["fa/x2"] == people["en/x2"]
    assert people["fa/x1"] != people["fa/x2"]


def test_a_year_only_date_does_not_contradict_a_day_in_that_year(small: pd.DataFrame) -> None:
    extra = _records([
        ("fa", "y1", "کاوه آهنگرانی", "کاوه", "آهنگرانی", "فریدون", "m", 41, "2022-01-01", "2022-12-31", "year", "IR-20"),
        ("en", "y1", "Kaveh Ahangarani", "Kaveh", "Ahangarani", "Fereydoun", "m", 41, "2022-10-09", "2022-10-09", "day", "IR-20"),
        ("news", "y2", "Kaveh Ahangarani", "Kaveh", "Ahangarani", "Fereydoun", "m", 41, "2019-11-17", "2019-11-17", "day", "IR-20"),
    ])
    records = pd.concat([small, extra], ignore_index=True)
    result = link_records(records)
    people = result.clusters.set_index("record_uid")["person_id"]
    assert people["fa/y1"] == people["en/y1"]
    # The same name, father and age but a death three years outside the year scores below the
    # pair inside it.
    pair = result.pairs[((result.pairs["uid_l"] == "fa/y1") & (result.pairs["uid_r"] == "news/y2"))
                        | ((result.pairs["uid_l"] == "news/y2") & (result.pairs["uid_r"] == "fa/y1"))]
    assert len(pair) == 1 and float(pair["match_probability"].iloc[0]) < float(
        result.pairs.loc[((result.pairs["uid_l"] == "fa/y1") & (result.pairs["uid_r"] == "en/y1"))
                         | ((result.pairs["uid_l"] == "en/y1") & (result.pairs["uid_r"] == "fa/y1")),
                         "match_probability"].iloc[0])


@pytest.mark.parametrize(("text", "name", "aliases"), [
    ("Ayub (Ribaz) Salehivand", "Ayub Salehivand", ["Ribaz Salehivand"]),
    ("Sadegh Aramesh (Brahoei)", "Sadegh Aramesh", ["Sadegh Brahoei"]),
    ("مهدی (احسان) کمالی", "مهدی کمالی", ["احسان کمالی"]),
    ("Ali Rezaei", "Ali Rezaei", []),
])
def test_aliases_in_parentheses(text: str, name: str, aliases: list[str]) -> None:
    from shomar.link.features import alias_names

    assert alias_names(text) == (name, aliases)


def test_a_name_known_by_its_alias_links(small: pd.DataFrame) -> None:
    extra = _records([
        ("fa", "z1", "ایوب (ریباز) صالحی‌وند", None, None, "رحیم", "m", 20, "2022-11-22", "2022-11-22", "day", "IR-04"),
        ("en", "z1", "Ribaz Salehivand", None, None, "Rahim", "m", 20, "2022-11-22", "2022-11-22", "day", "IR-04"),
    ])
    result = link_records(pd.concat([small, extra], ignore_index=True),
                          settings=LinkSettings(blocking_rules=(*LinkSettings().blocking_rules,
                                                                "l.father_key = r.father_key")))
    people = result.clusters.set_index("record_uid")["person_id"]
    assert people["fa/z1"] == people["en/z1"]


def test_review_shows_what_each_field_says(small: pd.DataFrame) -> None:
    from rich.console import Console

    from shomar.link.review import render_pair

    result = link_records(small)
    weights = [c for c in result.pairs.columns if c.startswith("mw_")]
    assert {"mw_name", "mw_date", "mw_province", "mw_sex"} <= set(weights)
    pair = result.pairs.sort_values("match_probability").iloc[-1]
    # The comparisons' weights add up to the pair's weight, less the prior's.
    prior = float(pair["match_weight"]) - sum(float(pair[c]) for c in weights)
    other = result.pairs.iloc[0]
    assert float(other["match_weight"]) - sum(float(other[c]) for c in weights) == pytest.approx(prior, abs=1e-3)
    indexed = small.set_index("record_uid")
    console = Console(width=200, record=True)
    console.print(render_pair(indexed.loc[pair["uid_l"]], indexed.loc[pair["uid_r"]], pair))
    text = console.export_text()
    assert "name +" in text and "province +" in text


def test_em_cross_check_is_reported_not_used(small: pd.DataFrame) -> None:
    checked = link_records(small)
    unchecked = link_records(small, settings=LinkSettings(em_check=False))
    assert any(note.startswith("EM cross-check") for note in checked.notes)
    assert not any(note.startswith("EM cross-check") for note in unchecked.notes)
    # Reported only: the people and the scores are the same with or without it.
    pd.testing.assert_frame_equal(checked.clusters, unchecked.clusters)
    same = lambda model: {k: v for k, v in model.items() if k != "linker_uid"}  # noqa: E731
    assert same(checked.model) == same(unchecked.model)


def test_a_records_other_name_counts_as_an_alias(small: pd.DataFrame) -> None:
    # One list writes her by her Kurdish name in Persian with her Latin name beside it, the other
    # only by the Latin name she is known by: without the other name the two records share only a
    # family name.
    rows = [("fa", "jina", "ژینا امینی", None, None, None, "f", None, "2022-09-16", "2022-09-16", "day", None),
            ("en", "mahsa", "Mahsa Amini", None, None, None, "f", None, "2022-09-16", "2022-09-16", "day", None)]
    records = pd.concat([small, _records(rows)], ignore_index=True)
    without = link_records(records)
    records["other_name"] = [None] * len(small) + ["Mahsa Amini", None]
    with_other = link_records(records)

    def weight(result) -> float:  # type: ignore[no-untyped-def]
        pairs = result.pairs.set_index(["uid_l", "uid_r"])["match_weight"].to_dict()
        return pairs.get(("en/mahsa", "fa/jina"), pairs.get(("fa/jina", "en/mahsa"), -np.inf))

    assert weight(with_other) > max(weight(without), 0.0)
    person = with_other.clusters.set_index("record_uid")["person_id"]
    assert person["fa/jina"] == person["en/mahsa"]
    apart = without.clusters.set_index("record_uid")["person_id"]
    assert apart["fa/jina"] != apart["en/mahsa"]


def test_keys_derived_earlier_give_the_same_linkage(small: pd.DataFrame) -> None:
    from shomar.link.features import derive_features

    fresh = link_records(small)
    reused = link_records(small, features=derive_features(small))
    assert reused.clusters.equals(fresh.clusters)
    pd.testing.assert_frame_equal(reused.pairs, fresh.pairs)
    # Keys of other records are not used: here they would link nobody to anybody.
    stale = derive_features(small.iloc[::-1].reset_index(drop=True))
    assert link_records(small, features=stale).clusters.equals(fresh.clusters)


def test_the_alias_level_asks_what_an_intersection_would() -> None:
    """The alias level answers as Splink's ``array_length(list_intersect(..)) >= 1`` did, on lists
    as alias lists come (missing, one skeleton, several, repeated), for every pair that reaches
    it: those whose skeletons differ, as the levels before it take the others."""
    import duckdb

    from shomar.link.model import _alias_overlap, comparisons
    from shomar.link.name_columns import has_aliases

    records = [("mhmd", ["mhmd"]), ("rz", ["rz"]), ("mhmd", ["mhmd", "rz"]), ("hsn", ["hsn", "hsn"]),
               (None, ["x$"]), (None, None), ("rz", ["rz", "mhmd"]), ("x$", ["x$"]), ("b", None)]
    pairs = [(a, b) for a in records for b in records if a[0] is None or b[0] is None or a[0] != b[0]]
    frame = pd.DataFrame([(a[1], b[1], has_aliases(a[1], a[0]), has_aliases(b[1], b[0])) for a, b in pairs],
                         columns=["alias_skels_l", "alias_skels_r", "has_aliases_l", "has_aliases_r"])
    condition = _alias_overlap(0.02).get_comparison_level("duckdb").sql_condition
    connection = duckdb.connect()
    connection.register("frame", frame)
    agrees = connection.execute(f"SELECT coalesce({condition}, false) AS v FROM frame").df()["v"].tolist()
    expected = [bool(a[1] and b[1] and set(a[1]) & set(b[1])) for a, b in pairs]
    assert agrees == expected
    assert sum(expected) > 0 and not all(expected)
    # The flag alone would say otherwise of pairs with equal skeletons: the level must come after
    # the one equating them.
    levels = [level.sql_condition for level in comparisons()[0].get_comparison("duckdb").comparison_levels]
    alias_at = next(i for i, c in enumerate(levels) if "alias_skels_l" in c)
    assert "skel_joined_l = skel_joined_r" in levels[:alias_at]
