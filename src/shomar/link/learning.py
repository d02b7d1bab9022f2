"""What reviewers' decisions teach the model: a correction to each comparison level's weight.

Model. A pair's match weight under the current model is w = log2(λ/(1−λ)) + Σ_c log2(m_cl/u_cl)
(term-frequency adjustments included). Review answers y (1 match, 0 non-match) are fitted by a
logistic regression with w as offset and one correction δ_cl per comparison level (plus δ_0 for
the prior): P(match) = 1 / (1 + 2^−(w + δ_0 + Σ_c δ_cl)), each δ with a normal prior N(0, σ²) in
bits, maximised by Newton's method (the posterior is log-concave). The corrections then go into the
model itself: m_cl ← m_cl·2^δ_cl and the prior odds ← odds·2^δ_0, so every engine scores the
corrected model and pairs nobody reviewed move with the ones that were.

Why a conditional (discriminative) fit and not m re-estimated from the labelled matches: pairs
reach review *because of* their scores, so the labelled matches are the weakly supported ones and
their level shares are a biased estimate of m (the strong levels would lose weight). Selection on
the compared fields does not bias P(match | fields), which is what the regression estimates, as
long as the model's form holds (the likelihood of y given the fields is the same whichever pairs
were chosen by their fields). The prior keeps a level that few answers touch
where the documented priors put it. Splink's own ``estimate_m_from_pairwise_labels`` is not used:
it takes every labelled pair as a match, so a reviewer's "no" would have raised the weight of the
very fields that pair agreed on.

Reference: Fellegi & Sunter (1969, JASA 64:1183); logistic regression with an offset, McCullagh &
Nelder (1989, Generalized Linear Models, §4.4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# The prior on each correction, in bits. On real Persian data the documented priors can be off by
# several bits (EM's failure there, shared/LINKAGE_NOTES.md), so answers must be able to move a
# level that far; chosen among 1, 2, 3, 4, 8 and 16 on one half of the memorial silver set (split
# by person) and checked on the other half (docs/validation.md): 4 and 8 did equally well, 1–3
# learned more slowly.
PRIOR_SD_BITS = 4.0
LN2 = math.log(2.0)


@dataclass(frozen=True)
class Corrections:
    """δ per (comparison, comparison vector value) and for the prior, in bits, from n answers."""

    levels: dict[tuple[str, int], float]
    prior: float
    answers: int
    matches: int

    def describe(self, labels: dict[tuple[str, int], str]) -> str:
        moved = sorted(self.levels.items(), key=lambda kv: -abs(kv[1]))[:4]
        shown = ", ".join(f"{key[0]} '{labels.get(key, key[1])}' {d:+.1f}" for key, d in moved if abs(d) >= 0.05)
        return (f"m corrected from {self.answers} review answers ({self.matches} matches), prior "
                f"{self.prior:+.1f} bits" + (f"; largest corrections (bits): {shown}" if shown else ""))


def fit_corrections(answers: np.ndarray, offsets: np.ndarray, levels: pd.DataFrame,
                    prior_sd: float = PRIOR_SD_BITS, iterations: int = 50) -> Corrections:
    """MAP corrections for answers (0/1), offsets (the current match weights in bits) and
    ``levels`` (one column per comparison: the pair's comparison vector value, −1 at Splink's null level).

    The null level (kept for the name alone; other fields have "missing" levels of their own)
    carries no weight in the model and gets no correction."""
    keys: list[tuple[str, int]] = []
    columns: list[np.ndarray] = []
    for name in levels.columns:
        values = levels[name].to_numpy()
        for value in sorted(set(values.tolist()) - {-1}):
            keys.append((name, int(value)))
            columns.append((values == value).astype(float))
    n = len(answers)
    design = np.column_stack([np.ones(n), *columns]) if n else np.zeros((0, 1 + len(keys)))
    y = np.asarray(answers, dtype=float)
    offset = np.asarray(offsets, dtype=float)
    delta = np.zeros(design.shape[1])
    precision = 1.0 / prior_sd**2

    def objective(d: np.ndarray) -> float:  # minus the log posterior
        z = LN2 * (offset + design @ d)
        return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * precision * d @ d)

    current = objective(delta)
    for _ in range(iterations):
        z = LN2 * (offset + design @ delta)
        p = 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic function, without overflow
        gradient = LN2 * design.T @ (y - p) - precision * delta
        hessian = LN2**2 * (design.T * (p * (1 - p))) @ design + precision * np.eye(len(delta))
        step = np.linalg.solve(hessian, gradient)
        # Newton's step, halved until the posterior rises (a full step can overshoot when a few
        # answers sit far from the model's scores).
        for _ in range(40):
            trial = objective(delta + step)
            if trial <= current:
                break
            step *= 0.5
        delta += step
        converged = current - trial < 1e-10
        current = trial
        if converged:
            break
    return Corrections(levels={k: float(d) for k, d in zip(keys, delta[1:], strict=True)},
                       prior=float(delta[0]), answers=n, matches=int(y.sum()))


def score_labelled_pairs(linker: Any, labels: pd.DataFrame) -> pd.DataFrame:
    """The labelled pairs scored by the linker's current model: clerical_match_score,
    match_weight and one gamma_<comparison> column per comparison (Splink's comparison vector)."""
    from splink.internals.block_from_labels import block_from_labels
    from splink.internals.comparison_vector_values import compute_comparison_vector_values_sql
    from splink.internals.pipeline import CTEPipeline
    from splink.internals.predict import predict_from_comparison_vectors_sqls_using_settings
    from splink.internals.vertically_concatenate import enqueue_df_concat_with_tf

    settings = linker._settings_obj
    table = linker._db_api.register(labels)
    pipeline = CTEPipeline()
    enqueue_df_concat_with_tf(linker, pipeline)
    pipeline.enqueue_list_of_sqls(block_from_labels(linker, table.physical_name, include_clerical_match_score=True))
    pipeline.enqueue_sql(compute_comparison_vector_values_sql(
        settings._columns_to_select_for_comparison_vector_values, include_clerical_match_score=True),
        "__splink__df_comparison_vectors")
    pipeline.enqueue_list_of_sqls(predict_from_comparison_vectors_sqls_using_settings(
        settings, include_clerical_match_score=True))
    gammas = ", ".join(f"v.gamma_{c.output_column_name}" for c in settings.comparisons)
    # Splink 5's predictions carry match weights, not comparison vectors: joined back here.
    pipeline.enqueue_sql(f"""
        SELECT p.clerical_match_score, p.match_weight, {gammas}
        FROM __splink__df_predict p JOIN __splink__df_comparison_vectors v
          ON p.unique_id_l = v.unique_id_l AND p.unique_id_r = v.unique_id_r""", "__shomar_labelled_scores")
    return linker._db_api.sql_pipeline_to_splink_dataframe(pipeline).as_pandas_dataframe()


def learn_from_labels(linker: Any, labels: pd.DataFrame) -> str:
    """Fit the corrections to the labelled pairs and write them into the linker's model; returns
    a note for the run's training notes."""
    scored = score_labelled_pairs(linker, labels)
    settings = linker._settings_obj
    names = [c.output_column_name for c in settings.comparisons]
    levels = pd.DataFrame({name: scored[f"gamma_{name}"].astype(int) for name in names})
    corrections = fit_corrections(scored["clerical_match_score"].to_numpy(),
                                  scored["match_weight"].to_numpy(), levels)
    level_labels = {}
    for comparison in settings.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            key = (comparison.output_column_name, level.comparison_vector_value)
            level_labels[key] = level.label_for_charts
            if key in corrections.levels:
                # May exceed 1: from here on m is a level's Bayes factor times its u, not a share.
                level.m_probability = level.m_probability * 2.0 ** corrections.levels[key]
    odds = settings._probability_two_random_records_match / (1 - settings._probability_two_random_records_match)
    odds *= 2.0 ** corrections.prior
    settings._probability_two_random_records_match = odds / (1 + odds)
    return corrections.describe(level_labels)
