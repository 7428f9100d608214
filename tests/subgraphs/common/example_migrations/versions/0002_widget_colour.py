"""Example migration: alter a table (batch mode on SQLite).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("example_widgets") as batch:
        batch.add_column(sa.Column("colour", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("example_widgets") as batch:
        batch.drop_column("colour")
