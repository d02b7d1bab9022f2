"""Warnings about linked people that deserve a human look."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def cluster_diagnostics(clusters: pd.DataFrame, records: pd.DataFrame) -> dict[str, Any]:
    """Oversized clusters (more records than lists + 2) and people with two dates of death.

    Two day-precision dates more than 3 days apart in one person usually mean two people were
    merged (or one source is wrong): either way a reviewer should see it.
    """
    # Imported here, so that `import shomar.link` does without the keys' module.
    from shomar.link.features import per_distinct

    n_lists = records["source"].nunique()
    # People numbered in the order of their ids, as grouping by the ids would order them.
    person_codes, people = pd.factorize(clusters["person_id"], sort=True)
    known = person_codes >= 0
    sizes = np.bincount(person_codes[known], minlength=len(people))
    large = sizes > n_lists + 2
    oversized = pd.Series(sizes[large], index=people[large]).sort_values(ascending=False)
    dated = _dates_of(clusters, records)
    days = dated["date_precision"].eq("day").to_numpy() & dated["date_start"].notna().to_numpy()
    by_person = pd.DataFrame({"person": person_codes[dated["at"].to_numpy()[days]],
                              "day": per_distinct(dated["date_start"][days], pd.to_datetime).to_numpy()})
    grouped = by_person[by_person["person"] >= 0].groupby("person")["day"]
    spread = (grouped.max() - grouped.min()).dt.days
    conflicting = spread[spread > 3]
    conflicting.index = people[conflicting.index.to_numpy()]
    conflicting = conflicting.sort_values(ascending=False)
    return {"oversized": [{"person_id": p, "records": int(n)} for p, n in oversized.items()],
            "conflicting_dates": [{"person_id": p, "days_apart": int(d)} for p, d in conflicting.items()]}


def _dates_of(clusters: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """Each clustered record's date and precision, with its row among the clusters (``at``)."""
    wanted = ["date_start", "date_precision"]
    uids = clusters["record_uid"]
    # Clusters come in the records' order: read side by side, no join needed.
    if len(uids) == len(records) and uids.equals(records["record_uid"].reset_index(drop=True)) and uids.is_unique:
        out = records[wanted].reset_index(drop=True)
        out["at"] = np.arange(len(out))
        return out
    out = clusters[["record_uid"]].assign(at=np.arange(len(clusters))).merge(
        records[["record_uid", *wanted]], on="record_uid")
    return out[[*wanted, "at"]]
