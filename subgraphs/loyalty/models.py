"""The loyalty tables (one central database for every brand).

- `LedgerEntry` (`loyalty_entries`): append-only. `delta` is integer points, positive for an
  earn (with `expires_at`; None = never expires), negative for a redemption. `idempotency_key`
  is unique per member: the same key twice writes one entry. Rows are never updated.
- `Account` (`loyalty_accounts`): one row per member that has ledger entries: the row every
  write locks first (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write lock), so writes of
  one member are serialised, plus `lifetime_earned` (the tier's input), updated in the same
  transaction as the entry it counts.
- `OrderEarning` (`loyalty_order_earnings`): one row per paid order and brand: what the order
  spent there and the points it earned (a refund reverses exactly those; coupon rules sum the
  spend of orders not refunded).
- `Coupon` (`loyalty_coupons`): a cross-brand coupon issued by a rule, at most one per (member,
  rule). `status` is stored as AVAILABLE, RESERVED or REDEEMED; EXPIRED and a lapsed
  reservation are derived from `expires_at` / `reserved_until` when read (`coupons.status_of`).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

MEMBER_ID_LENGTH = 64
BRAND_LENGTH = 32
KEY_LENGTH = 200


def utcnow() -> datetime:
    return datetime.now(UTC)


class Account(SQLModel, table=True):
    __tablename__ = "loyalty_accounts"

    member_id: str = Field(primary_key=True, max_length=MEMBER_ID_LENGTH)
    lifetime_earned: int = Field(default=0, ge=0)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )


class LedgerEntry(SQLModel, table=True):
    __tablename__ = "loyalty_entries"
    __table_args__ = (
        sa.UniqueConstraint("member_id", "idempotency_key", name="uq_loyalty_entries_key"),
        sa.CheckConstraint("delta <> 0", name="ck_loyalty_entries_delta"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(max_length=MEMBER_ID_LENGTH)
    brand: str = Field(max_length=BRAND_LENGTH)
    delta: int
    reason: str = Field(max_length=200)
    idempotency_key: str = Field(max_length=KEY_LENGTH)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )
    expires_at: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True)
    )


ORDER_ID_LENGTH = 64
COUPON_ID_LENGTH = 40
RULE_ID_LENGTH = 64


class OrderEarning(SQLModel, table=True):
    __tablename__ = "loyalty_order_earnings"

    order_id: str = Field(primary_key=True, max_length=ORDER_ID_LENGTH)
    brand: str = Field(primary_key=True, max_length=BRAND_LENGTH)
    member_id: str = Field(max_length=MEMBER_ID_LENGTH, index=True)
    amount_fen: int = Field(ge=0)
    points: int = Field(ge=0)
    paid_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), nullable=False))
    refunded_at: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True)
    )


class Coupon(SQLModel, table=True):
    __tablename__ = "loyalty_coupons"
    __table_args__ = (
        sa.UniqueConstraint("member_id", "rule_id", name="uq_loyalty_coupons_rule"),
        sa.CheckConstraint("value_fen > 0", name="ck_loyalty_coupons_value"),
    )

    id: str = Field(primary_key=True, max_length=COUPON_ID_LENGTH)
    member_id: str = Field(max_length=MEMBER_ID_LENGTH, index=True)
    rule_id: str = Field(max_length=RULE_ID_LENGTH)
    issued_brand: str = Field(max_length=BRAND_LENGTH)
    redeemable_brand: str = Field(max_length=BRAND_LENGTH)
    value_fen: int
    min_spend_fen: int = Field(default=0, ge=0)
    status: str = Field(default="AVAILABLE", max_length=16)
    issued_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), nullable=False))
    reserved_until: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True)
    )
    order_id: str | None = Field(default=None, max_length=ORDER_ID_LENGTH)
