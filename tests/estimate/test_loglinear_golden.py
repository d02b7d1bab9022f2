"""Log-linear MSE against published numbers (shared/data/mse/README.md, R runs and papers)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shomar.errors import EstimateDoesNotExist
from shomar.estimate import CaptureTable
from shomar.estimate.loglinear import LogLinear
from shomar.estimate.models import hierarchical_models, parse_model

DATA = Path(__file__).parent.parent / "data" / "mse"


@pytest.fixture(scope="module")
def korea() -> CaptureTable:
    return CaptureTable.from_csv(DATA / "korea_palembang_comfort_women_3lists.csv")


@pytest.fixture(scope="module")
def kosovo() -> CaptureTable:
    return CaptureTable.from_csv(DATA / "kosovo_1999_4lists.csv")


# Published to two decimals: the MLE is exact, so agreement to ±0.005 (rounding) is required.
@pytest.mark.parametrize(("model", "expected"), [("[1,2,3]", 141.99), ("[12,23]", 157.17), ("[12,3]", 268.78)])
def test_korea_estimates(korea: CaptureTable, model: str, expected: float) -> None:
    assert LogLinear(model=model).fit(korea).estimate == pytest.approx(expected, abs=0.006)


def test_korea_bic_chooses_12_23(korea: CaptureTable) -> None:
    assert LogLinear(select="bic").fit(korea).model == "[12,23]"


def test_kosovo_independence(kosovo: CaptureTable) -> None:
    assert LogLinear(model="independence").fit(kosovo).estimate == pytest.approx(7394.6, abs=0.06)


def test_kosovo_best_bic_model_and_profile_interval(kosovo: CaptureTable) -> None:
    result = LogLinear(select="bic", max_order=3).fit(kosovo)
    assert result.model == "[123,14,34]"
    assert result.details["models_fitted"] == 113  # every hierarchical model of 4 lists, order ≤ 3
    assert result.estimate == pytest.approx(10356.5, abs=0.06)
    lo, hi = result.interval
    # Rcapture prints the profile bounds rounded to whole people: ±1 allows for that rounding.
    assert lo == pytest.approx(8994, abs=1) and hi == pytest.approx(12110, abs=1)


def test_zero_overlap_table_refused_under_ab_accepted_under_ac() -> None:
    table = CaptureTable.from_arrays([[1, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], [6, 40, 30, 20], ["A", "B", "C"])
    with pytest.raises(EstimateDoesNotExist, match="does not exist"):
        LogLinear(model="A*B").fit(table)
    assert np.isfinite(LogLinear(model="A*C").fit(table).estimate)


def test_notation_both_ways(korea: CaptureTable) -> None:
    assert parse_model("b*c + c*d", korea.list_names) == parse_model("[12,23]", korea.list_names)
    assert parse_model("[123,14,34]", "abcd").silverman() == "[123,14,34]"


def test_number_of_hierarchical_models() -> None:
    # Pairwise models are all graphs on J vertices: 2^(J choose 2); Kosovo's 113 is the count of
    # 4-list hierarchical models up to order 3 (Silverman, Chan & Vincent 2024).
    assert [sum(1 for _ in hierarchical_models(j, 2)) for j in (3, 4, 5)] == [8, 64, 1024]
    assert sum(1 for _ in hierarchical_models(4, 3)) == 113


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 60), min_size=7, max_size=7), st.permutations([0, 1, 2]))
def test_independence_estimate_does_not_depend_on_list_order(counts: list[int], order: list[int]) -> None:
    table = CaptureTable.from_cells([0, *counts])
    a = LogLinear(model="independence").fit(table).estimate
    b = LogLinear(model="independence").fit(table.reorder(order)).estimate
    assert a == pytest.approx(b, rel=1e-8)
    assert a >= table.n_observed


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 60), min_size=7, max_size=7))
def test_profile_interval_contains_the_estimate(counts: list[int]) -> None:
    result = LogLinear(model="[12,3]").fit(CaptureTable.from_cells([0, *counts]))
    lo, hi = result.interval
    assert result.observed <= lo <= result.estimate <= hi


def test_korea_stepwise_chooses_12_3(korea: CaptureTable) -> None:
    result = LogLinear(select="stepwise").fit(korea)
    assert result.model == "[12,3]"
    assert result.estimate == pytest.approx(268.78, abs=0.006)


# Silverman, Chan & Vincent (2024), Table 2, as computed by MultipleSystemsEstimation (1,000
# replicates): bootstrap streams differ between languages, and the issue asks for agreement
# within 2% on each bound.
@pytest.mark.slow
@pytest.mark.parametrize(("ntop", "lo", "hi"), [(1, 9101, 12003), (None, 6947, 18010)])
def test_kosovo_bca_over_top_models(kosovo: CaptureTable, ntop: int | None, lo: float, hi: float) -> None:
    result = LogLinear(select="bic", max_order=3, interval="bca", ntop=ntop, bootstrap=1000, seed=1234).fit(kosovo)
    got_lo, got_hi = result.interval
    assert got_lo == pytest.approx(lo, rel=0.02) and got_hi == pytest.approx(hi, rel=0.02)
    assert result.details["bootstrap"]["ntop"] == (1 if ntop else 113)


def test_bca_is_reproducible_with_a_seed(korea: CaptureTable) -> None:
    a = LogLinear(select="bic", interval="bca", bootstrap=200, seed=7).fit(korea).interval
    b = LogLinear(select="bic", interval="bca", bootstrap=200, seed=7).fit(korea).interval
    assert a == b


def test_lognormal_interval_brackets_the_estimate(kosovo: CaptureTable) -> None:
    result = LogLinear(model="[123,14,34]", interval="lognormal").fit(kosovo)
    lo, hi = result.interval
    # Log-normal and profile intervals agree closely on a large table (profile: 8,994–12,110).
    assert lo == pytest.approx(8994, rel=0.01) and hi == pytest.approx(12110, rel=0.01)


def test_averaging_weights_sum_to_one(korea: CaptureTable) -> None:
    result = LogLinear(select="bic", average=True, interval="none").fit(korea)
    assert sum(result.details["weights"].values()) == pytest.approx(1.0, abs=1e-3)
    estimates = [f.estimate for f in result.ranking]
    assert min(estimates) <= result.estimate <= max(estimates)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 400), st.integers(1, 400), st.integers(1, 400))
def test_two_lists_give_lincoln_petersen(only_a: int, only_b: int, both: int) -> None:
    table = CaptureTable.from_arrays([[1, 0], [0, 1], [1, 1]], [only_a, only_b, both], ["a", "b"])
    n_a, n_b = only_a + both, only_b + both
    assert LogLinear(select="bic").fit(table).estimate == pytest.approx(n_a * n_b / both, rel=1e-7)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 80), min_size=15, max_size=15), st.permutations([0, 1, 2, 3]))
def test_selected_model_estimate_does_not_depend_on_list_order(counts: list[int], order: list[int]) -> None:
    table = CaptureTable.from_cells([0, *counts])
    a = LogLinear(select="bic", interval="none").fit(table)
    b = LogLinear(select="bic", interval="none").fit(table.reorder(order))
    assert a.estimate == pytest.approx(b.estimate, rel=1e-6)
    assert a.estimate >= table.n_observed
