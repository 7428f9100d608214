"""The order tables: replicas, carts and cart adds, orders, lines, status history, payment
attempts, the sandbox provider's record, idempotency keys and the event tables.

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


def upgrade() -> None:
    op.create_table(
        "order_addresses",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("region", sa.String(200), nullable=False),
        sa.Column("city", sa.String(200), nullable=False),
        sa.Column("line1", sa.String(200), nullable=False),
        sa.Column("postal_code", sa.String(32), nullable=False),
    )
    op.create_index("ix_order_addresses_member_id", "order_addresses", ["member_id"])
    op.create_table(
        "order_payment_methods",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("token", sa.String(256), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
    )
    op.create_index("ix_order_payment_methods_member_id", "order_payment_methods", ["member_id"])
    op.create_table(
        "order_skus",
        sa.Column("sku_id", sa.String(64), primary_key=True),
        sa.Column("brand", sa.String(32), nullable=False),
        sa.Column("product_id", sa.String(64), nullable=False),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("sku_name", sa.String(200), nullable=False),
        sa.Column("category_id", sa.String(64), nullable=True),
        sa.Column("price_fen", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.CheckConstraint("price_fen >= 0", name="ck_order_skus_price"),
    )
    op.create_index("ix_order_skus_brand", "order_skus", ["brand"])
    op.create_table(
        "order_cart_lines",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("sku_id", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("source_kind", sa.String(16), nullable=True),
        sa.Column("source_id", sa.String(64), nullable=True),
        sa.Column("source_brand", sa.String(32), nullable=True),
        _at("added_at"),
        sa.UniqueConstraint("member_id", "sku_id", name="uq_order_cart_lines_sku"),
        sa.CheckConstraint("quantity > 0", name="ck_order_cart_lines_quantity"),
    )
    op.create_index("ix_order_cart_lines_member_id", "order_cart_lines", ["member_id"])
    op.create_table(
        "order_cart_adds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("sku_id", sa.String(64), nullable=False),
        sa.Column("sku_brand", sa.String(32), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("source_kind", sa.String(16), nullable=True),
        sa.Column("source_id", sa.String(64), nullable=True),
        sa.Column("source_brand", sa.String(32), nullable=True),
        _at("added_at"),
        sa.Column("order_id", sa.String(64), nullable=True),
        sa.Column("closed", sa.Boolean, nullable=False),
    )
    op.create_index("ix_order_cart_adds_member_id", "order_cart_adds", ["member_id"])
    op.create_index("ix_order_cart_adds_added_at", "order_cart_adds", ["added_at"])
    op.create_index("ix_order_cart_adds_order_id", "order_cart_adds", ["order_id"])
    op.create_table(
        "order_orders",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("channel_brand", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("subtotal_fen", sa.Integer, nullable=False),
        sa.Column("discount_fen", sa.Integer, nullable=False),
        sa.Column("total_fen", sa.Integer, nullable=False),
        sa.Column("coupon_id", sa.String(64), nullable=True),
        sa.Column("coupon_brand", sa.String(32), nullable=True),
        sa.Column("coupon_claim", sa.String(64), nullable=True),
        sa.Column("address_id", sa.String(64), nullable=True),
        sa.Column("ship_recipient", sa.String(200), nullable=True),
        sa.Column("ship_phone", sa.String(32), nullable=True),
        sa.Column("ship_region", sa.String(200), nullable=True),
        sa.Column("ship_city", sa.String(200), nullable=True),
        sa.Column("ship_line1", sa.String(200), nullable=True),
        sa.Column("ship_postal_code", sa.String(32), nullable=True),
        sa.Column("payment_method_id", sa.String(64), nullable=True),
        sa.Column("payment_status", sa.String(16), nullable=False),
        sa.Column("payment_error", sa.String(500), nullable=True),
        sa.Column("charge_id", sa.String(64), nullable=True),
        _at("placed_at"),
        _at("paid_at", nullable=True),
        _at("refunded_at", nullable=True),
        _at("erased_at", nullable=True),
        # one live (not cancelled) order per coupon; NULLs never collide
        sa.UniqueConstraint("coupon_claim", name="uq_order_orders_coupon_claim"),
        sa.CheckConstraint("subtotal_fen >= 0", name="ck_order_orders_subtotal"),
        sa.CheckConstraint("discount_fen >= 0", name="ck_order_orders_discount"),
        sa.CheckConstraint("total_fen >= 0", name="ck_order_orders_total"),
        sa.CheckConstraint(
            "status IN ('PLACED', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED')",
            name="ck_order_orders_status",
        ),
    )
    op.create_index("ix_order_orders_member_id", "order_orders", ["member_id"])
    op.create_index("ix_order_orders_placed_at", "order_orders", ["placed_at"])
    op.create_index("ix_order_orders_paid_at", "order_orders", ["paid_at"])
    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.String(64), sa.ForeignKey("order_orders.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("brand", sa.String(32), nullable=False),
        sa.Column("product_id", sa.String(64), nullable=False),
        sa.Column("sku_id", sa.String(64), nullable=False),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("sku_name", sa.String(200), nullable=False),
        sa.Column("category_id", sa.String(64), nullable=True),
        sa.Column("unit_price_fen", sa.Integer, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("subtotal_fen", sa.Integer, nullable=False),
        sa.Column("discount_fen", sa.Integer, nullable=False),
        sa.Column("amount_fen", sa.Integer, nullable=False),
        sa.Column("source_kind", sa.String(16), nullable=True),
        sa.Column("source_id", sa.String(64), nullable=True),
        sa.Column("source_brand", sa.String(32), nullable=True),
        sa.CheckConstraint("quantity > 0", name="ck_order_lines_quantity"),
        sa.CheckConstraint("amount_fen >= 0", name="ck_order_lines_amount"),
    )
    op.create_index("ix_order_lines_order_id", "order_lines", ["order_id"])
    op.create_table(
        "order_status_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.String(64), sa.ForeignKey("order_orders.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        _at("at"),
    )
    op.create_index("ix_order_status_changes_order_id", "order_status_changes", ["order_id"])
    op.create_table(
        "order_payment_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.String(64), sa.ForeignKey("order_orders.id"), nullable=False),
        sa.Column("provider_key", sa.String(200), nullable=False, unique=True),
        sa.Column("payment_method_id", sa.String(64), nullable=False),
        sa.Column("token", sa.String(256), nullable=True),
        sa.Column("amount_fen", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("charge_id", sa.String(64), nullable=True),
        sa.Column("error", sa.String(500), nullable=True),
        _at("created_at"),
    )
    op.create_index("ix_order_payment_attempts_order_id", "order_payment_attempts", ["order_id"])
    op.create_table(
        "order_sandbox_charges",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False, unique=True),
        sa.Column("charge_id", sa.String(64), nullable=True),
        sa.Column("amount_fen", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.String(500), nullable=True),
        _at("created_at"),
    )
    create_idempotency_table(op)
    create_event_tables(op)


def downgrade() -> None:
    drop_event_tables(op)
    drop_idempotency_table(op)
    for table in (
        "order_sandbox_charges",
        "order_payment_attempts",
        "order_status_changes",
        "order_lines",
        "order_orders",
        "order_cart_adds",
        "order_cart_lines",
        "order_skus",
        "order_payment_methods",
        "order_addresses",
    ):
        op.drop_table(table)
