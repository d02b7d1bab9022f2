"""The latent-class posterior on Kosovo against R LCMCR run beside it, over several seeds.

K = 10, a = b = 0.25, burn-in 100,000, 20,000 samples thinned by 100 (the issue's R settings), one
chain per seed for both. Prints each program's mean and between-seed s.d. of the median, 2.5% and
97.5% quantiles and mean of N, and the difference in standard errors. R and LCMCR are built outside
the repository (R_LIBS_USER or /work/rlib); without them only Shomar runs.
Usage: python benchmarks/lcmcr_validation.py [--seeds 12]   (about 1 min per seed for both)
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from lcmcr_speed import KOSOVO, R_LOAD_TABLE, _rscript

from shomar.estimate import CaptureTable, LatentClass

R_SCRIPT = R_LOAD_TABLE + """
for (seed in seq_len(as.integer(Sys.getenv("SHOMAR_SEEDS")))) {
  sampler <- lcmCR(captures = rows, tabular = FALSE, K = 10, a_alpha = 0.25, b_alpha = 0.25,
                   seed = seed, buffer_size = 10000, thinning = 100, in_list_label = "1",
                   not_in_list_label = "0", verbose = FALSE)
  N <- lcmCR_PostSampl(sampler, burnin = 100000, samples = 20000, thinning = 100, output = FALSE)
  out <- c(out, median(N), quantile(N, c(0.025, 0.975)), mean(N))
}
write(out, Sys.getenv("SHOMAR_OUT"), ncolumns = 1)
"""


def summaries(draws: np.ndarray) -> list[float]:
    return [float(np.median(draws)), *np.quantile(draws, [0.025, 0.975]), float(draws.mean())]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=12)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    table = CaptureTable.from_csv(KOSOVO)
    ours = np.array([summaries(LatentClass(n_samples=20_000, burn_in=100_000, thin=100, n_chains=1,
                                           seed=seed).fit(table).draws.ravel())
                     for seed in range(1, args.seeds + 1)])
    values = _rscript(R_SCRIPT, table, SHOMAR_SEEDS=str(args.seeds))
    theirs = None if values is None else values.reshape(args.seeds, 4)
    names = ("median", "2.5%", "97.5%", "mean")
    for label, runs in (("R LCMCR", theirs), ("Shomar", ours)):
        if runs is None:
            print(f"{label:8}: not available (no R or LCMCR here)")
            continue
        print(f"{label:8}: " + ", ".join(f"{n} {m:,.0f} ± {s:,.0f}" for n, m, s in
                                         zip(names, runs.mean(axis=0), runs.std(axis=0, ddof=1), strict=True)))
    if theirs is not None:
        se = np.sqrt(ours.var(axis=0, ddof=1) / len(ours) + theirs.var(axis=0, ddof=1) / len(theirs))
        diff = ours.mean(axis=0) - theirs.mean(axis=0)
        print("difference: " + ", ".join(f"{n} {d:+,.0f} (z {d / s:+.1f})" for n, d, s in
                                         zip(names, diff, se, strict=True)))


if __name__ == "__main__":
    main()
