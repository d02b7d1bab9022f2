"""The CLI shell: version, help, and the one-line error boundary with exit codes."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from shomar import __version__
from shomar.cli import app
from shomar.errors import EstimateDoesNotExist, InputError, ShomarError


def test_version_prints_package_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_input_error_names_file_row_and_column() -> None:
    err = InputError("unparseable date '1401/13/40'", file="a.csv", row=7, column="date")
    assert str(err) == "a.csv:7:date: unparseable date '1401/13/40'"
    assert err.exit_code == 2


def test_input_error_without_location_is_just_the_message() -> None:
    assert str(InputError("empty file", file="b.csv")) == "b.csv: empty file"


def test_exit_codes_distinguish_bad_input_from_missing_estimate() -> None:
    assert ShomarError("x").exit_code == 1
    assert EstimateDoesNotExist("x").exit_code == 3


def test_unknown_command_exits_nonzero_without_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from shomar.cli import main; main()", "no-such-command"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
