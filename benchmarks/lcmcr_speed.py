"""Latent-class (LCMCR) sampler speed: iterations per second per chain, effective samples of N per
second, and 100 strata end to end on both cores.

When R and the LCMCR package are available (R_LIBS_USER or /work/rlib; built outside the repository),
R runs beside Shomar in the same invocation on the same table, settings and number of iterations;
otherwise the R figures measured for the issue are printed (97,000 iterations/s on Kosovo at K = 10;
81,000 on a 6-list table).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
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


R_SCRIPT = """
suppressMessages(library(LCMCR, lib.loc = Sys.getenv("SHOMAR_RLIB")))
df <- read.csv(Sys.getenv("SHOMAR_TABLE"))
J <- ncol(df) - 1
rows <- df[rep(seq_len(nrow(df)), df$count), 1:J]
for (j in 1:J) rows[[j]] <- factor(rows[[j]], levels = c(0, 1))
sampler <- lcmCR(captures = rows, tabular = FALSE, K = 10, a_alpha = 0.25, b_alpha = 0.25, seed = 1,
                 buffer_size = 10000, thinning = 50, in_list_label = "1", not_in_list_label = "0",
                 verbose = FALSE)
t0 <- proc.time()[["elapsed"]]
N <- lcmCR_PostSampl(sampler, burnin = 100000, samples = 2000, thinning = 50, output = FALSE)
el <- proc.time()[["elapsed"]] - t0
write(c(el, N), Sys.getenv("SHOMAR_OUT"), ncolumns = 1)
"""


def r_per_chain(table: CaptureTable) -> tuple[float, float] | None:
    """Iterations/s and ESS of N per second of R LCMCR on the same table, or None without R."""
    from shomar.estimate.diagnostics import ess

    rlib = os.environ.get("R_LIBS_USER", "/work/rlib")
    if shutil.which("Rscript") is None or not Path(rlib, "LCMCR").exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        csv, out, script = Path(tmp, "t.csv"), Path(tmp, "out.txt"), Path(tmp, "run.R")
        table.to_csv(csv)
        script.write_text(R_SCRIPT, encoding="utf-8")
        env = {**os.environ, "SHOMAR_RLIB": rlib, "SHOMAR_TABLE": str(csv), "SHOMAR_OUT": str(out)}
        subprocess.run(["Rscript", str(script)], check=True, env=env, capture_output=True, timeout=600)
        values = np.loadtxt(out)
    seconds, draws = values[0], values[1:]
    return 200_000 / seconds, ess(draws[None, :]) / seconds


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
        r_run = r_per_chain(table)
        if r_run is None:
            r = R_ITERATIONS_PER_S[name]
            print(f"{name}: {its:,.0f} iterations/s per chain (R LCMCR, issue's figure {r:,}: ratio "
                  f"{its / r:.2f}); ESS of N {ess_s:,.0f}/s")
        else:
            r_its, r_ess = r_run
            print(f"{name}: Shomar {its:,.0f} it/s, ESS of N {ess_s:,.0f}/s | R LCMCR same run "
                  f"{r_its:,.0f} it/s, ESS {r_ess:,.0f}/s | ratios {its / r_its:.2f} (it/s), "
                  f"{ess_s / r_ess:.2f} (ESS/s)")
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
