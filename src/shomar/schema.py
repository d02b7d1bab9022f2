"""The canonical record every importer produces and the store keeps (see shared/DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CANONICAL_FIELDS = (
    "record_id", "full_name", "other_name", "given_name", "family_name", "father_name", "sex", "age", "date",
    "province", "city", "location", "event_type", "notes",
)


@dataclass(frozen=True)
class CanonicalRecord:
    """One source row: the original kept verbatim next to the parsed canonical fields."""

    row_number: int
    record_id: str
    raw: dict[str, Any]
    raw_hash: str
    full_name: str | None = None
    # The same person's name written another way, most often in the other script (a list with a
    # Persian and a Latin name column): compared as an alias.
    other_name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    father_name: str | None = None
    sex: str | None = None
    age: int | None = None
    date_text: str | None = None
    date_calendar: str | None = None
    date_precision: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    province: str | None = None
    province_code: str | None = None
    city: str | None = None
    location: str | None = None
    event_type: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class IngestResult:
    """A whole file read and checked, ready to be stored in one transaction."""

    file_path: Path
    file_hash: str
    format: str
    encoding: str
    calendar_used: str
    column_map: dict[str, str]
    records: list[CanonicalRecord]
    notes: list[str] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)
