"""`shomar import FILE --source NAME [--map MAP.toml]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shomar.cli.common import WorkspaceOption, console, out


def import_file(
    file: Annotated[Path, typer.Argument(help="CSV, XLSX or JSON Lines file.")],
    source: Annotated[str, typer.Option("--source", help="Name of the list this file belongs to.")],
    map_path: Annotated[
        Path | None, typer.Option("--map", help="TOML mapping: format, encoding, calendar, columns.")
    ] = None,
    workspace: WorkspaceOption = Path("."),
) -> None:
    """Import one source file in one transaction (a bad row aborts it and changes nothing)."""
    from shomar.pipeline import import_file as run_import
    from shomar.storage import DuplicateImport

    try:
        with console.status(f"reading {file.name}…"):
            result, summary = run_import(workspace, file, source=source, map_path=map_path)
    except DuplicateImport as e:
        out.print(str(e))
        return
    out.print(
        f"Imported {file.name} into {source!r}: {summary.rows_read} rows read; "
        f"{summary.new_records} new records, {summary.new_versions} new versions, "
        f"{summary.unchanged} unchanged. Encoding {result.encoding}; calendar {result.calendar_used}."
    )
    for note in result.notes:
        out.print(f"  note: {note}")
    if result.unmapped_columns:
        out.print("  kept in the raw row only (not mapped): " + ", ".join(result.unmapped_columns))


def register(app: typer.Typer) -> None:
    app.command("import")(import_file)
