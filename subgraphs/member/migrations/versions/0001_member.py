"""The member tables: members and their brand accounts, addresses, payment methods, consent
records, engagement, refresh tokens, erasure requests; the outbox/processed-events tables and
the idempotency keys.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from subgraphs.common.events import create_event_tables, drop_event_tables
from subgraphs.common.idempotency import create_idempotency_table, drop_idempotency_table

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _member_id() -> sa.Column:
    return sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("union_id", sa.String(80), nullable=False, unique=True),
        sa.Column("display_name", sa.String(64), nullable=True),
        _at("created_at"),
        _at("erased_at", nullable=True),
    )
    op.create_table(
        "member_brand_accounts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("brand", sa.String(32), nullable=False),
        sa.Column("open_id", sa.String(64), nullable=False),
        _member_id(),
        _at("first_seen_at"),
        _at("last_seen_at"),
        sa.UniqueConstraint("brand", "open_id", name="uq_member_brand_accounts_open_id"),
    )
    op.create_table(
        "member_addresses",
        sa.Column("id", sa.String(40), primary_key=True),
        _member_id(),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("region", sa.String(64), nullable=False),
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("line1", sa.String(200), nullable=False),
        sa.Column("postal_code", sa.String(12), nullable=False),
        sa.Column("is_default", sa.Boolean, nullable=False),
        _at("created_at"),
        _at("updated_at"),
    )
    op.create_table(
        "member_payment_methods",
        sa.Column("id", sa.String(40), primary_key=True),
        _member_id(),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("token", sa.String(256), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        _at("created_at"),
        sa.UniqueConstraint(
            "member_id", "provider", "token", name="uq_member_payment_methods_token"
        ),
    )
    op.create_table(
        "member_consents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _member_id(),
        sa.Column("granted", sa.Boolean, nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        _at("created_at"),
    )
    op.create_table(
        "member_engagement",
        sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id"), primary_key=True),
        sa.Column("orders_count", sa.Integer, nullable=False),
        _at("last_order_at", nullable=True),
        sa.Column("brands_purchased", sa.JSON, nullable=False),
        sa.Column("categories_purchased", sa.JSON, nullable=False),
        _at("updated_at"),
    )
    op.create_table(
        "member_refresh_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        _member_id(),
        sa.Column("brand", sa.String(32), nullable=False),
        sa.Column("family_id", sa.String(32), nullable=False),
        _at("created_at"),
        _at("expires_at"),
        _at("revoked_at", nullable=True),
    )
    op.create_table(
        "member_erasure_requests",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column(
            "member_id", sa.String(64), sa.ForeignKey("members.id"), nullable=False, unique=True
        ),
        _at("requested_at"),
        _at("completed_at", nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        _at("last_attempt_at"),
    )
    op.create_table(
        "member_erasure_participants",
        sa.Column(
            "request_id",
            sa.String(40),
            sa.ForeignKey("member_erasure_requests.id"),
            primary_key=True,
        ),
        sa.Column("participant", sa.String(100), primary_key=True),
        _at("completed_at", nullable=True),
    )
    for table in ("brand_accounts", "addresses", "payment_methods", "consents", "refresh_tokens"):
        op.create_index(f"ix_member_{table}_member_id", f"member_{table}", ["member_id"])
    op.create_index("ix_member_refresh_tokens_family_id", "member_refresh_tokens", ["family_id"])
    op.create_index(
        "ix_member_erasure_requests_completed_at", "member_erasure_requests", ["completed_at"]
    )
    create_event_tables(op)
    create_idempotency_table(op)


def downgrade() -> None:
    drop_idempotency_table(op)
    drop_event_tables(op)
    for table in (
        "member_erasure_participants",
        "member_erasure_requests",
        "member_refresh_tokens",
        "member_engagement",
        "member_consents",
        "member_payment_methods",
        "member_addresses",
        "member_brand_accounts",
        "members",
    ):
        op.drop_table(table)
