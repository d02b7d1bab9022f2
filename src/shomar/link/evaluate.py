"""Linkage quality against known truth: pairwise precision, recall and F1, and people counts."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from shomar.errors import LinkError


@dataclass(frozen=True)
class LinkEvaluation:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    people_found: int
    people_true: int
    records: int

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def evaluate(clusters: pd.DataFrame, truth: pd.DataFrame) -> LinkEvaluation:
    """Compare predicted people with true people over the records both name (by source, record_id)."""
    keys = ["source", "record_id"]
    merged = clusters[[*keys, "person_id"]].astype(str).merge(
        truth[[*keys, "person_id"]].astype(str), on=keys, suffixes=("_pred", "_true"))
    if merged.empty:
        raise LinkError("no record of the linkage appears in the truth file (check source names)")
    predicted = _pairs(merged.groupby("person_id_pred").size())
    true = _pairs(merged.groupby("person_id_true").size())
    correct = _pairs(merged.groupby(["person_id_pred", "person_id_true"]).size())
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LinkEvaluation(precision, recall, f1, true, predicted, correct,
                          int(merged["person_id_pred"].nunique()), int(merged["person_id_true"].nunique()),
                          len(merged))


def per_threshold(records: pd.DataFrame, pairs: pd.DataFrame, truth: pd.DataFrame,
                  thresholds: tuple[float, ...] = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)) -> pd.DataFrame:
    """Precision, recall and F1 of the clustering at several auto-link thresholds (for reading,
    never for choosing the threshold on the data being reported)."""
    from shomar.link.cluster import constrained_clusters

    rows = []
    for t in thresholds:
        scores = evaluate(constrained_clusters(records, pairs, threshold=t), truth)
        rows.append({"threshold": t, "precision": scores.precision, "recall": scores.recall,
                     "f1": scores.f1, "people_found": scores.people_found})
    return pd.DataFrame(rows)
