"""The Typer application and its error boundary: a ShomarError prints one line and sets the exit code."""

from __future__ import annotations

import sys

import typer

from shomar import __version__
from shomar.errors import ShomarError

app = typer.Typer(
    name="shomar",
    help="Shomar: deduplicate lists of victims and estimate how many people were affected.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"shomar {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Shomar: deduplicate lists of victims and estimate how many people were affected."""


def _register() -> None:
    # Each command group registers itself; imported here so `shomar --help` lists them all.
    import importlib

    for name in ("workspace", "ingest", "link", "review", "estimate", "report", "demo"):
        try:
            module = importlib.import_module(f"shomar.cli.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"shomar.cli.{name}":
                continue
            raise
        module.register(app)


_register()


def main() -> None:
    """Entry point: run the app, turning Shomar's own errors into one line and an exit code."""
    try:
        app(standalone_mode=False)
    except ShomarError as e:
        from rich.markup import escape

        from shomar.cli.common import console

        console.print(f"[bold red]error:[/] {escape(str(e))}", soft_wrap=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        sys.exit(1)
    except Exception as e:
        # Usage errors (Typer's vendored click) arrive here with standalone_mode=False.
        show, code = getattr(e, "show", None), getattr(e, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        raise
