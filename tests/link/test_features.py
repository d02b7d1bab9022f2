"""Name columns put together from memoised words equal those computed name by name."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shomar.demo import render
from shomar.demo.people import generate_people
from shomar.link.features import name_fields
from shomar.link.in_parallel import PARALLEL_FROM, processes_for, share_out
from shomar.link.name_columns import NAME_COLUMNS, name_columns, record_name_columns
from tests.normalise.test_name_memo import EDGE_CASES

Name = tuple[str, str, str]


def _name_rows(names: list[Name]) -> list[tuple[object, ...]]:
    """``name_columns`` of each (full, given, family) as a row of NAME_COLUMNS, as Python values."""
    if not names:
        return []
    frame = name_columns(*(list(column) for column in zip(*names, strict=True)))
    columns = [[None if isinstance(v, float) and v != v else v for v in frame[c].tolist()] for c in NAME_COLUMNS]
    return list(zip(*columns, strict=True))


def _reference_rows(names: list[Name]) -> list[tuple[object, ...]]:
    return [tuple(fields[c] for c in NAME_COLUMNS) for fields in (name_fields(*n) for n in names)]


def _demo_records(n_people: int, seed: int) -> list[Name]:
    """(full, given, family) as the lists write them: full names only, parts only, or both;
    honorifics, typos, aliases in parentheses, Latin spellings."""
    rng = np.random.default_rng(seed)
    out: list[Name] = []
    for person in generate_people(n_people, rng):
        given_fa, family_fa = render.full_persian(person, rng)
        given_en, family_en = render.latin(person.given, rng), render.latin(person.family, rng)
        out += [(f"{given_fa} {family_fa}", given_fa, family_fa), (f"{given_fa} {family_fa}", "", ""),
                ("", given_fa, render.typo(family_fa, rng)), (f"{given_en} {family_en}", "", ""),
                (f"{given_en} ({render.latin(person.father, rng)}) {family_en}", given_en, ""),
                (f"{given_fa} {family_fa} ({render.typo(family_fa, rng)})", "", family_fa),
                (render.typo(f"{given_en} {family_en}", rng), given_en, family_en)]
    return out


def test_demo_records_get_the_same_name_columns() -> None:
    names = _demo_records(1000, seed=3)
    assert _name_rows(names) == _reference_rows(names)


def test_edge_cases_get_the_same_name_columns() -> None:
    names = [(t, "", "") for t in EDGE_CASES] + [("", t, "") for t in EDGE_CASES]
    names += [("", t, u) for t, u in zip(EDGE_CASES, reversed(EDGE_CASES), strict=True)]
    names += [(f"({t})", "", u) for t, u in pairwise(EDGE_CASES)]
    names += [(f"{t} {u}", u, t) for t, u in zip(EDGE_CASES, EDGE_CASES[3:], strict=False)]
    assert _name_rows(names) == _reference_rows(names)


TEXT = st.sampled_from(["", "علی", "Ali", "محمد رضا", "سید حسین", "(Reza)", "ناشناس", "M.", "زاده",
                        "Hasan (Ali", ")", "عبد", "Ali ()", "نیک پور", "\u200c", "Seyed"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(TEXT, max_size=4).map(" ".join), TEXT, TEXT), max_size=6))
def test_random_records_get_the_same_name_columns(names: list[Name]) -> None:
    assert _name_rows(names) == _reference_rows(names)


def test_name_columns_equal_a_frame_of_the_plain_definition() -> None:
    """Dtypes included: text columns as pandas infers them, all-missing ones as objects."""
    names = _demo_records(300, seed=8) + [(t, "", "") for t in EDGE_CASES] + [("()", "Ali", "Rezaei"),
                                                                               ("(Reza)", "", "")]
    names += names[:50]  # names met again
    frame = name_columns(*(list(column) for column in zip(*names, strict=True)))
    ids, distinct = pd.factorize(pd.Series(names, dtype=object))
    expected = pd.DataFrame(_reference_rows(list(distinct)), columns=NAME_COLUMNS).take(ids).reset_index(drop=True)
    pd.testing.assert_frame_equal(frame, expected)
    plain = [("Ali Rezaei", "", ""), ("علی رضایی", "علی", "")]
    frame = name_columns(*(list(column) for column in zip(*plain, strict=True)))
    expected = pd.DataFrame(_reference_rows(plain), columns=NAME_COLUMNS)
    pd.testing.assert_frame_equal(frame, expected)
    assert frame["honorific"].dtype == object


def test_text_columns_read_as_pandas_text_give_what_lists_give() -> None:
    """Arrow-backed text columns take the array paths, object columns the per-value ones."""
    from shomar.link.features import derive_features

    names = _demo_records(40, seed=4)
    n = len(names)
    records = pd.DataFrame({
        "record_uid": [f"l/{i}" for i in range(n)], "source": ["l", ""] * (n // 2) + ["l"] * (n % 2),
        "full_name": [f for f, _, _ in names], "given_name": [g or None for _, g, _ in names],
        "family_name": [f or None for _, _, f in names], "father_name": [None, "", "علی", "Ali"] * (n // 4) + [None] * (n % 4),
        "sex": [None] * n, "province_code": ["IR-01", "", None, "IR-02"] * (n // 4) + [None] * (n % 4),
        "date_start": ["2022-09-21", None, "2022-10", "1988"] * (n // 4) + [None] * (n % 4),
        "date_end": [None] * n, "date_precision": ["day", None, "month", "year"] * (n // 4) + [None] * (n % 4),
        "age": [30, None] * (n // 2) + [None] * (n % 2)})
    as_text = records.astype({c: "str" for c in records.columns if c != "age"})
    as_objects = records.astype({c: object for c in records.columns if c != "age"})
    pd.testing.assert_frame_equal(derive_features(as_text), derive_features(as_objects))
    assert derive_features(as_text)["sex"].dtype == object


def test_name_columns_do_not_depend_on_the_number_of_processes() -> None:
    """Records shared among forked processes by full name come back in their order, the same."""
    names = _demo_records(60, seed=5) + [(t, "", "") for t in EDGE_CASES] + [("", "", "")] * 3
    columns = [list(column) for column in zip(*names, strict=True)]
    alone = name_columns(*columns, processes=1)
    for processes in (2, 3):
        pd.testing.assert_frame_equal(name_columns(*columns, processes=processes), alone)
    as_text = [pd.Series(c, dtype="str") for c in columns]
    pd.testing.assert_frame_equal(name_columns(*as_text, processes=2), name_columns(*as_text, processes=1))


def _fails_in_a_child(parent: int) -> Callable[..., dict[str, object]]:
    def derive(*texts: list[str]) -> dict[str, object]:
        if os.getpid() != parent:
            os._exit(3)  # as if killed for memory
        return record_name_columns(*texts)
    return derive


def test_records_of_a_failed_child_are_derived_in_the_parent() -> None:
    names = _demo_records(20, seed=6)
    columns = tuple(list(column) for column in zip(*names, strict=True))
    shared = share_out(_fails_in_a_child(os.getpid()), columns, 2).collect()
    alone = record_name_columns(*columns)
    assert shared.keys() == alone.keys()
    for name, values in alone.items():
        assert list(shared[name]) == list(values), name


def test_few_records_are_not_shared_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    assert processes_for(PARALLEL_FROM - 1) == 1
    if sys.platform.startswith("linux"):
        assert processes_for(PARALLEL_FROM) == 4
    monkeypatch.setenv("SHOMAR_PROCESSES", "1")
    assert processes_for(10 * PARALLEL_FROM) == 1


def test_records_are_derived_in_the_parent_when_no_process_can_be_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing.context

    def refuse(_self: object) -> None:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refuse)
    names = _demo_records(20, seed=7)
    columns = [list(column) for column in zip(*names, strict=True)]
    pd.testing.assert_frame_equal(name_columns(*columns, processes=3), name_columns(*columns, processes=1))


def test_processes_fork_while_another_thread_holds_a_lock() -> None:
    """As under the command line's spinner: the children need nothing that thread holds."""
    held, release = threading.Lock(), threading.Event()

    def hold() -> None:
        with held:
            release.wait(30)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        names = _demo_records(20, seed=9)
        columns = [list(column) for column in zip(*names, strict=True)]
        pd.testing.assert_frame_equal(name_columns(*columns, processes=2), name_columns(*columns, processes=1))
    finally:
        release.set()
        thread.join()


def test_meanwhile_is_called_once_after_the_children_are_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    import shomar.link.in_parallel as in_parallel

    names = _demo_records(20, seed=10)
    columns = [list(column) for column in zip(*names, strict=True)]
    events: list[str] = []
    fork = in_parallel._started

    def forked(*args: object) -> object:
        events.append("fork")
        return fork(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(in_parallel, "_started", forked)
    parent = os.getpid()
    shared = name_columns(*columns, processes=3, meanwhile=lambda: events.append(f"meanwhile in {os.getpid()}"))
    assert events == ["fork", "fork", f"meanwhile in {parent}"]
    pd.testing.assert_frame_equal(shared, name_columns(*columns, processes=1))
    name_columns(*columns, processes=1, meanwhile=lambda: events.append("alone"))
    assert events[3:] == ["alone"]
