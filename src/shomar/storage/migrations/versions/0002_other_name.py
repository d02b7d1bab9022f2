"""records.other_name: the same person's name written another way (e.g. in the other script).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0001 creates the tables as currently declared, so a workspace made after this revision
    # already has the column; one made before gets it here.
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("records")}
    if "other_name" not in columns:
        with op.batch_alter_table("records") as batch:
            batch.add_column(sa.Column("other_name", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("other_name")
