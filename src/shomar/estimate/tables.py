"""Capture tables: how many people were seen on each combination of lists.

A capture table for J lists has one row per observed capture pattern (a 0/1 vector of length J,
never all zero) and a count. Optional strata columns split the table into independent tables.
Pattern ``p`` has cell index ``sum(p[j] << (J - 1 - j))``: list 1 is the most significant bit,
as in dga's ``make.strata``; index 0 is the unobserved cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from shomar.errors import InputError

COUNT_COLUMN = "count"


@dataclass(frozen=True)
class CaptureTable:
    """Counts of people by capture pattern, for one stratum or several.

    ``patterns`` is an (n_rows, J) uint8 array, ``counts`` an (n_rows,) int64 array. With strata,
    ``strata`` holds one tuple of stratum values per row; rows of different strata may repeat a
    pattern. Build it with the ``from_*`` constructors, which validate.
    """

    list_names: tuple[str, ...]
    patterns: np.ndarray
    counts: np.ndarray
    strata_names: tuple[str, ...] = ()
    strata: tuple[tuple[str, ...], ...] = field(default=())

    # construction -------------------------------------------------------------------------
    @classmethod
    def from_arrays(
        cls,
        patterns: Any,
        counts: Any,
        list_names: Sequence[str] | None = None,
        *,
        strata_names: Sequence[str] = (),
        strata: Sequence[Sequence[str]] | None = None,
        source: str | None = None,
    ) -> CaptureTable:
        """Validate and build a table from a pattern matrix and counts (any array-likes)."""
        pat = np.asarray(patterns)
        cnt = np.asarray(counts)
        if pat.ndim != 2:
            raise InputError("patterns must be a 2-D array (rows x lists)", file=source)
        n_lists = pat.shape[1]
        names = tuple(list_names) if list_names is not None else tuple(
            f"L{j + 1}" for j in range(n_lists)
        )
        if len(names) != n_lists:
            raise InputError(f"{len(names)} list names for {n_lists} lists", file=source)
        if n_lists < 2:
            raise InputError(
                f"a capture table needs at least 2 lists, found {n_lists}", file=source
            )
        if len(set(names)) != len(names):
            raise InputError(f"list names repeat: {', '.join(names)}", file=source)
        if cnt.shape != (pat.shape[0],):
            raise InputError("one count is needed per pattern row", file=source)
        for i, row in enumerate(pat):
            for j, value in enumerate(row):
                if value not in (0, 1):
                    raise InputError(
                        f"capture indicator must be 0 or 1, found {value!r}",
                        file=source, row=i + 2, column=names[j],
                    )
            if not row.any():
                raise InputError(
                    "all-zero capture pattern: people seen on no list cannot be counted",
                    file=source, row=i + 2,
                )
        for i, value in enumerate(cnt):
            if not float(value).is_integer() or value < 0:
                raise InputError(
                    f"count must be a non-negative integer, found {value!r}",
                    file=source, row=i + 2, column=COUNT_COLUMN,
                )
        strata_t: tuple[tuple[str, ...], ...] = ()
        if strata_names:
            if strata is None or len(strata) != pat.shape[0]:
                raise InputError("one stratum value tuple is needed per row", file=source)
            strata_t = tuple(tuple(str(v) for v in s) for s in strata)
        return cls(
            list_names=names,
            patterns=pat.astype(np.uint8),
            counts=cnt.astype(np.int64),
            strata_names=tuple(strata_names),
            strata=strata_t,
        )

    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        *,
        strata: Sequence[str] = (),
        lists: Sequence[str] | None = None,
    ) -> CaptureTable:
        """Read an aggregated table (0/1 list columns + ``count``) or per-person 0/1 rows.

        Without a ``count`` column every row is one person. Columns named in ``strata`` are
        stratum labels; every other column is a list unless ``lists`` names them.
        """
        path = Path(path)
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle)
                header = next(reader, None)
                rows = list(reader)
        except FileNotFoundError as e:
            raise InputError("file not found", file=str(path)) from e
        except UnicodeDecodeError as e:
            raise InputError("not UTF-8 text", file=str(path)) from e
        if not header:
            raise InputError("empty file", file=str(path))
        header = [h.strip() for h in header]
        return cls.from_rows(header, rows, strata=strata, lists=lists, source=str(path))

    @classmethod
    def from_rows(
        cls,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        strata: Sequence[str] = (),
        lists: Sequence[str] | None = None,
        source: str | None = None,
    ) -> CaptureTable:
        """Build from a header and raw rows (strings or numbers), aggregating duplicates."""
        header = list(header)
        for name in strata:
            if name not in header:
                raise InputError(f"stratum column {name!r} not found", file=source, column=name)
        has_count = COUNT_COLUMN in header
        list_cols = list(lists) if lists is not None else [
            h for h in header if h != COUNT_COLUMN and h not in strata
        ]
        for name in list_cols:
            if name not in header:
                raise InputError(f"list column {name!r} not found", file=source, column=name)
        idx = [header.index(h) for h in list_cols]
        sidx = [header.index(h) for h in strata]
        cidx = header.index(COUNT_COLUMN) if has_count else None
        agg: dict[tuple[tuple[str, ...], tuple[int, ...]], int] = {}
        order: list[tuple[tuple[str, ...], tuple[int, ...]]] = []
        for r, row in enumerate(rows, start=2):
            if not any(str(v).strip() for v in row):
                continue
            if len(row) < len(header):
                raise InputError(
                    f"row has {len(row)} fields, header has {len(header)}", file=source, row=r
                )
            pattern = tuple(_indicator(row[i], source, r, h) for i, h in zip(idx, list_cols, strict=True))
            if not any(pattern):
                raise InputError(
                    "all-zero capture pattern: people seen on no list cannot be counted",
                    file=source, row=r,
                )
            count = _count(row[cidx], source, r) if cidx is not None else 1
            key = (tuple(str(row[i]).strip() for i in sidx), pattern)
            if key not in agg:
                order.append(key)
                agg[key] = 0
            agg[key] += count
        if not order:
            raise InputError("no data rows", file=source)
        keys = [k for k in order if agg[k] > 0] or order
        return cls.from_arrays(
            [k[1] for k in keys],
            [agg[k] for k in keys],
            list_cols,
            strata_names=tuple(strata),
            strata=[k[0] for k in keys] if strata else None,
            source=source,
        )

    @classmethod
    def from_cells(cls, cells: Any, list_names: Sequence[str] | None = None) -> CaptureTable:
        """Build from a length-2^J vector of counts indexed by cell (index 0 ignored)."""
        cells = np.asarray(cells)
        n_lists = round(float(np.log2(cells.shape[0])))
        if 2**n_lists != cells.shape[0]:
            raise InputError("cell vector length must be a power of two")
        idx = np.arange(1, cells.shape[0])
        pats = ((idx[:, None] >> np.arange(n_lists - 1, -1, -1)) & 1).astype(np.uint8)
        keep = cells[1:] > 0
        return cls.from_arrays(pats[keep], cells[1:][keep], list_names)

    @classmethod
    def from_mapping(cls, counts: Mapping[str, int], list_names: Sequence[str]) -> CaptureTable:
        """Build from ``{"110": 6, "100": 40}``-style pattern strings."""
        pats = [[int(c) for c in key] for key in counts]
        return cls.from_arrays(pats, list(counts.values()), list_names)

    # views ---------------------------------------------------------------------------------
    @property
    def n_lists(self) -> int:
        return len(self.list_names)

    @property
    def n_observed(self) -> int:
        """People seen on at least one list."""
        return int(self.counts.sum())

    @property
    def is_stratified(self) -> bool:
        return bool(self.strata_names)

    def cells(self) -> np.ndarray:
        """Counts as a length-2^J vector indexed by cell; strata are summed; cell 0 is 0."""
        out = np.zeros(2**self.n_lists, dtype=np.int64)
        np.add.at(out, self.cell_index(), self.counts)
        return out

    def cell_index(self) -> np.ndarray:
        """Cell index of each row's pattern."""
        weights = 1 << np.arange(self.n_lists - 1, -1, -1)
        return (self.patterns.astype(np.int64) * weights).sum(axis=1)

    def collapse(self) -> CaptureTable:
        """One table over all strata, one row per distinct observed pattern."""
        cells = self.cells()
        return CaptureTable.from_cells(cells, self.list_names)

    def split(self) -> dict[tuple[str, ...], CaptureTable]:
        """One table per stratum, in order of first appearance; unstratified gives ``{(): self}``."""
        if not self.is_stratified:
            return {(): self}
        groups: dict[tuple[str, ...], list[int]] = {}
        for i, key in enumerate(self.strata):
            groups.setdefault(key, []).append(i)
        return {
            key: CaptureTable(self.list_names, self.patterns[rows], self.counts[rows])
            for key, rows in groups.items()
        }

    def list_sizes(self) -> dict[str, int]:
        """People on each list."""
        return {
            name: int(self.counts[self.patterns[:, j] == 1].sum())
            for j, name in enumerate(self.list_names)
        }

    def reorder(self, order: Sequence[int]) -> CaptureTable:
        """The same table with lists permuted (``order[k]`` is the old index of new list k)."""
        order = list(order)
        return CaptureTable(
            tuple(self.list_names[j] for j in order),
            self.patterns[:, order],
            self.counts,
            self.strata_names,
            self.strata,
        )

    def to_rows(self) -> list[dict[str, Any]]:
        rows = []
        for i in range(len(self.counts)):
            row: dict[str, Any] = dict(zip(self.strata_names, self.strata[i], strict=True)) if self.strata else {}
            row.update({n: int(v) for n, v in zip(self.list_names, self.patterns[i], strict=True)})
            row[COUNT_COLUMN] = int(self.counts[i])
            rows.append(row)
        return rows

    def to_csv(self, path: str | Path) -> None:
        rows = self.to_rows()
        fields = [*self.strata_names, *self.list_names, COUNT_COLUMN]
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.to_rows())


def _indicator(value: Any, source: str | None, row: int, column: str) -> int:
    text = str(value).strip()
    if text in ("0", "1", "0.0", "1.0"):
        return int(float(text))
    raise InputError(f"capture indicator must be 0 or 1, found {text!r}",
                     file=source, row=row, column=column)


def _count(value: Any, source: str | None, row: int) -> int:
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if number < 0 or not number.is_integer():
        raise InputError(f"count must be a non-negative integer, found {text!r}",
                         file=source, row=row, column=COUNT_COLUMN)
    return int(number)
