"""Deduplication of real memorial records against the silver labels (read in place from
../shared/data/iran-memorial/silver_dedup.csv, never copied): blocking recall, then P/R/F1 without
labels and after at most 300 simulated review answers taken from the silver labels, in batches
with the model re-trained after each (as `shomar review` does).
The silver labels are weak truth (see the dataset README): disagreements need reading, not trust.
Usage: python benchmarks/link_silver.py [--answers 300] [--batch 50] [--other-name] [--half A|B]
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

import pandas as pd

from shomar.link import LinkSettings, evaluate, explain_blocking, link_records
from shomar.link.features import derive_features
from shomar.normalise import parse_date, place, split_name

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "iran-memorial" / "silver_dedup.csv"


def load(other_names: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not DATA.exists():
        sys.exit(f"skipped: {DATA} not found")
    raw = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    rows = []
    for r in raw.itertuples(index=False):
        name = r.name_farsi or r.name_latin
        if not name or split_name(name).is_placeholder:
            continue
        start = end = precision = None
        if r.dod:
            try:
                d = parse_date(r.dod)
                start, end, precision = d.start.isoformat(), d.end.isoformat(), d.precision
                if d.precision == "day" and d.month == 1 and d.day == 1:
                    # 1 January stands for a year-only date in this dataset (README).
                    precision, end = "year", f"{d.year}-12-31"
            except ValueError:
                pass
        found = place(r.province) if r.province else None
        rows.append({"record_uid": r.rec, "source": "memorial", "record_id": r.rec, "full_name": name,
                     "other_name": r.name_latin if other_names and r.name_farsi and r.name_latin else None,
                     "given_name": None, "family_name": None, "father_name": None,
                     "sex": {"male": "m", "female": "f"}.get(r.gender.lower()),
                     "age": int(r.age) if r.age.isdigit() else None, "date_start": start,
                     "date_end": end, "date_precision": precision,
                     "province_code": found.province_code if found else None, "label": r.label})
    frame = pd.DataFrame(rows)
    frame["age"] = frame["age"].astype("Int64")
    truth = frame[["source", "record_id"]].assign(person_id=frame["label"])
    return frame.drop(columns="label"), truth


def true_pairs(truth: pd.DataFrame) -> pd.DataFrame:
    pairs = truth.merge(truth, on="person_id")
    pairs = pairs[pairs["record_id_x"] < pairs["record_id_y"]]
    return pd.DataFrame({"uid_l": pairs["record_id_x"], "uid_r": pairs["record_id_y"], "decision": "match"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--batch", type=int, default=50, help="answers between two re-trainings")
    parser.add_argument("--other-name", action="store_true",
                        help="give the Latin name of a record named in Persian as its other name")
    parser.add_argument("--half", choices=["A", "B"],
                        help="only one half of the people (split by a hash of the silver label): settings are "
                             "chosen on one half and checked on the other (docs/validation.md)")
    args = parser.parse_args()
    records, truth = load(args.other_name)
    if args.half:
        keep = truth["person_id"].map(lambda label: zlib.crc32(label.encode()) % 2 == "AB".index(args.half)).to_numpy()
        records, truth = records[keep].reset_index(drop=True), truth[keep].reset_index(drop=True)
    labels = true_pairs(truth)
    print(f"{len(records):,} records without placeholder names, {len(labels):,} silver pairs")
    settings = LinkSettings(pair_budget=20_000_000)
    features = derive_features(records)
    table = explain_blocking(features, settings, labels)
    print(table.to_string(index=False))
    t0 = time.perf_counter()
    result = link_records(records, settings=settings)
    plain = evaluate(result.clusters, truth)
    print(f"no labels: P {plain.precision:.3f} R {plain.recall:.3f} F1 {plain.f1:.3f} "
          f"({time.perf_counter() - t0:.0f} s)")
    label_of = dict(zip(truth["record_id"], truth["person_id"], strict=True))
    # The review loop as `shomar review` runs it: a batch of the most uncertain pairs answered
    # (here from the silver labels), the model corrected by all answers so far, the queue re-ranked.
    decisions = pd.DataFrame(columns=["uid_l", "uid_r", "decision"])
    reviewed = result
    t0 = time.perf_counter()
    while len(decisions) < args.answers:
        queue = reviewed.review_queue(decisions).head(min(args.batch, args.answers - len(decisions)))
        if queue.empty:
            break
        answers = pd.DataFrame({
            "uid_l": queue["uid_l"], "uid_r": queue["uid_r"],
            "decision": ["match" if label_of[a] == label_of[b] else "non-match"
                         for a, b in zip(queue["uid_l"], queue["uid_r"], strict=True)]})
        decisions = pd.concat([decisions, answers], ignore_index=True)
        reviewed = link_records(records, settings=settings, decisions=decisions, features=features)
        after = evaluate(reviewed.clusters, truth)
        print(f"after {len(decisions)} review answers ({(decisions['decision'] == 'match').sum()} matches): "
              f"P {after.precision:.3f} R {after.recall:.3f} F1 {after.f1:.3f}", flush=True)
    print(f"({time.perf_counter() - t0:.0f} s for the review loop)")
    print("\n".join(n for n in reviewed.notes if "corrected" in n))


if __name__ == "__main__":
    main()
