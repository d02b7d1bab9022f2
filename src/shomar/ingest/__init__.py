"""Reading source lists (CSV, XLSX, JSON Lines; UTF-8 or Windows-1256) into canonical records.

Pure: nothing here touches the store. ``read_source`` checks the whole file and raises an
``InputError`` naming file, row and column before anything could be written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from shomar.errors import InputError
from shomar.ingest.canonical import build_record, map_headers
from shomar.ingest.mapping import SourceMapping, load_mapping
from shomar.ingest.readers import detect_format, read_table
from shomar.schema import CanonicalRecord, IngestResult

__all__ = ["CanonicalRecord", "IngestResult", "SourceMapping", "load_mapping", "read_source"]


def read_source(path: str | Path, *, source: str, mapping: SourceMapping | None = None) -> IngestResult:
    """Read, map and parse a whole source file; any bad row raises before anything is returned."""
    path = Path(path)
    mapping = mapping or SourceMapping()
    where = str(path)
    fmt = detect_format(path, mapping.format)
    table = read_table(path, fmt, mapping.encoding)
    if not table.rows:
        raise InputError("no data rows under the header", file=where, row=2)
    columns = map_headers(table.header, mapping.columns, where)
    if not set(columns.values()) & {"full_name", "given_name", "family_name"}:
        raise InputError("no name column found (map one with a --map file: e.g. \"نام\" = "
                         "\"given_name\")", file=where, row=1)
    records = [build_record(n, raw, columns, mapping.calendar, mapping.day_first, where)
               for n, raw in table.rows]
    calendar_used, notes = _check_calendars(records, mapping.calendar, where)
    _check_unique_ids(records, columns, where)
    unmapped = [h for h in table.header if h not in columns]
    return IngestResult(
        file_path=path, file_hash=hashlib.sha256(path.read_bytes()).hexdigest(), format=fmt,
        encoding=table.encoding, calendar_used=calendar_used, column_map=columns, records=records,
        notes=[*table.notes, *notes], unmapped_columns=unmapped,
    )


def _check_calendars(records: list[CanonicalRecord], declared: str, where: str) -> tuple[str, list[str]]:
    used = [(r.row_number, r.date_calendar) for r in records if r.date_calendar]
    if not used:
        return declared, []
    kinds = {c for _, c in used}
    if declared != "auto":
        return declared, []
    if len(kinds) > 1:
        first = used[0][1]
        row = next(n for n, c in used if c != first)
        raise InputError(f"calendar auto: rows before this one are {first}, this one is not; "
                         "set calendar in a --map file", file=where, row=row)
    kind = kinds.pop()
    return kind, [f"calendar auto: every date reads as {kind} (decided by year range)"]


def _check_unique_ids(records: list[CanonicalRecord], columns: dict[str, str], where: str) -> None:
    column = next((h for h, f in columns.items() if f == "record_id"), None)
    if column is None:
        return
    seen: dict[str, int] = {}
    for r in records:
        if r.record_id in seen:
            raise InputError(f"id {r.record_id!r} already used on row {seen[r.record_id]}",
                             file=where, row=r.row_number, column=column)
        seen[r.record_id] = r.row_number
