"""Cross-script name matching on real records (read in place, never copied into the repository).

Each Persian name of ../shared/data/iran-memorial/records.csv is ranked against every distinct Latin
name by ``shomar.normalise.name_similarity`` (computed in bulk with the same formula); top-1 is
correct when its own Latin name is the only best key (a tie with a different name counts as a
miss). A baseline runs in the same process: the consonant skeleton of a naive letter-by-letter
transliteration with normalised Levenshtein (the field's best simple method; 84.5% in the README).
Usage: python benchmarks/cross_script_matching.py [--limit N] [--errors FILE]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel, Levenshtein

from shomar.normalise import name_key, normalise, skeleton_key
from shomar.normalise.names import _FA_LETTERS, SKELETON_WEIGHT

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "iran-memorial" / "records.csv"


def load_pairs(limit: int | None) -> list[tuple[str, str]]:
    if not DATA.exists():
        sys.exit(f"skipped: {DATA} not found (the real-data benchmark reads the shared data in place)")
    with DATA.open(encoding="utf-8") as fh:
        pairs = [(r["name_farsi"].strip(), r["name_latin"].strip()) for r in csv.DictReader(fh)
                 if r["name_farsi"].strip() and r["name_latin"].strip()]
    return pairs[:limit] if limit else pairs


def baseline_key(text: str) -> str:
    """Consonant skeleton of a naive letter-by-letter transliteration (either script)."""
    t = "".join(_FA_LETTERS.get(c, c) for c in normalise(text))
    return re.sub(r"[^bcdfghjklmnpqrstvwxz]", "", t.lower())


def ranked_top1(score_blocks, keys: list[str], truth: list[int]) -> np.ndarray:
    """Correct when the true choice's key is the only key reaching the best score."""
    correct = np.zeros(len(truth), dtype=bool)
    tied = np.zeros(len(truth), dtype=bool)
    for start, scores in score_blocks:
        best = scores.max(axis=1)
        for i, row in enumerate(scores):
            winners = {keys[j] for j in np.flatnonzero(row >= best[i] - 1e-6)}
            correct[start + i] = winners == {keys[truth[start + i]]}
            tied[start + i] = keys[truth[start + i]] in winners
    return correct, tied


def blocks(*pairs_of_lists, weights, chunk=1000):
    queries = pairs_of_lists[0][0]
    for start in range(0, len(queries), chunk):
        total = None
        for (q, c, scorer), w in zip(pairs_of_lists, weights, strict=True):
            s = process.cdist(q[start:start + chunk], c, scorer=scorer, workers=-1, dtype=np.float32)
            total = w * s if total is None else total + w * s
        yield start, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--errors", type=Path, default=None)
    args = parser.parse_args()
    pairs = load_pairs(args.limit)
    latin = sorted({la for _, la in pairs})
    index = {la: i for i, la in enumerate(latin)}
    truth = [index[la] for _, la in pairs]
    print(f"{len(pairs):,} Persian/Latin pairs, {len(latin):,} distinct Latin names")

    t0 = time.perf_counter()
    bq, bc = [baseline_key(fa) for fa, _ in pairs], [baseline_key(la) for la in latin]
    base, base_tied = ranked_top1(blocks((bq, bc, Levenshtein.normalized_similarity), weights=[1.0]), bc, truth)
    t_base = time.perf_counter() - t0

    t0 = time.perf_counter()
    sq, sc = [skeleton_key(fa) for fa, _ in pairs], [skeleton_key(la) for la in latin]
    kq = [name_key(fa).replace(" ", "") for fa, _ in pairs]
    kc = [name_key(la).replace(" ", "") for la in latin]
    keys = [f"{a}|{b}" for a, b in zip(sc, kc, strict=True)]
    ours, ours_tied = ranked_top1(blocks((sq, sc, Indel.normalized_similarity), (kq, kc, Indel.normalized_similarity),
                              weights=[SKELETON_WEIGHT, 1 - SKELETON_WEIGHT]), keys, truth)
    t_ours = time.perf_counter() - t0
    print(f"baseline (naive skeleton + Levenshtein): top-1 {base.mean():.1%} "
          f"({base_tied.mean():.1%} counting ties) in {t_base:.0f} s")
    print(f"shomar name_similarity                 : top-1 {ours.mean():.1%} "
          f"({ours_tied.mean():.1%} counting ties) in {t_ours:.0f} s")
    print(f"ratio shomar/baseline top-1: {ours.mean() / base.mean():.3f}; time ratio {t_ours / t_base:.2f}")
    if args.errors:
        with args.errors.open("w", encoding="utf-8") as fh:
            for (fa, la), ok, s, k in zip(pairs, ours, sq, kq, strict=True):
                if not ok:
                    fh.write(f"{fa}\t{la}\t{s}\t{skeleton_key(la)}\t{k}\t{name_key(la)}\n")


if __name__ == "__main__":
    main()
