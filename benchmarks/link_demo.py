"""Linkage quality and speed on the synthetic demo scenario, against the truth, beside a baseline
run in the same process (exact match on the normalised full name, within and across lists).
With ``--answers N`` a truthful reviewer (the scenario's truth) then answers the review queue in
batches, the model re-trained after each, as `shomar review` runs it.
Usage: python benchmarks/link_demo.py [--people 3000 60000] [--answers 300 --batch 50]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from shomar.demo import generate_scenario
from shomar.ingest import load_mapping, read_source
from shomar.link import LinkSettings, evaluate, link_records
from shomar.normalise import normalise


def records_of(scenario) -> pd.DataFrame:
    rows = []
    for name, path, map_path, *_ in scenario.sources:
        result = read_source(path, source=name, mapping=load_mapping(map_path) if map_path else None)
        for r in result.records:
            rows.append({"record_uid": f"{name}/{r.record_id}", "source": name, "record_id": r.record_id,
                         **{k: getattr(r, k) for k in ("full_name", "given_name", "family_name", "father_name",
                                                       "sex", "age", "date_start", "date_end",
                                                       "date_precision", "province_code", "province", "city")}})
    frame = pd.DataFrame(rows)
    frame["age"] = frame["age"].astype("Int64")
    return frame


def baseline(records: pd.DataFrame) -> pd.DataFrame:
    key = records["full_name"].fillna("").map(normalise)
    out = records[["record_uid", "source", "record_id"]].copy()
    out["person_id"] = "B" + key.factorize()[0].astype(str)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[3000])
    parser.add_argument("--pair-budget", type=int, default=None, help="raise the pair budget for large runs")
    parser.add_argument("--answers", type=int, default=0, help="simulated review answers from the truth")
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    for n in args.people:
        with tempfile.TemporaryDirectory() as tmp:
            scenario = generate_scenario(Path(tmp), n_people=n, seed=2024)
            records = records_of(scenario)
            truth = pd.read_csv(scenario.truth_path, dtype=str)
        t0 = time.perf_counter()
        base = evaluate(baseline(records), truth)
        t_base = time.perf_counter() - t0
        t0 = time.perf_counter()
        settings = LinkSettings() if args.pair_budget is None else LinkSettings(pair_budget=args.pair_budget)
        result = link_records(records, settings=settings)
        t_link = time.perf_counter() - t0
        ours = evaluate(result.clusters, truth)
        print(f"{n:,} people, {len(records):,} records")
        print(f"  baseline exact normalised name: P {base.precision:.3f} R {base.recall:.3f} F1 {base.f1:.3f} ({t_base:.1f} s)")
        print(f"  shomar link_records           : P {ours.precision:.3f} R {ours.recall:.3f} F1 {ours.f1:.3f} "
              f"({t_link:.1f} s, {result.summary()['pairs_scored']:,} pairs scored)")
        if args.answers:
            review(records, truth, result, settings, args.answers, args.batch)


def review(records: pd.DataFrame, truth: pd.DataFrame, result, settings: LinkSettings, answers: int,
           batch: int) -> None:
    person = dict(zip(truth["source"] + "/" + truth["record_id"], truth["person_id"], strict=True))
    from shomar.link.features import derive_features

    features = derive_features(records)  # as `shomar review` does: once per session
    decisions = pd.DataFrame(columns=["uid_l", "uid_r", "decision"])
    while len(decisions) < answers:
        queue = result.review_queue(decisions).head(min(batch, answers - len(decisions)))
        if queue.empty:
            break
        decided = ["match" if person[a] == person[b] else "non-match"
                   for a, b in zip(queue["uid_l"], queue["uid_r"], strict=True)]
        decisions = pd.concat([decisions, pd.DataFrame({"uid_l": queue["uid_l"], "uid_r": queue["uid_r"],
                                                        "decision": decided})], ignore_index=True)
        result = link_records(records, settings=settings, decisions=decisions, features=features)
        after = evaluate(result.clusters, truth)
        print(f"  after {len(decisions)} truthful review answers: P {after.precision:.3f} R {after.recall:.3f} "
              f"F1 {after.f1:.3f}")


if __name__ == "__main__":
    main()
