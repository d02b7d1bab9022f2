"""The append-only store: workspaces, import batches, versions, linkage runs, decisions, audit chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from shomar.errors import ConfigError
from shomar.storage import DuplicateImport, init_workspace, open_workspace


@dataclass(frozen=True)
class _Record:
    row_number: int
    record_id: str
    raw: dict
    full_name: str
    age: int | None = None
    raw_hash: str = field(init=False, default="")

    def __post_init__(self) -> None:
        digest = hashlib.sha256(json.dumps(self.raw, sort_keys=True).encode()).hexdigest()
        object.__setattr__(self, "raw_hash", digest)


@dataclass(frozen=True)
class _Result:
    records: list
    file_hash: str
    file_path: str = "list.csv"
    format: str = "csv"
    encoding: str = "utf-8"
    calendar_used: str = "gregorian"
    column_map: dict = field(default_factory=dict)


def _result(names: dict[str, str], file_hash: str) -> _Result:
    records = [_Record(i + 2, rid, {"id": rid, "name": n}, n) for i, (rid, n) in enumerate(names.items())]
    return _Result(records, file_hash)


def test_init_refuses_an_existing_workspace_and_open_needs_one(tmp_path: Path) -> None:
    init_workspace(tmp_path / "ws")
    with pytest.raises(ConfigError, match="already a Shomar workspace"):
        init_workspace(tmp_path / "ws")
    with pytest.raises(ConfigError, match="shomar init"):
        open_workspace(tmp_path / "nothing")


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    with ws.store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_reimport_is_recognised_and_changed_rows_become_new_versions(tmp_path: Path) -> None:
    store = init_workspace(tmp_path / "ws").store
    first = store.import_records(_result({"1": "Ali", "2": "Reza"}, "h1"), source="a", user="u")
    assert (first.new_records, first.new_versions, first.unchanged) == (2, 0, 0)
    with pytest.raises(DuplicateImport):
        store.import_records(_result({"1": "Ali", "2": "Reza"}, "h1"), source="a", user="u")
    second = store.import_records(_result({"1": "Ali", "2": "Reza Z."}, "h2"), source="a", user="u")
    assert (second.new_records, second.new_versions, second.unchanged) == (0, 1, 1)
    frame = store.records_frame().set_index("record_uid")
    assert frame.loc["a/2", "full_name"] == "Reza Z." and frame.loc["a/2", "version"] == 2
    with store.engine.connect() as conn:  # the old version is still there: nothing overwritten
        assert conn.exec_driver_sql("SELECT count(*) FROM records").scalar() == 3
    assert [s.n_records for s in store.sources()] == [2]


def test_same_file_into_another_source_is_a_new_batch(tmp_path: Path) -> None:
    store = init_workspace(tmp_path / "ws").store
    store.import_records(_result({"1": "Ali"}, "h1"), source="a", user="u")
    store.import_records(_result({"1": "Ali"}, "h1"), source="b", user="u")
    assert sorted(store.records_frame()["record_uid"]) == ["a/1", "b/1"]


def test_linkage_runs_are_kept_and_the_latest_is_read(tmp_path: Path) -> None:
    store = init_workspace(tmp_path / "ws").store
    store.import_records(_result({"1": "Ali", "2": "Ali"}, "h1"), source="a", user="u")
    store.save_linkage(pd.DataFrame({"record_uid": ["a/1", "a/2"], "person_id": ["P1", "P2"]}),
                       settings={}, user="u")
    store.save_linkage(pd.DataFrame({"record_uid": ["a/1", "a/2"], "person_id": ["P1", "P1"]}),
                       settings={}, user="u")
    latest = store.latest_linkage()
    assert latest is not None and set(latest["person_id"]) == {"P1"}
    assert list(latest.columns) == ["record_uid", "source", "record_id", "person_id"]


def test_latest_decision_wins_and_undo_removes(tmp_path: Path) -> None:
    store = init_workspace(tmp_path / "ws").store
    store.add_match_decision("a/1", "b/1", "match", user="r")
    store.add_match_decision("b/1", "a/1", "non-match", user="r", why="different father")
    store.add_match_decision("a/2", "b/2", "match", user="r")
    store.add_match_decision("a/2", "b/2", "undo", user="r")
    decisions = store.match_decisions()
    assert decisions[["uid_a", "uid_b", "decision"]].values.tolist() == [["a/1", "b/1", "non-match"]]


def test_audit_chain_verifies_and_detects_tampering(tmp_path: Path) -> None:
    store = init_workspace(tmp_path / "ws").store
    store.import_records(_result({"1": "Ali"}, "h1"), source="a", user="u")
    store.add_match_decision("a/1", "a/2", "match", user="r")
    assert store.verify_audit_chain()
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_log SET user = 'mallory' WHERE id = 1")
    assert not store.verify_audit_chain()


def test_data_hash_changes_with_the_data(tmp_path: Path) -> None:
    store = init_workspace(tmp_path / "ws").store
    store.import_records(_result({"1": "Ali"}, "h1"), source="a", user="u")
    before = store.data_hash()
    store.import_records(_result({"1": "Ali", "2": "Reza"}, "h2"), source="a", user="u")
    assert store.data_hash() != before


def test_a_workspace_from_before_other_name_is_migrated(tmp_path: Path) -> None:
    # A records table as revision 0001 made it before the column existed: 0002 adds it.
    import sqlite3

    ws = tmp_path / "ws"
    init_workspace(ws)
    db = ws / "shomar.db"
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE records DROP COLUMN other_name")
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    store = open_workspace(ws).store
    assert "other_name" in store.records_frame().columns
    with sqlite3.connect(db) as conn:
        assert "other_name" in {row[1] for row in conn.execute("PRAGMA table_info(records)")}
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0002"
