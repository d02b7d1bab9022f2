"""Typed errors. Every user-facing failure is one of these and prints as one line."""

from __future__ import annotations


class ShomarError(Exception):
    """Base of every error Shomar raises on purpose. ``exit_code`` is what the CLI returns."""

    exit_code = 1


class InputError(ShomarError):
    """Bad input data: names the file, row and column when they are known.

    Rows are 1-based data rows as a spreadsheet user counts them (the header is row 1 in a CSV,
    so the first data row is row 2).
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [str(p) for p in (self.file, self.row, self.column) if p is not None]
        return f"{':'.join(where)}: {self.message}" if where else self.message


class ConfigError(ShomarError):
    """A workspace, mapping or settings file is missing or wrong."""

    exit_code = 2


class LinkError(ShomarError):
    """Linkage could not run (no records, a blocking budget exceeded, a bad model file)."""

    exit_code = 1


class EstimationError(ShomarError):
    """An estimate cannot be given: the data or model does not allow it."""

    exit_code = 1


class EstimateDoesNotExist(EstimationError):
    """The maximum-likelihood estimate does not exist or the model is not identifiable.

    Reported as a sentence, never as a number (exit code 3 on the CLI).
    """

    exit_code = 3
