"""Reading a file into a header and rows of text, whatever its format and encoding."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shomar.errors import InputError


@dataclass(frozen=True)
class RawTable:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number as a user counts it, header -> text)
    encoding: str
    notes: list[str]


def detect_format(path: Path, declared: str | None) -> str:
    if declared:
        return declared
    suffix = path.suffix.lower()
    formats = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl",
               ".ndjson": "jsonl", ".json": "jsonl"}
    if suffix not in formats:
        raise InputError(f"cannot tell the format from {suffix!r}: give format in a --map file",
                         file=str(path))
    return formats[suffix]


def decode(data: bytes, declared: str, where: str) -> tuple[str, str, list[str]]:
    """Bytes to text: UTF-8 (BOM or not) or Windows-1256; ``auto`` tries UTF-8 first."""
    notes: list[str] = []
    if declared in ("utf-8", "auto"):
        try:
            return data.decode("utf-8-sig"), "utf-8", notes
        except UnicodeDecodeError as e:
            if declared == "utf-8":
                line = data[: e.start].count(b"\n") + 1
                raise InputError(
                    f"not valid UTF-8 (byte {e.start}); if this is a Windows export, "
                    "set encoding = \"cp1256\" in the mapping file", file=where, row=line,
                ) from e
            notes.append("encoding auto: the file is not UTF-8, read as Windows-1256 (cp1256)")
    elif _is_non_ascii_utf8(data):
        raise InputError("encoding cp1256 was declared but the file is UTF-8: "
                         "set encoding = \"utf-8\" (or \"auto\")", file=where)
    try:
        return data.decode("cp1256"), "cp1256", notes
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(f"not valid Windows-1256 text (byte {e.start})", file=where, row=line) from e


def _is_non_ascii_utf8(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return any(ord(c) > 127 for c in text)


def read_table(path: Path, fmt: str, encoding: str) -> RawTable:
    where = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise InputError("file not found", file=where) from e
    if not data.strip():
        raise InputError("empty file", file=where)
    if fmt == "xlsx":
        return _read_xlsx(data, where)
    text, used, notes = decode(data, encoding, where)
    if fmt == "jsonl":
        return _read_jsonl(text, where, used, notes)
    return _read_csv(text, where, used, notes)


def _read_csv(text: str, where: str, encoding: str, notes: list[str]) -> RawTable:
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    _check_header(header, where)
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise InputError(f"row has {len(values)} fields, the header has {len(header)}",
                             file=where, row=number)
        values = values + [""] * (len(header) - len(values))
        rows.append((number, dict(zip(header, values, strict=True))))
    return RawTable(header, rows, encoding, notes)


def _read_jsonl(text: str, where: str, encoding: str, notes: list[str]) -> RawTable:
    header: list[str] = []
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"not valid JSON: {e.msg}", file=where, row=number) from e
        if not isinstance(obj, dict):
            raise InputError("each line must be a JSON object", file=where, row=number)
        for key in obj:
            if key not in header:
                header.append(key)
        rows.append((number, {k: _cell_text(v) for k, v in obj.items()}))
    _check_header(header, where)
    rows = [(n, {h: r.get(h, "") for h in header}) for n, r in rows]
    return RawTable(header, rows, encoding, notes)


def _read_xlsx(data: bytes, where: str) -> RawTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises several unrelated types for a damaged file
        raise InputError(f"not a readable XLSX workbook ({type(e).__name__})", file=where) from e
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [_cell_text(h).strip() for h in next(values, ())]
    while header and not header[-1]:
        header.pop()
    _check_header(header, where)
    rows = []
    for number, cells in enumerate(values, start=2):
        texts = [_cell_text(c) for c in cells][: len(header)]
        if not any(t.strip() for t in texts):
            continue
        texts += [""] * (len(header) - len(texts))
        rows.append((number, dict(zip(header, texts, strict=True))))
    book.close()
    return RawTable(header, rows, "xlsx", [])


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _check_header(header: list[str], where: str) -> None:
    if not header or not any(header):
        raise InputError("no header row", file=where, row=1)
    blanks = [i + 1 for i, h in enumerate(header) if not h]
    if blanks:
        raise InputError(f"header column {blanks[0]} has no name", file=where, row=1)
    seen: set[str] = set()
    for h in header:
        if h in seen:
            raise InputError(f"header {h!r} appears twice", file=where, row=1, column=h)
        seen.add(h)
