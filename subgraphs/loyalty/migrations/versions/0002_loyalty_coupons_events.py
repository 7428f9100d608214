"""Order earnings, cross-brand coupons, and the event tables (outbox, processed events).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from subgraphs.common.events import create_event_tables, drop_event_tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loyalty_order_earnings",
        sa.Column("order_id", sa.String(64), primary_key=True),
        sa.Column("brand", sa.String(32), primary_key=True),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("amount_fen", sa.Integer, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("amount_fen >= 0", name="ck_loyalty_order_earnings_amount"),
        sa.CheckConstraint("points >= 0", name="ck_loyalty_order_earnings_points"),
    )
    op.create_index("ix_loyalty_order_earnings_member_id", "loyalty_order_earnings", ["member_id"])
    op.create_table(
        "loyalty_coupons",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("issued_brand", sa.String(32), nullable=False),
        sa.Column("redeemable_brand", sa.String(32), nullable=False),
        sa.Column("value_fen", sa.Integer, nullable=False),
        sa.Column("min_spend_fen", sa.Integer, nullable=False, server_default="0"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reserved_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_id", sa.String(64), nullable=True),
        sa.UniqueConstraint("member_id", "rule_id", name="uq_loyalty_coupons_rule"),
        sa.CheckConstraint("value_fen > 0", name="ck_loyalty_coupons_value"),
        sa.CheckConstraint(
            "status IN ('AVAILABLE', 'RESERVED', 'REDEEMED')", name="ck_loyalty_coupons_status"
        ),
    )
    op.create_index("ix_loyalty_coupons_member_id", "loyalty_coupons", ["member_id"])
    # the group KPI scans entries by time
    op.create_index("ix_loyalty_entries_created_at", "loyalty_entries", ["created_at"])
    create_event_tables(op)


def downgrade() -> None:
    drop_event_tables(op)
    op.drop_index("ix_loyalty_entries_created_at", table_name="loyalty_entries")
    op.drop_index("ix_loyalty_coupons_member_id", table_name="loyalty_coupons")
    op.drop_table("loyalty_coupons")
    op.drop_index("ix_loyalty_order_earnings_member_id", table_name="loyalty_order_earnings")
    op.drop_table("loyalty_order_earnings")
