"""Shared test helpers."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")


@dataclass(frozen=True)
class CliOutcome:
    exit_code: int
    output: str
    exception: BaseException | None


def run_cli(args: list[str]) -> CliOutcome:
    """Invoke the CLI in-process with the same error boundary as ``shomar.cli.main``."""
    from typer.testing import CliRunner

    from shomar.cli import app
    from shomar.errors import ShomarError

    result = CliRunner().invoke(app, args)
    if isinstance(result.exception, ShomarError):
        return CliOutcome(result.exception.exit_code, result.output + str(result.exception), result.exception)
    return CliOutcome(result.exit_code, result.output, result.exception)
