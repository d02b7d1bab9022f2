"""The records of a demo scenario's lists as linkage takes them, read through ingest."""

from __future__ import annotations

import pandas as pd

FIELDS = ("full_name", "given_name", "family_name", "father_name", "sex", "age", "date_start", "date_end",
          "date_precision", "province_code")


def scenario_records(scenario) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    from shomar.ingest import load_mapping, read_source

    rows = []
    for name, path, map_path, *_ in scenario.sources:
        result = read_source(path, source=name, mapping=load_mapping(map_path) if map_path else None)
        rows += [{"record_uid": f"{name}/{r.record_id}", "source": name, "record_id": r.record_id,
                  **{k: getattr(r, k) for k in FIELDS}}
                 for r in result.records]
    frame = pd.DataFrame(rows)
    frame["age"] = frame["age"].astype("Int64")
    return frame
