"""How a source file is read: format, encoding, calendar and column mapping (a TOML file)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from shomar.errors import InputError
from shomar.schema import CANONICAL_FIELDS

FORMATS = ("csv", "xlsx", "jsonl")
ENCODINGS = ("utf-8", "cp1256", "auto")
CALENDARS = ("jalali", "gregorian", "auto")


@dataclass(frozen=True)
class SourceMapping:
    """Reading instructions for one file; every field has a safe default."""

    format: str | None = None  # None: from the file extension
    encoding: str = "auto"
    calendar: str = "auto"
    day_first: bool | None = None  # for numeric dates like 05/09/2022
    columns: dict[str, str] = field(default_factory=dict)  # file header -> canonical field


def load_mapping(path: Path) -> SourceMapping:
    """Read and check a mapping TOML; any mistake names the file and the key."""
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as e:
        raise InputError("mapping file not found", file=where) from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"not a valid TOML mapping file: {e}", file=where) from e
    source = data.get("source", {})
    columns = data.get("columns", {})
    unknown = sorted(set(data) - {"source", "columns"})
    if unknown:
        raise InputError(f"unknown section [{unknown[0]}] (expected [source] and [columns])", file=where)
    fmt = _choice(source.get("format"), FORMATS, "format", where)
    encoding = _choice(source.get("encoding", "auto"), ENCODINGS, "encoding", where)
    calendar = _choice(source.get("calendar", "auto"), CALENDARS, "calendar", where)
    day_first = source.get("day_first")
    if day_first is not None and not isinstance(day_first, bool):
        raise InputError("day_first must be true or false", file=where, column="day_first")
    for header, target in columns.items():
        if target not in CANONICAL_FIELDS:
            raise InputError(
                f"column {header!r} maps to unknown field {target!r}; fields are: "
                + ", ".join(CANONICAL_FIELDS), file=where, column=header,
            )
    return SourceMapping(fmt, encoding or "auto", calendar or "auto", day_first, dict(columns))


def _choice(value: object, allowed: tuple[str, ...], key: str, where: str) -> str | None:
    if value is None:
        return None
    text = str(value).lower().replace("_", "-")
    text = {"utf8": "utf-8", "windows-1256": "cp1256", "json": "jsonl"}.get(text, text)
    if text not in allowed:
        raise InputError(f"{key} = {value!r}: use one of {', '.join(allowed)}", file=where, column=key)
    return text
