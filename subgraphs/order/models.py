"""The order tables (one central database for every brand).

Replicas, kept by the `order` event consumer (`replicas.py`) and never edited here:
- `ReplicaAddress` (`order_addresses`), `ReplicaPaymentMethod` (`order_payment_methods`): the
  member subgraph's addresses and payment tokens, by id, with their member.
- `ReplicaSku` (`order_skus`): the catalogues' SKUs (brand-scoped ids), price, category, on
  sale or not.

Own data:
- `CartLine` (`order_cart_lines`): one member's cart is their lines; one line per SKU.
- `CartAdd` (`order_cart_adds`): every addToCart, kept after the cart changes (the KPI's
  denominator); `order_id` is set when the line went into an order, `closed` when the line left
  the cart either way.
- `Order` (`order_orders`): amounts in integer fen, the shipping address snapshot (wiped on
  erasure), status and payment status. `coupon_claim` holds the coupon id while the order is
  not cancelled: its unique constraint lets a coupon back at most one live order.
- `OrderLine` (`order_lines`): what was bought, at which price, and the attribution source.
- `StatusChange` (`order_status_changes`): the status history.
- `PaymentAttempt` (`order_payment_attempts`): one charge attempt; its `provider_key` is the
  provider's idempotency key, so a retried attempt never charges twice.
- `SandboxCharge` (`order_sandbox_charges`): the sandbox payment provider's own record.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

MEMBER_ID_LENGTH = 64
BRAND_LENGTH = 32
ID_LENGTH = 64  # brand-scoped ids (lumen:SKU-1001), replica ids, order ids
NAME_LENGTH = 200
TOKEN_LENGTH = 256
KEY_LENGTH = 200

PLACED, PAID, SHIPPED, DELIVERED, CANCELLED, REFUNDED = (
    "PLACED", "PAID", "SHIPPED", "DELIVERED", "CANCELLED", "REFUNDED",
)  # fmt: skip
STATUSES = (PLACED, PAID, SHIPPED, DELIVERED, CANCELLED, REFUNDED)
PAID_OR_LATER = (PAID, SHIPPED, DELIVERED, REFUNDED)

# payment status of an order / result of an attempt
UNPAID, PENDING, SUCCEEDED, DECLINED, FAILED = (
    "UNPAID",
    "PENDING",
    "SUCCEEDED",
    "DECLINED",
    "FAILED",
)


def utcnow() -> datetime:
    return datetime.now(UTC)


# --- replicas --------------------------------------------------------------------------------


class ReplicaAddress(SQLModel, table=True):
    __tablename__ = "order_addresses"

    id: str = Field(primary_key=True, max_length=ID_LENGTH)
    member_id: str = Field(max_length=MEMBER_ID_LENGTH, index=True)
    recipient: str = Field(max_length=NAME_LENGTH)
    phone: str = Field(max_length=32)
    region: str = Field(max_length=NAME_LENGTH)
    city: str = Field(max_length=NAME_LENGTH)
    line1: str = Field(max_length=NAME_LENGTH)
    postal_code: str = Field(default="", max_length=32)


class ReplicaPaymentMethod(SQLModel, table=True):
    __tablename__ = "order_payment_methods"

    id: str = Field(primary_key=True, max_length=ID_LENGTH)
    member_id: str = Field(max_length=MEMBER_ID_LENGTH, index=True)
    provider: str = Field(max_length=32)
    token: str = Field(max_length=TOKEN_LENGTH)
    label: str = Field(default="", max_length=NAME_LENGTH)


class ReplicaSku(SQLModel, table=True):
    __tablename__ = "order_skus"

    sku_id: str = Field(primary_key=True, max_length=ID_LENGTH)
    brand: str = Field(max_length=BRAND_LENGTH, index=True)
    product_id: str = Field(max_length=ID_LENGTH)
    product_name: str = Field(max_length=NAME_LENGTH)
    sku_name: str = Field(max_length=NAME_LENGTH)
    category_id: str | None = Field(default=None, max_length=ID_LENGTH)
    price_fen: int = Field(ge=0)
    active: bool = True


# --- carts -----------------------------------------------------------------------------------


class CartLine(SQLModel, table=True):
    __tablename__ = "order_cart_lines"
    __table_args__ = (
        sa.UniqueConstraint("member_id", "sku_id", name="uq_order_cart_lines_sku"),
        sa.CheckConstraint("quantity > 0", name="ck_order_cart_lines_quantity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(max_length=MEMBER_ID_LENGTH, index=True)
    sku_id: str = Field(max_length=ID_LENGTH)
    quantity: int
    source_kind: str | None = Field(default=None, max_length=16)
    source_id: str | None = Field(default=None, max_length=ID_LENGTH)
    source_brand: str | None = Field(default=None, max_length=BRAND_LENGTH)
    added_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )


class CartAdd(SQLModel, table=True):
    __tablename__ = "order_cart_adds"

    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(max_length=MEMBER_ID_LENGTH, index=True)
    sku_id: str = Field(max_length=ID_LENGTH)
    sku_brand: str = Field(max_length=BRAND_LENGTH)
    quantity: int
    source_kind: str | None = Field(default=None, max_length=16)
    source_id: str | None = Field(default=None, max_length=ID_LENGTH)
    source_brand: str | None = Field(default=None, max_length=BRAND_LENGTH)
    added_at: datetime = Field(
        default_factory=utcnow,
        sa_column=Column(sa.DateTime(timezone=True), nullable=False, index=True),
    )
    order_id: str | None = Field(default=None, max_length=ID_LENGTH, index=True)
    closed: bool = False


# --- orders ----------------------------------------------------------------------------------


class Order(SQLModel, table=True):
    __tablename__ = "order_orders"
    __table_args__ = (
        sa.UniqueConstraint("coupon_claim", name="uq_order_orders_coupon_claim"),
        sa.CheckConstraint("subtotal_fen >= 0", name="ck_order_orders_subtotal"),
        sa.CheckConstraint("discount_fen >= 0", name="ck_order_orders_discount"),
        sa.CheckConstraint("total_fen >= 0", name="ck_order_orders_total"),
    )

    id: str = Field(primary_key=True, max_length=ID_LENGTH)
    member_id: str = Field(max_length=MEMBER_ID_LENGTH, index=True)
    channel_brand: str = Field(max_length=BRAND_LENGTH)
    status: str = Field(default=PLACED, max_length=16)
    subtotal_fen: int
    discount_fen: int = 0
    total_fen: int
    coupon_id: str | None = Field(default=None, max_length=ID_LENGTH)
    coupon_brand: str | None = Field(default=None, max_length=BRAND_LENGTH)
    coupon_claim: str | None = Field(default=None, max_length=ID_LENGTH)
    # shipping address snapshot (null after erasure)
    address_id: str | None = Field(default=None, max_length=ID_LENGTH)
    ship_recipient: str | None = Field(default=None, max_length=NAME_LENGTH)
    ship_phone: str | None = Field(default=None, max_length=32)
    ship_region: str | None = Field(default=None, max_length=NAME_LENGTH)
    ship_city: str | None = Field(default=None, max_length=NAME_LENGTH)
    ship_line1: str | None = Field(default=None, max_length=NAME_LENGTH)
    ship_postal_code: str | None = Field(default=None, max_length=32)
    payment_method_id: str | None = Field(default=None, max_length=ID_LENGTH)
    payment_status: str = Field(default=UNPAID, max_length=16)
    payment_error: str | None = Field(default=None, max_length=500)
    charge_id: str | None = Field(default=None, max_length=ID_LENGTH)
    placed_at: datetime = Field(
        default_factory=utcnow,
        sa_column=Column(sa.DateTime(timezone=True), nullable=False, index=True),
    )
    paid_at: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True, index=True)
    )
    refunded_at: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True)
    )
    erased_at: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True)
    )


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_lines"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="ck_order_lines_quantity"),
        sa.CheckConstraint("amount_fen >= 0", name="ck_order_lines_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(foreign_key="order_orders.id", max_length=ID_LENGTH, index=True)
    position: int
    brand: str = Field(max_length=BRAND_LENGTH)
    product_id: str = Field(max_length=ID_LENGTH)
    sku_id: str = Field(max_length=ID_LENGTH)
    product_name: str = Field(max_length=NAME_LENGTH)
    sku_name: str = Field(max_length=NAME_LENGTH)
    category_id: str | None = Field(default=None, max_length=ID_LENGTH)
    unit_price_fen: int
    quantity: int
    subtotal_fen: int  # unit price x quantity
    discount_fen: int = 0  # this line's share of the coupon
    amount_fen: int  # what was paid for the line: subtotal - discount
    source_kind: str | None = Field(default=None, max_length=16)
    source_id: str | None = Field(default=None, max_length=ID_LENGTH)
    source_brand: str | None = Field(default=None, max_length=BRAND_LENGTH)


class StatusChange(SQLModel, table=True):
    __tablename__ = "order_status_changes"

    id: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(foreign_key="order_orders.id", max_length=ID_LENGTH, index=True)
    status: str = Field(max_length=16)
    actor: str = Field(max_length=100)
    at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )


class PaymentAttempt(SQLModel, table=True):
    __tablename__ = "order_payment_attempts"

    id: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(foreign_key="order_orders.id", max_length=ID_LENGTH, index=True)
    provider_key: str = Field(max_length=KEY_LENGTH, unique=True)
    payment_method_id: str = Field(max_length=ID_LENGTH)
    token: str | None = Field(default=None, max_length=TOKEN_LENGTH)  # null after erasure
    amount_fen: int
    status: str = Field(default=PENDING, max_length=16)
    charge_id: str | None = Field(default=None, max_length=ID_LENGTH)
    error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )


class SandboxCharge(SQLModel, table=True):
    __tablename__ = "order_sandbox_charges"

    id: str = Field(primary_key=True, max_length=ID_LENGTH)
    kind: str = Field(max_length=16)  # CHARGE or REFUND
    idempotency_key: str = Field(max_length=KEY_LENGTH, unique=True)
    charge_id: str | None = Field(default=None, max_length=ID_LENGTH)  # a refund's charge
    amount_fen: int
    status: str = Field(max_length=16)
    error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )
