"""Cross-brand placements, impressions (personal data), the event outbox and processed events.

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
        "content_cross_brand_placements",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("target_brand", sa.String(32), nullable=False),
        sa.Column("target_product_id", sa.String(200), nullable=False),
        sa.Column("target_category", sa.String(64), nullable=False),
        sa.Column("source_category", sa.String(64), nullable=True),
        sa.Column("headline", sa.String(200), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False, server_default="0"),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "content_impressions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("placement_id", sa.String(64), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_content_impressions_member_shown", "content_impressions", ["member_id", "shown_at"]
    )
    create_event_tables(op)


def downgrade() -> None:
    drop_event_tables(op)
    op.drop_index("ix_content_impressions_member_shown", "content_impressions")
    op.drop_table("content_impressions")
    op.drop_table("content_cross_brand_placements")
