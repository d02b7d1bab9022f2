"""Work run in a thread beside other work.

DuckDB runs its queries without holding the GIL, so a thread that spends its time in DuckDB
(estimating u, the EM cross-check) uses the cores that Python work or a single-threaded step
leaves idle. A thread is only ever started after the processes that derive keys are forked
(``shomar.link.in_parallel``), so none is copied into a child mid-query.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Beside:
    """``work(*args)`` run in a thread from ``start`` on; ``result`` waits for it and gives its
    value or raises its error (and runs it there and then if it was never started)."""

    def __init__(self, work: Callable[..., Any], *args: Any) -> None:
        self._work, self._args = work, args
        self._thread: threading.Thread | None = None
        self._done: tuple[Any, BaseException | None] | None = None

    def start(self) -> None:
        if self._thread is None and self._done is None:
            self._thread = threading.Thread(target=self._run, name="shomar-beside", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._done = (self._work(*self._args), None)
        except BaseException as e:  # given to whoever asks for the result
            self._done = (None, e)

    def wait(self) -> None:
        """Wait for the work if it was started, and leave its result or error unread."""
        if self._thread is not None:
            self._thread.join()

    def result(self) -> Any:
        if self._thread is None and self._done is None:
            self._run()
        self.wait()
        assert self._done is not None
        value, error = self._done
        if error is not None:
            raise error
        return value
