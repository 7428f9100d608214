"""Example migration for the foundation's tests: a table and the idempotency keys.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from subgraphs.common.idempotency import create_idempotency_table, drop_idempotency_table

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "example_widgets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
    )
    create_idempotency_table(op)


def downgrade() -> None:
    drop_idempotency_table(op)
    op.drop_table("example_widgets")
