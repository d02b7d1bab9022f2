"""`shomar demo`: the whole pipeline on a synthetic scenario, compared with its ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shomar.cli.common import console, out


def demo(
    directory: Annotated[Path, typer.Option("--dir", help="Where the scenario, workspace and report go.")] = Path("demo-output"),
    seed: Annotated[int, typer.Option(help="Seed of the synthetic scenario.")] = 2024,
    people: Annotated[int, typer.Option(help="How many people the scenario kills.")] = 3000,
) -> None:
    """Generate a synthetic scenario with known truth, then import, link, estimate and report."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from shomar.demo.run import run_demo

    if people < 50:
        raise typer.BadParameter("at least 50 people are needed for a meaningful scenario", param_hint="--people")
    stages = 7
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
        console=console, transient=False,
    ) as progress:
        task = progress.add_task("starting", total=stages)

        def step(name: str) -> None:
            if not name.startswith(("generating", "importing", "linking", "estimating")):
                progress.update(task, description=name)  # a sub-step of linkage: no advance
                return
            progress.update(task, description=name, advance=1)

        summary = run_demo(directory, n_people=people, seed=seed, step=step)
        progress.update(task, description="done", completed=stages)
    lo, hi = summary.interval
    out.print(f"\n[bold]Shomar demo[/] (seed {seed}, {summary.seconds:.0f} s)")
    out.print(f"  true number of people killed (synthetic truth): {summary.n_people_true:,}")
    out.print(f"  records in the 4 lists:                         {summary.n_records:,}")
    out.print(f"  people after linkage (observed):                {summary.observed:,}")
    out.print(
        f"  estimated total ({summary.method}, {summary.model}): {summary.estimate:,.0f}"
        f"  ({summary.level:.0%} interval {lo:,.0f}–{hi:,.0f})"
    )
    for other in summary.other_estimates:
        olo, ohi = other["interval"]
        out.print(f"    compare {other['method']} {other['model']}: {other['estimate']:,.0f} ({olo:,.0f}–{ohi:,.0f})")
    out.print(
        f"  linkage against the truth: precision {summary.precision:.3f}, "
        f"recall {summary.recall:.3f}, F1 {summary.f1:.3f}"
    )
    out.print(f"  report: {summary.report_path}")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
