"""The store's tables (SQLAlchemy Core). Rows are appended, never updated or deleted."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)

batches = Table(
    "import_batches", metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_hash", String(64), nullable=False),
    Column("format", String(20)),
    Column("encoding", String(20)),
    Column("calendar", String(20)),
    Column("mapping_json", Text),
    Column("n_rows", Integer, nullable=False),
    Column("user", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("source_id", "file_hash", name="uq_batch_source_file"),
)

CANONICAL_TEXT = (
    "full_name", "given_name", "family_name", "father_name", "sex", "date_text", "date_calendar",
    "date_precision", "date_start", "date_end", "province", "province_code", "city", "location",
    "event_type", "notes", "other_name",
)

records = Table(
    "records", metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False),
    Column("record_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("raw_json", Text, nullable=False),
    Column("raw_hash", String(64), nullable=False),
    Column("age", Integer),
    *(Column(name, Text) for name in CANONICAL_TEXT),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("source_id", "record_id", "version", name="uq_record_version"),
)

linkage_runs = Table(
    "linkage_runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("settings_json", Text, nullable=False),
    Column("data_hash", String(64), nullable=False),
    Column("user", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

people_links = Table(
    "people_links", metadata,
    Column("run_id", Integer, ForeignKey("linkage_runs.id"), primary_key=True),
    Column("record_uid", String(420), primary_key=True),
    Column("person_id", String(100), nullable=False),
)

match_decisions = Table(
    "match_decisions", metadata,
    Column("id", Integer, primary_key=True),
    Column("uid_a", String(420), nullable=False),
    Column("uid_b", String(420), nullable=False),
    Column("decision", String(20), nullable=False),
    Column("score", Float),
    Column("why", Text),
    Column("user", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

estimates = Table(
    "estimates", metadata,
    Column("id", Integer, primary_key=True),
    Column("result_json", Text, nullable=False),
    Column("settings_json", Text, nullable=False),
    Column("data_hash", String(64), nullable=False),
    Column("user", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("user", String(200), nullable=False),
    Column("action", String(100), nullable=False),
    Column("details_json", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
