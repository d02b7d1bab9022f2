"""The records store: append-only, one transaction per write, every write in a hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, func, insert, select

from shomar.errors import ShomarError
from shomar.storage import tables as t

if TYPE_CHECKING:
    import pandas as pd

GENESIS = "0" * 64


class DuplicateImport(ShomarError):
    """The same file (by content hash) was already imported into this source: nothing to do."""

    exit_code = 0


@dataclass(frozen=True)
class ImportSummary:
    source: str
    batch_id: int
    rows_read: int
    new_records: int
    new_versions: int
    unchanged: int


@dataclass(frozen=True)
class SourceInfo:
    name: str
    n_records: int
    n_batches: int


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Store:
    """All reads and writes of a workspace's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- audit ------------------------------------------------------------------------------
    def _audit(self, conn: Connection, user: str, action: str, details: dict[str, Any]) -> None:
        prev = conn.execute(select(t.audit_log.c.hash).order_by(t.audit_log.c.id.desc()).limit(1))
        prev_hash = prev.scalar() or GENESIS
        at = _now()
        body = json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
        digest = _chain_hash(prev_hash, user, action, body, at)
        conn.execute(insert(t.audit_log).values(
            user=user, action=action, details_json=body, created_at=at, prev_hash=prev_hash, hash=digest,
        ))

    def audit_log(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.audit_log).order_by(t.audit_log.c.id)).mappings().all()
        return [dict(r) | {"details": json.loads(r["details_json"])} for r in rows]

    def verify_audit_chain(self) -> bool:
        """True when every entry's hash matches its content and the previous entry's hash."""
        prev = GENESIS
        for entry in self.audit_log():
            expected = _chain_hash(prev, entry["user"], entry["action"], entry["details_json"],
                                   entry["created_at"])
            if entry["prev_hash"] != prev or entry["hash"] != expected:
                return False
            prev = entry["hash"]
        return True

    # --- import -----------------------------------------------------------------------------
    def import_records(self, result: Any, *, source: str, user: str) -> ImportSummary:
        """Append one file's records as a batch, in one transaction (all or nothing).

        A record whose (source, record_id) exists with a different raw row becomes a new
        version; an identical row is counted as unchanged and not stored again.
        """
        with self.engine.begin() as conn:
            source_id = self._source_id(conn, source)
            seen = conn.execute(select(t.batches.c.id).where(
                t.batches.c.source_id == source_id, t.batches.c.file_hash == result.file_hash,
            )).scalar()
            if seen is not None:
                raise DuplicateImport(
                    f"{result.file_path}: this file was already imported into source {source!r} "
                    f"(batch {seen}); nothing was added"
                )
            now = _now()
            batch_id = _new_id(conn.execute(insert(t.batches).values(
                source_id=source_id, file_name=str(result.file_path), file_hash=result.file_hash,
                format=result.format, encoding=result.encoding, calendar=result.calendar_used,
                mapping_json=json.dumps(result.column_map, ensure_ascii=False),
                n_rows=len(result.records), user=user, created_at=now,
            )))
            latest = self._latest_versions(conn, source_id)
            rows, counts = _new_rows(result.records, latest, source_id, batch_id, now)
            if rows:
                conn.execute(insert(t.records), rows)
            summary = ImportSummary(source, int(batch_id), len(result.records), *counts)
            self._audit(conn, user, "import", {
                "source": source, "file": str(result.file_path), "file_hash": result.file_hash,
                "batch": int(batch_id), "new": counts[0], "new_versions": counts[1],
                "unchanged": counts[2],
            })
        return summary

    def _source_id(self, conn: Connection, name: str) -> int:
        found = conn.execute(select(t.sources.c.id).where(t.sources.c.name == name)).scalar()
        if found is not None:
            return int(found)
        return _new_id(conn.execute(insert(t.sources).values(name=name, created_at=_now())))

    def _latest_versions(self, conn: Connection, source_id: int) -> dict[str, tuple[int, str]]:
        q = select(t.records.c.record_id, t.records.c.version, t.records.c.raw_hash).where(
            t.records.c.source_id == source_id)
        latest: dict[str, tuple[int, str]] = {}
        for record_id, version, raw_hash in conn.execute(q):
            if record_id not in latest or version > latest[record_id][0]:
                latest[record_id] = (version, raw_hash)
        return latest

    # --- reads ------------------------------------------------------------------------------
    def sources(self) -> list[SourceInfo]:
        """Every source in the order it was first imported."""
        with self.engine.connect() as conn:
            names = conn.execute(select(t.sources.c.id, t.sources.c.name).order_by(t.sources.c.id)).all()
            out = []
            for source_id, name in names:
                n_batches = conn.execute(select(func.count()).select_from(t.batches).where(
                    t.batches.c.source_id == source_id)).scalar()
                n_records = conn.execute(select(func.count(func.distinct(t.records.c.record_id)))
                                         .where(t.records.c.source_id == source_id)).scalar()
                out.append(SourceInfo(name, int(n_records or 0), int(n_batches or 0)))
        return out

    def records_frame(self) -> pd.DataFrame:
        """The current version of every record, one row each, with ``record_uid`` = source/record_id."""
        import pandas as pd

        latest = (select(t.records.c.source_id, t.records.c.record_id,
                         func.max(t.records.c.version).label("version"))
                  .group_by(t.records.c.source_id, t.records.c.record_id).subquery())
        q = (select(t.sources.c.name.label("source"), t.records)
             .join(t.sources, t.sources.c.id == t.records.c.source_id)
             .join(latest, (latest.c.source_id == t.records.c.source_id)
                   & (latest.c.record_id == t.records.c.record_id)
                   & (latest.c.version == t.records.c.version))
             .order_by(t.records.c.source_id, t.records.c.id))
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(q).mappings().all())
        columns = ["record_uid", "source", "record_id", "version", "row_number", "age",
                   *t.CANONICAL_TEXT, "raw"]
        if frame.empty:
            return pd.DataFrame(columns=columns)
        frame["record_uid"] = frame["source"] + "/" + frame["record_id"]
        frame["raw"] = frame["raw_json"]
        frame["age"] = frame["age"].astype("Int64")
        return frame[columns].reset_index(drop=True)

    def data_hash(self) -> str:
        """A hash of the current records, so an estimate can say which data it was made from."""
        frame = self.records_frame()
        digest = hashlib.sha256()
        for uid, version, raw in sorted(zip(frame["record_uid"], frame["version"], frame["raw"],
                                            strict=True)):
            digest.update(f"{uid}\x1f{version}\x1f{raw}\x1e".encode())
        return digest.hexdigest()

    # --- linkage ----------------------------------------------------------------------------
    def save_linkage(self, assignments: pd.DataFrame, *, settings: dict[str, Any], user: str) -> int:
        """Store a new linkage run (older runs are kept) and return its id."""
        data_hash = self.data_hash()
        with self.engine.begin() as conn:
            run_id = _new_id(conn.execute(insert(t.linkage_runs).values(
                settings_json=json.dumps(settings, ensure_ascii=False, sort_keys=True, default=str),
                data_hash=data_hash, user=user, created_at=_now(),
            )))
            rows = [{"run_id": run_id, "record_uid": str(u), "person_id": str(p)}
                    for u, p in zip(assignments["record_uid"], assignments["person_id"], strict=True)]
            if rows:
                conn.execute(insert(t.people_links), rows)
            self._audit(conn, user, "link", {"run": run_id, "records": len(rows),
                                             "people": int(assignments["person_id"].nunique()),
                                             "data_hash": data_hash})
        return run_id

    def latest_linkage(self) -> pd.DataFrame | None:
        """``record_uid, source, record_id, person_id`` of the latest run, or None before any."""
        import pandas as pd

        with self.engine.connect() as conn:
            run_id = conn.execute(select(func.max(t.linkage_runs.c.id))).scalar()
            if run_id is None:
                return None
            rows = conn.execute(select(t.people_links.c.record_uid, t.people_links.c.person_id)
                                .where(t.people_links.c.run_id == run_id)).all()
        frame = pd.DataFrame(rows, columns=["record_uid", "person_id"])
        parts = frame["record_uid"].str.split("/", n=1, expand=True)
        frame.insert(1, "source", parts[0])
        frame.insert(2, "record_id", parts[1])
        return frame

    def add_match_decision(self, uid_a: str, uid_b: str, decision: str, *, user: str,
                           why: str | None = None, score: float | None = None) -> None:
        """Append a reviewer's decision on a pair; the latest decision on a pair wins."""
        if decision not in ("match", "non-match", "unsure", "undo"):
            raise ShomarError(f"unknown decision {decision!r}: use match, non-match, unsure or undo")
        uid_a, uid_b = sorted((uid_a, uid_b))
        with self.engine.begin() as conn:
            conn.execute(insert(t.match_decisions).values(
                uid_a=uid_a, uid_b=uid_b, decision=decision, score=score, why=why, user=user,
                created_at=_now()))
            self._audit(conn, user, "decision", {"pair": [uid_a, uid_b], "decision": decision,
                                                 "why": why})

    def match_decisions(self) -> pd.DataFrame:
        """The latest decision per pair (``undo`` removes the pair), with who/when/why."""
        import pandas as pd

        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(select(t.match_decisions)
                                              .order_by(t.match_decisions.c.id)).mappings().all())
        if frame.empty:
            return pd.DataFrame(columns=["uid_a", "uid_b", "decision", "score", "why", "user",
                                         "created_at"])
        frame = frame.drop_duplicates(["uid_a", "uid_b"], keep="last")
        return frame[frame["decision"] != "undo"].drop(columns="id").reset_index(drop=True)

    # --- estimates --------------------------------------------------------------------------
    def save_estimate(self, result_dict: dict[str, Any], *, settings: dict[str, Any],
                      data_hash: str, user: str) -> int:
        with self.engine.begin() as conn:
            estimate_id = _new_id(conn.execute(insert(t.estimates).values(
                result_json=json.dumps(result_dict, ensure_ascii=False, default=str),
                settings_json=json.dumps(settings, ensure_ascii=False, default=str),
                data_hash=data_hash, user=user, created_at=_now())))
            self._audit(conn, user, "estimate", {"estimate": estimate_id, "data_hash": data_hash,
                                                 "method": result_dict.get("method")})
        return estimate_id

    def estimates(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.estimates).order_by(t.estimates.c.id)).mappings().all()
        return [{"id": r["id"], "result": json.loads(r["result_json"]),
                 "settings": json.loads(r["settings_json"]), "data_hash": r["data_hash"],
                 "user": r["user"], "created_at": str(r["created_at"])} for r in rows]


def _new_id(result: Any) -> int:
    """The primary key of the row an INSERT just created."""
    return int(result.inserted_primary_key[0])


def _chain_hash(prev_hash: str, user: str, action: str, body: str, at: Any) -> str:
    text = "\x1f".join([prev_hash, user, action, body, str(at)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _new_rows(records: Any, latest: dict[str, tuple[int, str]], source_id: int, batch_id: int,
              now: datetime) -> tuple[list[dict[str, Any]], tuple[int, int, int]]:
    rows: list[dict[str, Any]] = []
    new = versions = unchanged = 0
    for rec in records:
        previous = latest.get(rec.record_id)
        if previous is not None and previous[1] == rec.raw_hash:
            unchanged += 1
            continue
        version = 1 if previous is None else previous[0] + 1
        new, versions = (new + 1, versions) if previous is None else (new, versions + 1)
        latest[rec.record_id] = (version, rec.raw_hash)
        row: dict[str, Any] = {name: _text(getattr(rec, name, None)) for name in t.CANONICAL_TEXT}
        row.update(source_id=source_id, batch_id=batch_id, record_id=str(rec.record_id),
                   version=version, row_number=int(rec.row_number),
                   raw_json=json.dumps(rec.raw, ensure_ascii=False), raw_hash=rec.raw_hash,
                   age=rec.age, created_at=now)
        rows.append(row)
    return rows, (new, versions, unchanged)


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
