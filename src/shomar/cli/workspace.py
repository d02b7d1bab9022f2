"""`shomar init` and `shomar sources`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shomar.cli.common import WorkspaceOption, out, print_json


def init(directory: Annotated[Path, typer.Argument(help="Directory to create the workspace in.")]) -> None:
    """Create a workspace: shomar.toml and an SQLite database."""
    from shomar.storage import init_workspace

    ws = init_workspace(directory)
    out.print(f"Created a Shomar workspace in {ws.path} (settings in {ws.path / 'shomar.toml'}).")


def sources(
    workspace: WorkspaceOption = Path("."),
    json_output: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the sources imported into the workspace."""
    from shomar.storage import open_workspace

    infos = open_workspace(workspace).store.sources()
    if json_output:
        print_json([vars(s) for s in infos])
        return
    if not infos:
        out.print("No sources yet: run `shomar import FILE --source NAME`.")
    for s in infos:
        out.print(f"{s.name}: {s.n_records} records from {s.n_batches} import(s)")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("sources")(sources)
