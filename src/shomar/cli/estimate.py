"""`shomar estimate [TABLE.csv]`: an estimate with its interval, on a table file or a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from shomar.cli.common import WorkspaceOption, console, out, print_json

METHODS = ("loglinear", "closed", "lcmcr", "dga")


def estimate(
    table_path: Annotated[
        Path | None, typer.Argument(metavar="[TABLE.csv]", help="Capture table: a 0/1 column per list + count.")
    ] = None,
    method: Annotated[str, typer.Option(help="loglinear, closed (Rcapture's closedp family), lcmcr (latent classes) or dga (graph averaging).")] = "loglinear",
    model: Annotated[str | None, typer.Option(help='Fixed model, e.g. "[12,23]" or "b*c + c*d".')] = None,
    select: Annotated[str, typer.Option(help="aic, bic or stepwise, when no --model is given.")] = "bic",
    p_threshold: Annotated[float, typer.Option(help="Stepwise: add a pair while its p-value is below this.")] = 0.02,
    max_order: Annotated[int, typer.Option(help="Highest interaction order searched.")] = 2,
    average: Annotated[bool, typer.Option("--average", help="Average the top models by AIC/BIC weight.")] = False,
    interval: Annotated[str, typer.Option(help="profile, lognormal, bca or none.")] = "profile",
    bootstrap: Annotated[int, typer.Option(help="BCa: bootstrap replicates.")] = 1000,
    ntop: Annotated[int | None, typer.Option(help="BCa/averaging: candidate models (the top K by the criterion).")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed: the bootstrap, or the lcmcr chains (drawn and reported when not given).")] = None,
    level: Annotated[float, typer.Option(help="Interval level.")] = 0.95,
    classes: Annotated[int, typer.Option(help="lcmcr: latent classes K.")] = 10,
    samples: Annotated[int, typer.Option(help="lcmcr: kept draws per chain.")] = 1000,
    burnin: Annotated[int, typer.Option(help="lcmcr: burn-in iterations per chain.")] = 10000,
    thin: Annotated[int, typer.Option(help="lcmcr: keep one draw every THIN iterations.")] = 10,
    chains: Annotated[int, typer.Option(help="lcmcr: chains (run in parallel).")] = 4,
    delta: Annotated[float | None, typer.Option(help="dga: hyper-Dirichlet prior per cell (default 2^-J).")] = None,
    n_missing: Annotated[str | None, typer.Option("--n-missing", help="dga: grid of unseen counts LO:HI (default: automatic).")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Strata columns, comma-separated: one estimate per stratum and their total.")] = None,
    workspace: WorkspaceOption = Path("."),
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Estimate the total number of people, seen and unseen, with a 95% interval."""
    from shomar.errors import ConfigError

    if method not in METHODS:
        raise ConfigError(f"unknown method {method!r}: available: {', '.join(METHODS)}")
    strata = [c.strip() for c in by.split(",") if c.strip()] if by else []
    table = _table(table_path, workspace, strata)
    if method == "closed":
        from shomar.estimate.closed import ClosedPopulation

        estimator: Any = ClosedPopulation(level=level)
    elif method == "lcmcr":
        from shomar.estimate.latent_class import LatentClass

        estimator = LatentClass(n_classes=classes, n_samples=samples, burn_in=burnin, thin=thin,
                                n_chains=chains, seed=seed, level=level)
    elif method == "dga":
        from shomar.estimate.graph_average import GraphAverage

        estimator = GraphAverage(delta=delta, n_missing=_grid(n_missing), level=level)
    else:
        from shomar.estimate import LogLinear

        if interval == "profile" and average:
            interval = "bca"  # a profile interval belongs to one model; an average needs the bootstrap
        estimator = LogLinear(model=model, select=select, max_order=max_order, interval=interval,
                              level=level, p_threshold=p_threshold, average=average, ntop=ntop,
                              bootstrap=bootstrap, seed=seed)
    if strata:
        _by_strata(table, estimator, json_output)
        return
    with console.status("estimating…"):
        result = estimator.fit(table)
    data = result.to_dict()
    if json_output:
        print_json(data)
        return
    lo, hi = result.interval
    how = data.get("interval_method", "")
    out.print(
        f"{result.observed:,} people observed on {table.n_lists} lists; estimated total "
        f"{result.estimate:,.0f} ({result.level:.0%} {how} interval {lo:,.0f}–{hi:,.0f}) "
        f"under the {result.method} model {result.model}"
        + (f" ({data['model_names']})." if data.get("model_names") else ".")
    )


def _grid(text: str | None) -> tuple[int, int] | None:
    from shomar.errors import ConfigError

    if text is None:
        return None
    try:
        lo, hi = (int(x) for x in text.split(":"))
    except ValueError as e:
        raise ConfigError(f"--n-missing {text!r}: write LO:HI, e.g. 1:300") from e
    if not 0 <= lo <= hi:
        raise ConfigError(f"--n-missing {text!r}: need 0 ≤ LO ≤ HI")
    return lo, hi


def _table(table_path: Path | None, workspace: Path, strata: list[str]) -> Any:
    from shomar.estimate import CaptureTable

    if table_path is not None:
        return CaptureTable.from_csv(table_path, strata=strata)
    from shomar.pipeline import workspace_capture_table

    return workspace_capture_table(workspace, strata=strata)


def _by_strata(table: Any, estimator: Any, json_output: bool) -> None:
    from shomar.estimate.strata import estimate_by

    with console.status("estimating each stratum…"):
        result = estimate_by(table, estimator)
    if json_output:
        print_json(result.to_dict())
        return
    for r in result.strata:
        if r.get("estimate") is None:
            out.print(f"{r['stratum']}: {r['observed']} observed — no estimate: {r['problem']}")
        else:
            lo, hi = r["interval"]
            out.print(f"{r['stratum']}: {r['observed']} observed, estimate {r['estimate']:,.0f} ({lo:,.0f}–{hi:,.0f})")
    lo, hi = result.interval
    out.print(f"total: {result.observed:,} observed, estimate {result.estimate:,.0f} ({lo:,.0f}–{hi:,.0f}); "
              f"{result.details['interval_method']}")


def register(app: typer.Typer) -> None:
    app.command("estimate")(estimate)
