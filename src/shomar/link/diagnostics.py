"""Warnings about linked people that deserve a human look."""

from __future__ import annotations

from typing import Any

import pandas as pd


def cluster_diagnostics(clusters: pd.DataFrame, records: pd.DataFrame) -> dict[str, Any]:
    """Oversized clusters (more records than lists + 2) and people with two dates of death.

    Two day-precision dates more than 3 days apart in one person usually mean two people were
    merged (or one source is wrong): either way a reviewer should see it.
    """
    n_lists = records["source"].nunique()
    sizes = clusters.groupby("person_id").size()
    oversized = sizes[sizes > n_lists + 2].sort_values(ascending=False)
    merged = clusters[["record_uid", "person_id"]].merge(
        records[["record_uid", "date_start", "date_precision"]], on="record_uid")
    days = merged[(merged["date_precision"] == "day") & merged["date_start"].notna()].copy()
    days["day"] = pd.to_datetime(days["date_start"])
    grouped = days.groupby("person_id")["day"]
    spread = (grouped.max() - grouped.min()).dt.days
    conflicting = spread[spread > 3].sort_values(ascending=False)
    return {"oversized": [{"person_id": p, "records": int(n)} for p, n in oversized.items()],
            "conflicting_dates": [{"person_id": p, "days_apart": int(d)} for p, d in conflicting.items()]}
