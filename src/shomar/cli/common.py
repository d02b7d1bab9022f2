"""Options and output shared by every command."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

console = Console(stderr=True, highlight=False)
out = Console(highlight=False, soft_wrap=True)

WorkspaceOption = Annotated[
    Path,
    typer.Option(
        "-w",
        "--workspace",
        envvar="SHOMAR_WORKSPACE",
        help="Workspace directory (holds shomar.toml and the database).",
        show_default="current directory",
    ),
]


def default_workspace() -> Path:
    return Path(os.environ.get("SHOMAR_WORKSPACE", "."))


def print_json(data: Any) -> None:
    """Machine-readable output on stdout, nothing else on that stream."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
