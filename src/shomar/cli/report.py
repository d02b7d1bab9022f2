"""`shomar report`: one self-contained HTML file with the estimate and how it was made."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shomar.cli.common import WorkspaceOption, console, out


def report(
    out_path: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path("report.html"),
    workspace: WorkspaceOption = Path("."),
    seed: Annotated[int, typer.Option(help="Seed for the Monte-Carlo estimates.")] = 2024,
) -> None:
    """Estimate on the latest linkage and write the report (plus a JSON twin beside it)."""
    from shomar.pipeline import write_workspace_report

    with console.status("estimating and writing the report…"):
        manifest, _, _ = write_workspace_report(workspace, out_path, seed=seed)
    out.print(f"Report written to {manifest.path} (sha256 {manifest.sha256[:16]}…).")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
