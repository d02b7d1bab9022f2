"""The Spark engine against DuckDB on the synthetic demo scenario: the same people (as a partition
of the records), the same scored pairs, and both times, DuckDB being the baseline.
Usage: python benchmarks/link_spark.py [--people 9000] [--spark-master local[2]]
(9,000 people give about 10,800 records.) Skips, saying why, without pyspark or Java.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from link_demo import records_of

from shomar.demo import generate_scenario
from shomar.errors import LinkError
from shomar.link import LinkSettings, link_records


def partition(clusters: pd.DataFrame) -> dict[str, frozenset[str]]:
    """Each record's set of co-members: equal for two linkages exactly when they put every record
    with the same others, whatever the person ids are called."""
    members = clusters.groupby("person_id")["record_uid"].agg(frozenset)
    return dict(zip(clusters["record_uid"], clusters["person_id"].map(members), strict=True))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=9000)
    parser.add_argument("--spark-master", default=None, help="default local[2]")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scenario = generate_scenario(Path(tmp), n_people=args.people, seed=2024)
        records = records_of(scenario)
    t0 = time.perf_counter()
    duck = link_records(records, settings=LinkSettings(engine="duckdb"))
    t_duck = time.perf_counter() - t0
    t0 = time.perf_counter()
    try:
        spark = link_records(records, settings=LinkSettings(engine="spark", spark_master=args.spark_master))
    except LinkError as e:
        print(f"skipped: {e}")
        return 0
    t_spark = time.perf_counter() - t0

    a, b = partition(duck.clusters), partition(spark.clusters)
    differ = sum(a[uid] != b[uid] for uid in a)
    keys = ["uid_l", "uid_r"]
    pairs = duck.pairs.merge(spark.pairs, on=keys, how="outer", suffixes=("_duckdb", "_spark"), indicator=True)
    both = pairs[pairs["_merge"] == "both"]
    unequal = int((both["match_probability_duckdb"] != both["match_probability_spark"]).sum())
    print(f"{args.people:,} people, {len(records):,} records")
    print(f"  pairs scored: DuckDB {duck.pairs_scored:,}, Spark {spark.pairs_scored:,}; kept "
          f"{len(duck.pairs):,} and {len(spark.pairs):,}, {int((pairs['_merge'] != 'both').sum())} kept by one "
          f"only, {unequal} with another probability")
    print(f"  people: DuckDB {duck.summary()['people']:,}, Spark {spark.summary()['people']:,}; partitions "
          + ("identical" if differ == 0 else f"differ for {differ:,} records"))
    print(f"  time: DuckDB {t_duck:.1f} s, Spark {t_spark:.1f} s "
          f"(Spark/DuckDB {t_spark / t_duck:.1f}x, master {args.spark_master or 'local[2]'})")
    return 0 if differ == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
