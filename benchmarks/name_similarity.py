"""Throughput of name_similarity in bulk (similarity_matrix) against rapidfuzz Jaro-Winkler on the
same pairs in the same run. Synthetic names from Shomar's demo generator: no real data needed.
Usage: python benchmarks/name_similarity.py [--names 3000]
"""

from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from shomar.demo import generate_scenario
from shomar.ingest import read_source
from shomar.normalise import similarity_matrix


def names(n: int) -> tuple[list[str], list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        scenario = generate_scenario(tmp, n_people=n, seed=1)
        paths = {name: path for name, path, *_ in scenario.sources}
        fa = [r.full_name for r in read_source(paths["ngo_fa"], source="fa").records]
        en = [r.full_name for r in read_source(paths["ngo_en"], source="en").records]
    return [x for x in fa if x], [x for x in en if x]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=6000)
    args = parser.parse_args()
    fa, en = names(args.names)
    pairs = len(fa) * len(en)
    t0 = time.perf_counter()
    process.cdist(fa, en, scorer=JaroWinkler.similarity, workers=-1, dtype=np.float32)
    t_jw = time.perf_counter() - t0
    t0 = time.perf_counter()
    similarity_matrix(fa, en)
    t_ours = time.perf_counter() - t0
    print(f"{len(fa):,} Persian × {len(en):,} Latin names = {pairs:,} pairs, 2 cores")
    print(f"rapidfuzz Jaro-Winkler on raw strings : {pairs / t_jw / 1e6:6.1f} M pairs/s")
    print(f"shomar similarity_matrix (both scripts): {pairs / t_ours / 1e6:6.1f} M pairs/s (keys included)")
    print(f"ratio shomar/Jaro-Winkler time: {t_ours / t_jw:.2f}")


if __name__ == "__main__":
    main()
