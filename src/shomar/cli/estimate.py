"""`shomar estimate [TABLE.csv]`: an estimate with its interval, on a table file or a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shomar.cli.common import WorkspaceOption, out, print_json


def estimate(
    table_path: Annotated[
        Path | None, typer.Argument(metavar="[TABLE.csv]", help="Capture table: a 0/1 column per list + count.")
    ] = None,
    method: Annotated[str, typer.Option(help="loglinear")] = "loglinear",
    model: Annotated[str | None, typer.Option(help='Fixed model, e.g. "[12,23]" or "b*c + c*d".')] = None,
    select: Annotated[str, typer.Option(help="aic or bic, when no --model is given.")] = "bic",
    max_order: Annotated[int, typer.Option(help="Highest interaction order searched.")] = 2,
    level: Annotated[float, typer.Option(help="Interval level.")] = 0.95,
    workspace: WorkspaceOption = Path("."),
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Estimate the total number of people, seen and unseen, with a 95% interval."""
    from shomar.errors import ConfigError
    from shomar.estimate import CaptureTable, LogLinear

    if method != "loglinear":
        raise ConfigError(f"unknown method {method!r}: available: loglinear")
    if table_path is not None:
        table = CaptureTable.from_csv(table_path)
    else:
        from shomar.pipeline import workspace_capture_table

        table = workspace_capture_table(workspace)
    result = LogLinear(model=model, select=select, max_order=max_order, level=level).fit(table)
    data = result.to_dict()
    if json_output:
        print_json(data)
        return
    lo, hi = result.interval
    out.print(
        f"{result.observed:,} people observed on {table.n_lists} lists; estimated total "
        f"{result.estimate:,.0f} ({result.level:.0%} profile-likelihood interval {lo:,.0f}–{hi:,.0f}) "
        f"under the log-linear model {result.model} ({data['model_names']})."
    )


def register(app: typer.Typer) -> None:
    app.command("estimate")(estimate)
