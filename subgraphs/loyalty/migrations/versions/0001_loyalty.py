"""The loyalty tables: accounts (lock row, lifetime earned) and the append-only ledger.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loyalty_accounts",
        sa.Column("member_id", sa.String(64), primary_key=True),
        sa.Column("lifetime_earned", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("lifetime_earned >= 0", name="ck_loyalty_accounts_lifetime"),
    )
    op.create_table(
        "loyalty_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("brand", sa.String(32), nullable=False),
        sa.Column("delta", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("member_id", "idempotency_key", name="uq_loyalty_entries_key"),
        sa.CheckConstraint("delta <> 0", name="ck_loyalty_entries_delta"),
    )


def downgrade() -> None:
    op.drop_table("loyalty_entries")
    op.drop_table("loyalty_accounts")
