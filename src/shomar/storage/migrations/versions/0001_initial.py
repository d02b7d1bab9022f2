"""The first schema: sources, import batches, records, linkage runs, decisions, estimates, audit.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from shomar.storage.tables import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The first revision creates the tables as declared; later revisions alter them explicitly.
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
