"""Latent-class (LCMCR) sampler speed: iterations per second per chain, effective samples of N per
second, and 100 strata end to end on both cores. R LCMCR's figures were measured on this machine
for the issue (97,000 iterations/s on Kosovo at K = 10; 81,000 on a 6-list table); the baseline run
in the same process is one chain on one thread.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np

from shomar.estimate import CaptureTable, LatentClass
from shomar.estimate.strata import estimate_by

KOSOVO = Path(__file__).resolve().parent.parent / "tests" / "data" / "mse" / "kosovo_1999_4lists.csv"
R_ITERATIONS_PER_S = {"Kosovo (4 lists)": 97_000, "6 lists": 81_000}


def six_lists(seed: int = 1, n: int = 4000) -> CaptureTable:
    rng = np.random.default_rng(seed)
    p = rng.beta(2, 4, n)[:, None] * np.array([1.0, 0.7, 0.9, 0.5, 0.8, 0.6])
    seen = (rng.random((n, 6)) < p)
    seen = seen[seen.any(axis=1)].astype(np.uint8)
    patterns, counts = np.unique(seen, axis=0, return_counts=True)
    return CaptureTable.from_arrays(patterns, counts, [f"L{j + 1}" for j in range(6)])


def per_chain(table: CaptureTable, iterations: int = 200_000) -> tuple[float, float]:
    t0 = time.perf_counter()
    result = LatentClass(n_samples=2000, burn_in=iterations - 2000 * 50, thin=50, n_chains=1, seed=1).fit(table)
    seconds = time.perf_counter() - t0
    return iterations / seconds, result.details["ess_N"] / seconds


def strata_table(n_strata: int = 100, seed: int = 3) -> CaptureTable:
    rng = np.random.default_rng(seed)
    rows, counts, labels = [], [], []
    for s in range(n_strata):
        n = int(rng.integers(150, 600))
        p = rng.beta(2, 4, n)[:, None] * np.array([1.0, 0.8, 0.7, 0.9])
        seen = rng.random((n, 4)) < p
        seen = seen[seen.any(axis=1)].astype(np.uint8)
        pats, cnt = np.unique(seen, axis=0, return_counts=True)
        rows += list(pats)
        counts += list(cnt)
        labels += [(f"s{s:03d}",)] * len(cnt)
    return CaptureTable.from_arrays(rows, counts, list("abcd"), strata_names=("stratum",), strata=labels)


def main() -> None:
    warnings.simplefilter("ignore")
    LatentClass(n_samples=10, burn_in=10, thin=1, n_chains=1, seed=0).fit(CaptureTable.from_csv(KOSOVO))
    for name, table in (("Kosovo (4 lists)", CaptureTable.from_csv(KOSOVO)), ("6 lists", six_lists())):
        its, ess_s = per_chain(table)
        r = R_ITERATIONS_PER_S[name]
        print(f"{name}: {its:,.0f} iterations/s per chain (R LCMCR {r:,}: ratio {its / r:.2f}); "
              f"ESS of N {ess_s:,.0f}/s")
    table = strata_table()
    options = dict(n_samples=1000, burn_in=10000, thin=10, seed=1)
    t0 = time.perf_counter()
    estimate_by(table, LatentClass(n_chains=1, **options), n_jobs=1)
    t_one = time.perf_counter() - t0
    t0 = time.perf_counter()
    total = estimate_by(table, LatentClass(n_chains=1, **options), n_jobs=2)
    t_two = time.perf_counter() - t0
    print(f"100 strata, 1 chain each, 20,000 iterations: {t_two:.1f} s on 2 threads "
          f"(1 thread {t_one:.1f} s, speed-up {t_one / t_two:.2f}); total {total.estimate:,.0f} "
          f"[{total.interval[0]:,.0f}, {total.interval[1]:,.0f}]")


if __name__ == "__main__":
    main()
