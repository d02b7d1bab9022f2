"""Latent-class (LCMCR) sampler speed: iterations per second per chain, effective samples of N per
second, and 100 strata end to end on both cores.

When R and the LCMCR package are available (R_LIBS_USER or /work/rlib; built outside the repository),
R runs beside Shomar in the same invocation on the same table, settings and number of iterations;
otherwise the R figures measured for the issue are printed (97,000 iterations/s on Kosovo at K = 10;
81,000 on a 6-list table).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from shomar.estimate import CaptureTable, LatentClass
from shomar.estimate.diagnostics import ess
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


SEEDS = tuple(range(1, 17))
ITERATIONS = 200_000
DRAWS, THIN = 2000, 50


def shomar_run(table: CaptureTable, seed: int, chains: int = 1) -> tuple[float, np.ndarray]:
    """Wall seconds and the (chains, draws) array of N; ``chains`` run in parallel threads."""
    t0 = time.perf_counter()
    result = LatentClass(n_samples=DRAWS, burn_in=ITERATIONS - DRAWS * THIN, thin=THIN, n_chains=chains,
                         seed=seed).fit(table)
    return time.perf_counter() - t0, result.draws


# R: the capture table (a CSV of 0/1 columns and counts) expanded to one row per person, as LCMCR
# takes it.
R_LOAD_TABLE = """
suppressMessages(library(LCMCR, lib.loc = Sys.getenv("SHOMAR_RLIB")))
df <- read.csv(Sys.getenv("SHOMAR_TABLE"))
J <- ncol(df) - 1
rows <- df[rep(seq_len(nrow(df)), df$count), 1:J]
for (j in 1:J) rows[[j]] <- factor(rows[[j]], levels = c(0, 1))
out <- c()
"""

R_SCRIPT = R_LOAD_TABLE + """for (seed in as.integer(strsplit(Sys.getenv("SHOMAR_SEEDS"), ",")[[1]])) {
  t0 <- proc.time()[["elapsed"]]
  sampler <- lcmCR(captures = rows, tabular = FALSE, K = 10, a_alpha = 0.25, b_alpha = 0.25,
                   seed = seed, buffer_size = 10000, thinning = 50, in_list_label = "1",
                   not_in_list_label = "0", verbose = FALSE)
  N <- lcmCR_PostSampl(sampler, burnin = 100000, samples = 2000, thinning = 50, output = FALSE)
  out <- c(out, proc.time()[["elapsed"]] - t0, N)
}
write(out, Sys.getenv("SHOMAR_OUT"), ncolumns = 1)
"""

R_STRATA_SCRIPT = """
suppressMessages(library(LCMCR, lib.loc = Sys.getenv("SHOMAR_RLIB")))
df <- read.csv(Sys.getenv("SHOMAR_TABLE"))
lists <- setdiff(names(df), c("stratum", "count"))
t0 <- proc.time()[["elapsed"]]
draws <- list()
for (s in unique(df$stratum)) {
  part <- df[df$stratum == s, ]
  rows <- part[rep(seq_len(nrow(part)), part$count), lists]
  for (j in lists) rows[[j]] <- factor(rows[[j]], levels = c(0, 1))
  sampler <- lcmCR(captures = rows, tabular = FALSE, K = 10, a_alpha = 0.25, b_alpha = 0.25,
                   seed = 1, buffer_size = 10000, thinning = 10, in_list_label = "1",
                   not_in_list_label = "0", verbose = FALSE)
  draws[[s]] <- lcmCR_PostSampl(sampler, burnin = 10000, samples = 1000, thinning = 10,
                                output = FALSE)
}
total <- Reduce(`+`, draws)
el <- proc.time()[["elapsed"]] - t0
write(c(el, median(total)), Sys.getenv("SHOMAR_OUT"), ncolumns = 1)
"""


def _rscript(script: str, table: CaptureTable, **env: str) -> np.ndarray | None:
    """Run an R script on ``table`` (written to CSV); its numeric output, or None without R."""
    rlib = os.environ.get("R_LIBS_USER", "/work/rlib")
    if shutil.which("Rscript") is None or not Path(rlib, "LCMCR").exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        csv, out, path = Path(tmp, "t.csv"), Path(tmp, "out.txt"), Path(tmp, "run.R")
        table.to_csv(csv)
        path.write_text(script, encoding="utf-8")
        full_env = {**os.environ, "SHOMAR_RLIB": rlib, "SHOMAR_TABLE": str(csv),
                    "SHOMAR_OUT": str(out), **env}
        subprocess.run(["Rscript", str(path)], check=True, env=full_env, capture_output=True,
                       timeout=1200)
        return np.loadtxt(out)


def r_runs(table: CaptureTable) -> list[tuple[float, np.ndarray]] | None:
    """(seconds, draws of N) of one R LCMCR run per seed, or None without R."""
    values = _rscript(R_SCRIPT, table, SHOMAR_SEEDS=",".join(map(str, SEEDS)))
    if values is None:
        return None
    return [(chunk[0], chunk[1:]) for chunk in values.reshape(len(SEEDS), DRAWS + 1)]


def pooled_ess_per_second(runs: list[tuple[float, np.ndarray]]) -> float:
    """Σ ESS / Σ seconds over runs: one rate from all seeds (a single run's ESS varies several-fold)."""
    return sum(ess(np.atleast_2d(draws)) for _, draws in runs) / sum(seconds for seconds, _ in runs)


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
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=("all", "chains", "strata"), default="all")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    LatentClass(n_samples=10, burn_in=10, thin=1, n_chains=1, seed=0).fit(CaptureTable.from_csv(KOSOVO))
    if args.part in ("all", "chains"):
        chains()
    if args.part in ("all", "strata"):
        strata()


def chains() -> None:
    print(f"one chain = K 10, {ITERATIONS:,} iterations (burn-in {ITERATIONS - DRAWS * THIN:,}), {DRAWS:,} "
          f"draws thinned by {THIN}; every rate pooled over seeds {SEEDS[0]}–{SEEDS[-1]} "
          f"(Σ ESS / Σ seconds: the ESS of a single run varies several-fold with the seed)")
    for name, table in (("Kosovo (4 lists)", CaptureTable.from_csv(KOSOVO)), ("6 lists", six_lists())):
        one = [shomar_run(table, s) for s in SEEDS]
        two = [shomar_run(table, s, chains=2) for s in SEEDS]
        its = ITERATIONS * len(one) / sum(t for t, _ in one)
        ess_one, ess_two = pooled_ess_per_second(one), pooled_ess_per_second(two)
        r = r_runs(table)
        if r is None:
            r_its = R_ITERATIONS_PER_S[name]
            print(f"{name}: Shomar {its:,.0f} it/s, ESS of N {ess_one:,.1f}/s (2 chains on 2 cores "
                  f"{ess_two:,.1f}/s); no R here, issue's R figure {r_its:,} it/s: ratio {its / r_its:.2f}")
            continue
        r_its = ITERATIONS * len(r) / sum(t for t, _ in r)
        r_ess = pooled_ess_per_second(r)
        # Two chains' worth with R: two runs one after the other (R LCMCR runs one chain per call),
        # their draws judged together by the same multi-chain ESS as Shomar's two parallel chains.
        r_pairs = [(r[i][0] + r[i + 1][0], np.vstack([r[i][1], r[i + 1][1]])) for i in range(0, len(r) - 1, 2)]
        r_ess_two = pooled_ess_per_second(r_pairs)
        print(f"{name}:\n"
              f"  iterations/s per chain : Shomar {its:,.0f} | R LCMCR {r_its:,.0f} | ratio {its / r_its:.2f}\n"
              f"  ESS of N/s, one chain  : Shomar {ess_one:,.1f} | R {r_ess:,.1f} | ratio {ess_one / r_ess:.2f}\n"
              f"  ESS of N/s, two chains : Shomar in parallel on 2 cores {ess_two:,.1f} | R, two runs "
              f"{r_ess_two:,.1f} | ratio {ess_two / r_ess_two:.2f}")


def strata() -> None:
    table = strata_table()
    options = dict(n_samples=1000, burn_in=10000, thin=10, seed=1)
    t0 = time.perf_counter()
    estimate_by(table, LatentClass(n_chains=1, **options), n_jobs=1)
    t_one = time.perf_counter() - t0
    t0 = time.perf_counter()
    total = estimate_by(table, LatentClass(n_chains=1, **options), n_jobs=2)
    t_two = time.perf_counter() - t0
    line = (f"100 strata, 1 chain each, 20,000 iterations: Shomar {t_two:.1f} s on 2 threads "
            f"(1 thread {t_one:.1f} s, speed-up {t_one / t_two:.2f}); total median {total.estimate:,.0f} "
            f"[{total.interval[0]:,.0f}, {total.interval[1]:,.0f}]")
    r_strata = _rscript(R_STRATA_SCRIPT, table)
    if r_strata is not None:
        line += (f" | R LCMCR same run, strata in a loop: {r_strata[0]:.1f} s, total median "
                 f"{r_strata[1]:,.0f} | ratio {r_strata[0] / t_two:.2f}")
    print(line)


if __name__ == "__main__":
    main()
