"""How diverse the demo population's names are, beside the same aggregate statistics of a real
victim list when ../shared/data/iran-memorial/records.csv is present (read in place; only counts
and shares are printed, never a name of a real person).
Usage: python benchmarks/demo_names.py [--people 3000 27000 60000]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import Counter
from pathlib import Path

import numpy as np

from shomar.demo.people import generate_people
from shomar.normalise import normalise

REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "iran-memorial" / "records.csv"
ZWNJ = "\u200c"
GIVEN = ["محمد", "علی", "حسین", "حسن", "مهدی", "احمد", "رضا", "علیرضا", "محمدرضا"]
FAMILY = ["محمدی", "حسینی", "احمدی", "رضایی", "حیدری"]
SUFFIXES = ["زاده", "پور", "یان", "نژاد", "زهی", "آبادی", "وند", "لو", "نیا", "فر", "خانی", "مقدم", "بخش", "راد"]
COUNTS = {"n", "top_full", "distinct_given", "distinct_family"}
HONORIFICS = {"سید", "سیده", "میر", "حاج"}
SECONDS = {"رضا", "علی", "حسین", "اکبر", "اصغر", "حسن", "مهدی", "جواد", "صادق", "باقر", "کاظم",
           "تقی", "امین", "محمد", "هادی", "الله"}


def _join(text: str) -> str:
    return text.replace(ZWNJ, "").replace(" ", "")


def summary(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Aggregate statistics of (given, family) pairs: distinctness, shares, tail."""
    n = len(pairs)
    full = Counter((_join(g), _join(f)) for g, f in pairs)
    given = Counter(_join(g) for g, _ in pairs)
    family = Counter(_join(f) for _, f in pairs if f)
    out = {"n": n, "distinct_full": len(full) / n, "top_full": full.most_common(1)[0][1],
           "distinct_given": len(given), "distinct_family": len(family),
           "family_singleton_people": sum(v for v in family.values() if v == 1) / n,
           "family_top100_cum": sum(v for _, v in family.most_common(100)) / n,
           "family_top1000_cum": sum(v for _, v in family.most_common(1000)) / n,
           "given_top10_cum": sum(v for _, v in given.most_common(10)) / n,
           "given_top100_cum": sum(v for _, v in given.most_common(100)) / n}
    out |= {f"given {g}": given[g] / n for g in GIVEN}
    out |= {f"family {f}": family[f] / n for f in FAMILY}
    out |= {f"family -{s}": sum(c for f, c in family.items() if f.endswith(s) and f != s) / n
            for s in SUFFIXES}
    out["family -ی"] = sum(c for f, c in family.items() if f.endswith("ی")) / n
    return out


def synthetic(n: int, seed: int = 2024) -> list[tuple[str, str]]:
    people = generate_people(n, np.random.default_rng(seed))
    return [(p.given.persian, p.family.persian) for p in people]


def real(sample: int | None, seed: int = 1) -> list[tuple[str, str]]:
    """(given, family) of real Persian names, placeholders and initials-only names dropped."""
    with REAL.open(encoding="utf-8") as fh:
        names = [normalise(r["name_farsi"]) for r in csv.DictReader(fh) if r["name_farsi"].strip()]
    pairs = []
    for name in names:
        tokens = name.replace("(", " ( ").split()
        if "ناشناس" in tokens or "(" in tokens or any(len(t.rstrip(".")) <= 1 or t.endswith(".") or t == "الف" for t in tokens):
            continue
        tokens = tokens[1:] if tokens[0] in HONORIFICS and len(tokens) > 1 else tokens
        given, rest = tokens[0], tokens[1:]
        if len(rest) > 1 and rest[0] in SECONDS:  # a compound written with a space: محمد رضا
            given, rest = given + rest[0], rest[1:]
        pairs.append((given, " ".join(rest)))
    if sample is not None and sample < len(pairs):
        pairs = random.Random(seed).sample(pairs, sample)
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[3000, 27000, 60000])
    args = parser.parse_args()
    columns: dict[str, dict[str, float]] = {}
    for n in args.people:
        t0 = time.perf_counter()
        columns[f"synthetic {n:,}"] = summary(synthetic(n))
        print(f"generate_people({n:,}): {time.perf_counter() - t0:.2f} s")
    if REAL.exists():
        for n in (3000, None):
            pairs = real(n)
            columns[f"real {len(pairs):,}"] = summary(pairs)
    else:
        print(f"(no {REAL}: real statistics skipped)")
    print(f"{'':28}" + "".join(f"{c:>18}" for c in columns))
    for key in next(iter(columns.values())):
        cells = []
        for col in columns.values():
            v = col[key]
            cells.append(f"{v:>18,.0f}" if key in COUNTS else f"{100 * v:>17.2f}%")
        print(f"{key:28}" + "".join(cells))


if __name__ == "__main__":
    main()
