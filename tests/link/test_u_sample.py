"""u estimated beside the keys: on the records Splink's own sampling takes, with the same result."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from shomar.link import LinkSettings, link_records, model, u_sample
from shomar.link.beside import Beside
from shomar.link.features import derive_features
from shomar.link.model import build_linker, train
from shomar.link.u_sample import u_of_records, u_sample_rows
from tests.link.scenario_records import scenario_records

# Few enough sampled pairs that the sample is a proper part of the scenario's records.
FEW_PAIRS = 20_000.0


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    from shomar.demo import generate_scenario

    return scenario_records(generate_scenario(tmp_path_factory.mktemp("scenario"), n_people=1000, seed=7))


def _u(linker) -> list[tuple[str, object]]:
    saved = linker.misc.save_model_to_json(None)
    return [(level["label_for_charts"], level.get("u_probability"))
            for comparison in saved["comparisons"] for level in comparison["comparison_levels"]]


@pytest.mark.parametrize("pairs", [FEW_PAIRS, 10 * FEW_PAIRS])
def test_u_from_the_sampled_records_is_splinks_own(records: pd.DataFrame, monkeypatch: pytest.MonkeyPatch,
                                                   pairs: float) -> None:
    """Splink's sampler on all the records, and the one-pass count on the records it takes."""
    monkeypatch.setattr(model, "U_SAMPLE_PAIRS", pairs)
    counted_on: list[int] = []
    until_enough = u_sample._until_enough
    monkeypatch.setattr(u_sample, "_until_enough", lambda *a: counted_on.append(1) or until_enough(*a))
    settings = LinkSettings()
    rows = u_sample_rows(records["record_uid"], settings.seed)
    assert rows is not None and 0 < len(rows) < len(records) * 0.8
    features = derive_features(records)
    on_all = build_linker(features, settings)
    train(on_all, None, settings, lambda _m: None)
    adopted = build_linker(features, settings)
    train(adopted, None, settings, lambda _m: None, u_from=u_of_records(records, rows, settings))
    assert _u(adopted) == _u(on_all)
    if pairs > FEW_PAIRS:  # some comparisons stop at the probe, others count chunk by chunk
        assert 0 < len(counted_on) < len(on_all._settings_obj.comparisons)
    # Another seed samples other records, and other u: the comparison above can fail.
    other = u_sample_rows(records["record_uid"], settings.seed + 1)
    assert other is not None and set(other.tolist()) != set(rows.tolist())


def test_link_records_is_the_same_with_u_estimated_beside_the_keys(
        records: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "U_SAMPLE_PAIRS", FEW_PAIRS)
    beside = link_records(records)  # derives the keys, u estimated meanwhile
    inline = link_records(records, features=derive_features(records))  # u estimated in train
    assert beside.notes == inline.notes
    strip = lambda m: {k: v for k, v in m.items() if k != "linker_uid"}  # noqa: E731
    assert strip(beside.model) == strip(inline.model)
    pd.testing.assert_frame_equal(beside.clusters, inline.clusters)


def test_all_records_are_the_sample_when_there_are_few(records: pd.DataFrame) -> None:
    assert u_sample_rows(records["record_uid"], 2024) is None  # 5 M pairs need more records
    assert u_sample_rows([], 2024) is None


def test_features_of_some_records_are_theirs_among_all() -> None:
    # 2019 holds 4 of 104 dated records: a quiet year, though it is most of the 5 taken.
    dates = ["2022-10-01"] * 100 + ["2019-05-01"] * 4
    records = pd.DataFrame({"record_uid": [f"a/{i}" for i in range(104)], "source": "a",
                            "record_id": [str(i) for i in range(104)], "full_name": "Ali Karimi",
                            "date_start": dates, "date_end": dates, "date_precision": "day"})
    some = [0, 100, 101, 102, 103]
    taken = derive_features(records, only=some)
    pd.testing.assert_frame_equal(taken, derive_features(records).iloc[some].reset_index(drop=True))
    assert not taken["busy_year"].iloc[1:].any() and taken["busy_year"].iloc[0]
    assert derive_features(records.iloc[some])["busy_year"].all()  # on their own, both years are busy


def test_beside_gives_the_value_or_the_error_of_its_work() -> None:
    threads: list[str] = []

    def work(x: int) -> int:
        threads.append(threading.current_thread().name)
        return x + 1

    started = Beside(work, 1)
    started.start()
    assert started.result() == 2 and threads[-1] != threading.main_thread().name
    assert Beside(work, 2).result() == 3 and threads[-1] == threading.main_thread().name  # never started

    def fails() -> None:
        raise ValueError("no")

    failing = Beside(fails)
    failing.start()
    failing.wait()
    with pytest.raises(ValueError, match="no"):
        failing.result()
