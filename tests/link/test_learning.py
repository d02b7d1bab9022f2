"""Review decisions correct the model: the fit recovers known corrections, behaves as a logistic
regression must, and a reviewer's "no" lowers a pair's score (it used to raise it)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shomar.link import LinkSettings, link_records
from shomar.link.learning import fit_corrections

from .test_link import small  # noqa: F401  (a pytest fixture)


def _simulated(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, dict[tuple[str, int], float], float]:
    """Answers drawn from a model whose true corrections are known; 30% of each comparison missing,
    so every level is identified against the missing (null) level."""
    rng = np.random.default_rng(seed)
    truth = {("name", 0): 1.5, ("name", 1): -2.0, ("name", 2): 0.0, ("date", 0): 0.8, ("date", 1): -1.2}
    intercept = 0.7
    levels = pd.DataFrame({
        "name": np.where(rng.random(n) < 0.3, -1, rng.integers(0, 3, n)),
        "date": np.where(rng.random(n) < 0.3, -1, rng.integers(0, 2, n)),
    })
    offsets = rng.normal(0.0, 3.0, n)
    eta = offsets + intercept + sum(np.where(levels[c] == v, d, 0.0) for (c, v), d in truth.items())
    answers = (rng.random(n) < 1.0 / (1.0 + 2.0 ** -eta)).astype(float)
    return answers, offsets, levels, truth, intercept


def test_corrections_recover_known_effects() -> None:
    answers, offsets, levels, truth, intercept = _simulated(20_000, seed=5)
    fitted = fit_corrections(answers, offsets, levels)
    # Each level has ~4,700 answers at P(match) ≈ 0.5 on average: the standard error of a
    # correction is about 1 / (ln 2 · sqrt(4700 · 0.2)) ≈ 0.05 bits (0.2 = the mean p(1 − p) of
    # offsets spread by 3 bits); 0.25 bits is 5 standard errors. The N(0, 4²) prior shrinks by
    # under 0.1%.
    for key, value in truth.items():
        assert abs(fitted.levels[key] - value) < 0.25, (key, fitted.levels[key], value)
    assert abs(fitted.prior - intercept) < 0.25
    assert fitted.answers == 20_000 and fitted.matches == int(answers.sum())


def test_no_answers_leave_the_model_as_it_was() -> None:
    fitted = fit_corrections(np.array([]), np.array([]), pd.DataFrame({"name": np.array([], dtype=int)}))
    assert fitted.prior == 0.0 and fitted.levels == {}


small_designs = st.integers(1, 40).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 1), min_size=n, max_size=n),
    st.lists(st.floats(-12, 12), min_size=n, max_size=n),
    st.lists(st.integers(-1, 2), min_size=n, max_size=n),
    st.lists(st.integers(-1, 1), min_size=n, max_size=n)))


def _fit(answers: list[int], offsets: list[float], a: list[int], b: list[int]):  # type: ignore[no-untyped-def]
    return fit_corrections(np.array(answers, dtype=float), np.array(offsets),
                           pd.DataFrame({"a": np.array(a), "b": np.array(b)}))


@settings(max_examples=60, deadline=None)
@given(small_designs)
def test_opposite_answers_give_opposite_corrections(design) -> None:  # type: ignore[no-untyped-def]
    # The logistic likelihood and the centred prior are symmetric: every answer reversed and every
    # score negated must reverse every correction.
    answers, offsets, a, b = design
    forward = _fit(answers, offsets, a, b)
    backward = _fit([1 - y for y in answers], [-o for o in offsets], a, b)
    assert abs(forward.prior + backward.prior) < 1e-6
    for key, value in forward.levels.items():
        assert abs(value + backward.levels[key]) < 1e-6


@settings(max_examples=60, deadline=None)
@given(small_designs, st.data())
def test_a_match_answer_never_lowers_that_pair(design, data) -> None:  # type: ignore[no-untyped-def]
    answers, offsets, a, b = design
    i = data.draw(st.integers(0, len(answers) - 1))

    def corrected_weight(answer: int) -> float:
        fitted = _fit([*answers[:i], answer, *answers[i + 1:]], offsets, a, b)
        return fitted.prior + fitted.levels.get(("a", a[i]), 0.0) + fitted.levels.get(("b", b[i]), 0.0)

    assert corrected_weight(1) >= corrected_weight(0) - 1e-9


def test_a_reviewers_no_lowers_the_score_and_yes_raises_it(small: pd.DataFrame) -> None:  # noqa: F811
    settings_ = LinkSettings()
    before = link_records(small, settings=settings_).pairs.set_index(["uid_l", "uid_r"])["match_weight"]
    # Ten true cross-script pairs called different people: Splink's m-from-labels took every
    # labelled pair as a match, so this used to make such pairs *more* likely.
    pairs = [(f"en/{i}", f"fa/{i}") for i in range(10)]
    pairs = [p if p in before.index else p[::-1] for p in pairs]
    decisions = pd.DataFrame({"uid_l": [p[0] for p in pairs], "uid_r": [p[1] for p in pairs],
                              "decision": "non-match"})
    after = link_records(small, settings=settings_, decisions=decisions)
    # A pair that fell below the review floor (and has no strong neighbour) is no longer kept.
    lowered = after.pairs.set_index(["uid_l", "uid_r"])["match_weight"].to_dict()
    others = [p for p in before.index if p not in set(pairs) and p[0][:3] != p[1][:3]][:10]
    assert len(others) == 10
    assert all(lowered.get(p, -np.inf) < before[p] for p in pairs)
    assert any("corrected from 10 review answers" in note for note in after.notes)
    raised = link_records(small, settings=settings_, decisions=decisions.assign(decision="match"))
    assert all(raised.pairs.set_index(["uid_l", "uid_r"])["match_weight"][p] >= before[p] for p in others)


def _level(label: str, m: float | None, u: float | None, *, tf: str | None = None, null: bool = False):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace
    return SimpleNamespace(label_for_charts=label, m_probability=m, u_probability=u, is_null_level=null,
                           _has_tf_adjustments=tf is not None)


def _settings(name: str, levels: list) -> object:  # type: ignore[type-arg]
    from types import SimpleNamespace
    return SimpleNamespace(comparisons=[SimpleNamespace(output_column_name=name, comparison_levels=levels)])


def test_a_missing_field_starts_as_no_evidence_and_leaves_the_other_factors_as_stated() -> None:
    from shomar.link.model import _neutral_missing

    # u from random sampling over all pairs, 20% of them with the field missing; m as stated among
    # pairs with both values. The day level is adjusted by term frequency (its factor is m over the
    # value's frequency among present values), so its m stays.
    both, one = _level("missing on both sides", 1.0, 0.05), _level("missing on one side", 1.0, 0.15)
    same, day, other = _level("same", 0.9, 0.08), _level("same day", 0.6, 0.02, tf="date"), _level("else", 0.1, 0.7)
    _neutral_missing(_settings("date", [both, one, same, day, other]))
    assert (both.m_probability, one.m_probability) == (0.05, 0.15)
    assert same.m_probability / same.u_probability == pytest.approx(0.9 / (0.08 / 0.8))
    assert other.m_probability / other.u_probability == pytest.approx(0.1 / (0.7 / 0.8))
    assert day.m_probability == 0.6


def test_levels_alike_until_answered_share_one_factor() -> None:
    from shomar.link.model import _alike_until_answered

    both, one = _level("both year only, same busy year", 0.015, 0.002), _level("one year only, same busy year", 0.015, 0.018)
    quiet_both, quiet_one = (_level("both year only, same quiet year", 0.015, None),
                             _level("one year only, same quiet year", 0.015, 0.004))
    _alike_until_answered(_settings("date", [both, one, quiet_both, quiet_one]))
    assert both.m_probability / both.u_probability == pytest.approx(one.m_probability / one.u_probability)
    assert both.m_probability + one.m_probability == pytest.approx(0.03)
    # A level random sampling never met keeps its stated m (and so does its partner).
    assert (quiet_both.m_probability, quiet_one.m_probability) == (0.015, 0.015)


def test_answers_teach_what_a_missing_field_says(small: pd.DataFrame) -> None:  # noqa: F811
    # The English list lost the sex of the first twenty people.
    records = small.copy()
    lost = [str(i) for i in range(20)]
    records.loc[(records["source"] == "en") & records["record_id"].isin(lost), "sex"] = None
    before = link_records(records)
    pairs = before.pairs
    same_person = pairs[(pairs["uid_l"].str[:3] != pairs["uid_r"].str[:3]) & (pairs["uid_l"].str[3:] == pairs["uid_r"].str[3:])]
    missing = same_person[same_person["uid_l"].str[3:].isin(lost)]
    present = same_person[~same_person["uid_l"].str[3:].isin(lost)]
    assert len(missing) == 20 and (missing["mw_sex"] == 0).all() and (present["mw_sex"] > 0).all()

    def factor(result, label: str) -> float:  # type: ignore[no-untyped-def]
        (sex,) = [c for c in result.model["comparisons"] if c["output_column_name"] == "sex"]
        (level,) = [lv for lv in sex["comparison_levels"] if lv.get("label_for_charts") == label]
        return float(np.log2(level["m_probability"] / level["u_probability"]))

    assert factor(before, "missing on one side") == pytest.approx(0.0)
    # Ten pairs without a sex called different people, ten with one called the same: a missing
    # sex now speaks against a match (as a null level, it never could).
    answered = pd.concat([missing.head(10).assign(decision="non-match"), present.head(10).assign(decision="match")])
    after = link_records(records, decisions=answered[["uid_l", "uid_r", "decision"]])
    assert factor(after, "missing on one side") < -0.5
    still = after.pairs.set_index(["uid_l", "uid_r"])["mw_sex"]
    unanswered = [p for p in zip(missing["uid_l"].iloc[10:], missing["uid_r"].iloc[10:], strict=True) if p in still.index]
    assert all(still[p] < 0 for p in unanswered)
