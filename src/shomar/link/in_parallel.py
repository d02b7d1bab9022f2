"""Deriving the name columns of many records in several processes.

The names' keys are Python text work, one core's worth, while every later step runs on all cores
in DuckDB: at a million records it was half of the linkage time on two cores. The records are
shared out by their full name (each distinct name goes to one process, so nothing is worked out
twice but common given and family names), each process derives its records' columns with the same
function, and the columns are put back in the records' order. The result does not depend on the
number of processes (tests/link/test_features.py).

Child processes are forked, so they start at once with the records already in memory (only on
Linux). A lock another thread holds at the fork stays held in the child, so a child touches
nothing such a thread could hold: it runs the name code, pickles its columns into its pipe and
leaves by ``os._exit``, without the flushing of standard streams or exit handlers a normal exit
runs (the command line's spinner is such a thread, writing to the terminal). Arrow's thread pool
restarts itself after a fork; glibc's allocator is made consistent by its own fork handlers.
``SHOMAR_PROCESSES`` caps the number (1: never fork).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

# Below this many records a fork and the columns' trip back cost more than they save.
PARALLEL_FROM = 100_000
MAX_PROCESSES = 8

Columns = dict[str, Any]


def processes_for(records: int) -> int:
    """How many processes derive the columns of this many records."""
    if (records < PARALLEL_FROM or not sys.platform.startswith("linux")
            or multiprocessing.current_process().daemon):  # a daemon process may not have children
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - Linux always has it
        cores = os.cpu_count() or 1
    cap = os.environ.get("SHOMAR_PROCESSES", "").strip()
    limit = int(cap) if cap.isdigit() and int(cap) > 0 else MAX_PROCESSES
    return max(1, min(cores, limit))


def share_out(derive: Callable[..., Columns], texts: tuple[Any, ...], processes: int, *,
              codes: np.ndarray | None = None, sorted_by: np.ndarray | None = None,
              meanwhile: Callable[[], None] | None = None) -> Shared:
    """``derive(*texts)`` begun in ``processes`` processes, this one's share done when it returns:
    ``collect`` gives the columns once the other processes are done (this process can do other
    work meanwhile).

    The records of one ``codes`` value (by default, of one first text) go to one process. They are
    laid out by ``sorted_by`` (per record) and then by code, and cut into runs of about as many
    records each, one per process: records alike in ``sorted_by`` share words, each worked out once
    per process that meets it. ``derive`` gives one entry per record in each column, as Arrow
    arrays or numpy arrays. A child that fails (killed for memory, say) has its records derived
    here instead. ``meanwhile`` is called once the children are forked, before this process
    derives its share: a thread it starts runs beside them and is never forked.
    """
    if codes is None:
        codes = pd.factorize(pd.Series(texts[0]) if not isinstance(texts[0], pd.Series) else texts[0])[0]
    shared = Shared(derive, texts, _runs(codes, sorted_by, processes))
    context = multiprocessing.get_context("fork")
    try:
        for rows in shared.groups[1:]:
            shared.children.append(_started(context, derive, texts, rows))
        if meanwhile is not None:
            meanwhile()
        shared.parts.append(derive(*_subsets(texts, shared.groups[0])))
    except BaseException:
        shared.close()
        raise
    return shared


def _runs(codes: np.ndarray, sorted_by: np.ndarray | None, processes: int) -> list[np.ndarray]:
    """The records' positions cut into at most ``processes`` runs (see ``share_out``), none empty,
    each in increasing order."""
    order = np.lexsort((codes,) if sorted_by is None else (codes, sorted_by))
    laid_out = codes[order]
    starts = np.flatnonzero(np.r_[True, laid_out[1:] != laid_out[:-1]])  # where each code's records begin
    # Each cut at the first code beginning at or after an equal share of the records.
    at = np.searchsorted(starts, np.arange(1, processes) * len(codes) / processes)
    return [np.sort(run) for run in np.split(order, np.unique(starts[at[at < len(starts)]])) if len(run)]


class Shared:
    """Columns derived in several processes: this one's share, and the children still at theirs."""

    def __init__(self, derive: Callable[..., Columns], texts: tuple[Any, ...], groups: list[np.ndarray]) -> None:
        self.derive, self.texts, self.groups = derive, texts, groups
        self.children: list[tuple[Any, Any] | None] = []
        self.parts: list[Columns] = []

    def collect(self) -> Columns:
        """The columns of all the records, in their order."""
        try:
            for started, rows in zip(self.children, self.groups[1:], strict=True):
                received = _received(started[1]) if started is not None else None
                self.parts.append(received or self.derive(*_subsets(self.texts, rows)))
                if started is not None:
                    started[0].join()
        finally:
            self.close()
        order = np.concatenate(self.groups)
        back = np.empty(len(order), dtype=np.int64)
        back[order] = np.arange(len(order))
        return {name: _joined([part[name] for part in self.parts], back) for name in self.parts[0]}

    def close(self) -> None:
        for started in self.children:
            if started is not None:
                started[1].close()
                if started[0].is_alive():
                    started[0].terminate()


def _subsets(texts: tuple[Any, ...], rows: np.ndarray) -> tuple[Any, ...]:
    return tuple(t.iloc[rows].reset_index(drop=True) if isinstance(t, pd.Series) else [t[i] for i in rows.tolist()]
                 for t in texts)


def _started(context: Any, derive: Callable[..., Columns], texts: tuple[Any, ...], rows: np.ndarray,
             ) -> tuple[Any, Any] | None:
    """A forked child deriving the ``rows`` of ``texts`` (taken out there, not here) and the end
    of the pipe its columns come back on, or None when no process can be forked (out of memory,
    process limit): the parent derives them."""
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_derive_in_child, args=(send, derive, texts, rows), daemon=True)
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns at any fork of a process with threads; see the module docstring.
            warnings.simplefilter("ignore", DeprecationWarning)
            child.start()
    except OSError:
        receive.close()
        return None
    finally:
        send.close()
    return child, receive


def _derive_in_child(send: Any, derive: Callable[..., Columns], texts: tuple[Any, ...], rows: np.ndarray) -> None:
    # A failure here is left to the parent, which derives these records itself and so raises
    # the same error where the user sees it.
    code = 1
    try:
        send.send_bytes(pickle.dumps(derive(*_subsets(texts, rows)), protocol=pickle.HIGHEST_PROTOCOL))
        code = 0
    except BaseException:
        pass
    finally:
        send.close()
        os._exit(code)  # see the module docstring: no stream flushing, no exit handlers


def _received(receive: Any) -> Columns | None:
    try:
        return pickle.loads(receive.recv_bytes())  # type: ignore[no-any-return]
    except (EOFError, OSError):
        return None


def _joined(parts: Sequence[Any], back: np.ndarray) -> Any:
    if isinstance(parts[0], np.ndarray):
        return np.concatenate(parts)[back]
    return pa.concat_arrays(parts).take(pa.array(back, pa.int64()))
