"""Active flags on products and SKUs, stock shortfalls, the event outbox and processed events.

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
    with op.batch_alter_table("catalogue_products") as batch:
        batch.add_column(sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()))
    with op.batch_alter_table("catalogue_skus") as batch:
        batch.add_column(sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()))
    op.create_table(
        "catalogue_stock_shortfalls",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.String(200), nullable=False),
        sa.Column("sku_id", sa.String(64), nullable=False),
        sa.Column("requested", sa.Integer, nullable=False),
        sa.Column("available", sa.Integer, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_catalogue_stock_shortfalls_order_id", "catalogue_stock_shortfalls", ["order_id"]
    )
    create_event_tables(op)


def downgrade() -> None:
    drop_event_tables(op)
    op.drop_index("ix_catalogue_stock_shortfalls_order_id", "catalogue_stock_shortfalls")
    op.drop_table("catalogue_stock_shortfalls")
    with op.batch_alter_table("catalogue_skus") as batch:
        batch.drop_column("active")
    with op.batch_alter_table("catalogue_products") as batch:
        batch.drop_column("active")
