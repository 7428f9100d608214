"""The loyalty tables (one central database for every brand).

- `LedgerEntry` (`loyalty_entries`): append-only. `delta` is integer points, positive for an
  earn (with `expires_at`; None = never expires), negative for a redemption. `idempotency_key`
  is unique per member: the same key twice writes one entry. Rows are never updated.
- `Account` (`loyalty_accounts`): one row per member that has ledger entries: the row every
  write locks first (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write lock), so writes of
  one member are serialised, plus `lifetime_earned` (the tier's input), updated in the same
  transaction as the entry it counts.
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
