"""The Spark engine scores the same model as DuckDB and so finds the same people.

One local Spark session serves the whole module (starting a JVM costs seconds); every linkage in
it reuses that session, which the module closes at the end.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from shomar.errors import LinkError
from shomar.link import LinkSettings, link_records
from tests.link.scenario_records import scenario_records

pytestmark = pytest.mark.xdist_group("spark")  # one JVM per test run, not one per worker


def _java_missing() -> str | None:
    home = os.environ.get("JAVA_HOME")  # as the engine looks: JAVA_HOME first, then PATH
    java = Path(home) / "bin" / "java" if home else shutil.which("java")
    return None if java and Path(java).exists() else "no Java (the Spark engine needs Java 17+)"


@pytest.fixture(scope="module")
def spark_engine():
    pytest.importorskip("pyspark", reason="pyspark not installed: pip install 'shomar[spark]'")
    if reason := _java_missing():
        pytest.skip(reason)
    from shomar.link.engines import SparkEngine

    engine = SparkEngine()
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory):
    from shomar.demo import generate_scenario

    return generate_scenario(tmp_path_factory.mktemp("scenario"), n_people=300, seed=2024)


@pytest.fixture(scope="module")
def records(scenario) -> pd.DataFrame:
    return scenario_records(scenario)


def _partition(clusters: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(group) for _, group in clusters.groupby("person_id")["record_uid"]}


def _decisions(scenario, records: pd.DataFrame) -> pd.DataFrame:
    """Reviewer decisions taken from the truth: 15 matches and 15 non-matches."""
    truth = pd.read_csv(scenario.truth_path, dtype=str)
    person = dict(zip(truth["source"] + "/" + truth["record_id"], truth["person_id"], strict=True))
    uids = sorted(records["record_uid"])
    by_person: dict[str, list[str]] = {}
    for uid in uids:
        by_person.setdefault(person[uid], []).append(uid)
    matches = [group[:2] for group in by_person.values() if len(group) > 1][:15]
    others = [(a, b) for a, b in zip(uids[::2], uids[1::2], strict=False) if person[a] != person[b]][:15]
    rows = [(a, b, "match") for a, b in matches] + [(a, b, "non-match") for a, b in others]
    return pd.DataFrame(rows, columns=["uid_l", "uid_r", "decision"])


@pytest.mark.spark
@pytest.mark.parametrize("with_decisions", [False, True], ids=["priors", "m-from-decisions"])
def test_spark_finds_the_same_people_as_duckdb(spark_engine, scenario, records: pd.DataFrame,
                                               with_decisions: bool) -> None:
    decisions = _decisions(scenario, records) if with_decisions else None
    duck = link_records(records, settings=LinkSettings(engine="duckdb"), decisions=decisions)
    spark = link_records(records, settings=LinkSettings(engine="spark"), decisions=decisions)
    assert spark.notes == duck.notes
    assert any(note.startswith("m corrected from") for note in spark.notes) == with_decisions
    assert spark.pairs_scored == duck.pairs_scored > 0
    assert _partition(spark.clusters) == _partition(duck.clusters)
    assert spark.clusters.equals(duck.clusters)  # person ids follow from the partition
    keys = ["uid_l", "uid_r"]
    ours = spark.pairs.sort_values(keys).reset_index(drop=True)
    theirs = duck.pairs.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, theirs)  # same pairs kept, same probabilities
    assert spark.model["comparisons"] == duck.model["comparisons"]  # one trained model


@pytest.mark.spark
def test_jaro_winkler_is_duckdbs_bit_for_bit(spark_engine, records: pd.DataFrame) -> None:
    import duckdb

    from shomar.link.features import derive_features

    keys = derive_features(records)["name_key"].dropna().drop_duplicates().head(120).tolist()
    pairs = [(a, b) for a in keys[:60] for b in keys[60:]]
    pairs += [("martha", "marhta"), ("dixon", "dicksonx"), ("a", "a"), ("a", "b"), ("ab", "ba"),
              ("", "x"), ("", ""), ("é", "e"), ("ali", "ali"), ("ab" * 40, "ba" * 41),  # past 62 bytes
              ("abcdefghij" * 7, "abcdefghij" * 6 + "abcdefghik")]
    frame = pd.DataFrame(pairs, columns=["a", "b"], dtype=object)
    duck = duckdb.connect().execute("SELECT jaro_winkler_similarity(a, b) AS v FROM frame").df()["v"]
    spark_engine.spark.createDataFrame(frame.reset_index()).createOrReplaceTempView("jw_pairs")
    spark = spark_engine.spark.sql(
        "SELECT index, jaro_winkler(a, b) AS v FROM jw_pairs ORDER BY index").toPandas()["v"]
    mismatched = frame[duck.to_numpy() != spark.to_numpy()]
    assert mismatched.empty, mismatched.head()


@pytest.mark.spark
def test_columns_load_with_their_types_even_all_null(spark_engine, records: pd.DataFrame) -> None:
    from shomar.link.features import derive_features

    features = derive_features(records).assign(father_key=None, birth_year=float("nan"), honorific=None)
    table = spark_engine.register(features).as_spark_dataframe()
    types = {field.name: field.dataType.simpleString() for field in table.schema.fields}
    assert (types["father_key"], types["birth_year"], types["is_placeholder"]) == ("string", "double", "boolean")
    assert types["alias_skels"] == "array<string>"
    assert table.where("father_key IS NULL AND birth_year IS NULL").count() == len(features)


@pytest.mark.spark
def test_cli_engine_flag_links_the_same_people(spark_engine, scenario, tmp_path: Path) -> None:
    from tests.conftest import run_cli

    ws = str(tmp_path / "ws")
    assert run_cli(["init", ws]).exit_code == 0
    for name, path, map_path, *_ in scenario.sources:
        args = ["import", str(path), "--source", name, "-w", ws]
        assert run_cli([*args, "--map", str(map_path)] if map_path else args).exit_code == 0
    exported = {}
    for engine in ("duckdb", "spark"):
        linked = run_cli(["link", "--engine", engine, "-w", ws])
        assert linked.exit_code == 0, linked.output
        out = tmp_path / f"links-{engine}.csv"
        assert run_cli(["export", "links", "--out", str(out), "-w", ws]).exit_code == 0
        exported[engine] = out.read_text(encoding="utf-8")
    assert exported["spark"] == exported["duckdb"]


def test_cli_rejects_an_unknown_engine(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    ws = str(tmp_path / "ws")
    assert run_cli(["init", ws]).exit_code == 0
    outcome = run_cli(["link", "--engine", "hadoop", "-w", ws])
    assert outcome.exit_code == 2 and "unknown engine 'hadoop'" in outcome.output


def test_missing_pyspark_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from shomar.link.engines import open_engine

    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # import fails as if not installed
    with pytest.raises(LinkError, match=r"pip install 'shomar\[spark\]'"):
        open_engine("spark")


def test_missing_java_is_one_clear_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from shomar.link.engines import _check_java

    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-java"))
    with pytest.raises(LinkError, match=r"needs Java 17 or later") as caught:
        _check_java()
    assert "\n" not in str(caught.value)
