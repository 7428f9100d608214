"""The member tables (one central database for every brand).

- `Member` (`members`): `id` is `mbr_<hex>`; `union_id` unique (after erasure an irreversible
  placeholder `erased:<id>`, which no credential can spell); `created_at` is first seen.
- `BrandAccount`: the member in one brand app (`open_id` unique per brand).
- `Address`, `PaymentMethod` (`token` is the payment provider's opaque token, never shown).
- `ConsentRecord`: append-only; the member's current consent is the latest row.
- `Engagement`: purchase summary kept from `order.paid` (JSON lists of brands and categories).
- `RefreshToken`: only the SHA-256 of the token is stored; `family_id` ties rotations of one
  sign-in together (reuse of a rotated token revokes the family).
- `ErasureRequest` / `ErasureParticipant`: one request per erased member, done when every
  participant reported `erasure.completed`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

MEMBER_ID_LENGTH = 64
UNION_ID_LENGTH = 80  # placeholders `erased:<member id>` fit too
OPEN_ID_LENGTH = 64
BRAND_LENGTH = 32
NAME_LENGTH = 64
TOKEN_LENGTH = 256
PARTICIPANT_LENGTH = 100


def utcnow() -> datetime:
    return datetime.now(UTC)


def _optional_at(index: bool = False) -> Any:
    return Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True, index=index)
    )


def _member_fk(index: bool = True) -> Any:
    return Field(foreign_key="members.id", max_length=MEMBER_ID_LENGTH, index=index)


class Member(SQLModel, table=True):
    __tablename__ = "members"

    id: str = Field(primary_key=True, max_length=MEMBER_ID_LENGTH)
    union_id: str = Field(max_length=UNION_ID_LENGTH, unique=True)
    display_name: str | None = Field(default=None, max_length=NAME_LENGTH)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )
    erased_at: datetime | None = _optional_at()


class BrandAccount(SQLModel, table=True):
    __tablename__ = "member_brand_accounts"
    __table_args__ = (
        sa.UniqueConstraint("brand", "open_id", name="uq_member_brand_accounts_open_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand: str = Field(max_length=BRAND_LENGTH)
    open_id: str = Field(max_length=OPEN_ID_LENGTH)
    member_id: str = _member_fk()
    first_seen_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )
    last_seen_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )


class Address(SQLModel, table=True):
    __tablename__ = "member_addresses"

    id: str = Field(primary_key=True, max_length=40)
    member_id: str = _member_fk()
    recipient: str = Field(max_length=NAME_LENGTH)
    phone: str = Field(max_length=20)
    region: str = Field(max_length=64)
    city: str = Field(max_length=64)
    line1: str = Field(max_length=200)
    postal_code: str = Field(default="", max_length=12)
    is_default: bool = False
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )


class PaymentMethod(SQLModel, table=True):
    __tablename__ = "member_payment_methods"
    __table_args__ = (
        sa.UniqueConstraint(
            "member_id", "provider", "token", name="uq_member_payment_methods_token"
        ),
    )

    id: str = Field(primary_key=True, max_length=40)
    member_id: str = _member_fk()
    provider: str = Field(max_length=32)
    token: str = Field(max_length=TOKEN_LENGTH)
    label: str = Field(max_length=NAME_LENGTH)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )


class ConsentRecord(SQLModel, table=True):
    __tablename__ = "member_consents"

    id: int | None = Field(default=None, primary_key=True)
    member_id: str = _member_fk()
    granted: bool
    version: str = Field(max_length=32)
    channel: str = Field(max_length=32)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )


class Engagement(SQLModel, table=True):
    __tablename__ = "member_engagement"

    member_id: str = Field(primary_key=True, foreign_key="members.id", max_length=MEMBER_ID_LENGTH)
    orders_count: int = 0
    last_order_at: datetime | None = _optional_at()
    brands_purchased: list[str] = Field(
        default_factory=list, sa_column=Column(sa.JSON, nullable=False)
    )
    categories_purchased: list[str] = Field(
        default_factory=list, sa_column=Column(sa.JSON, nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )


class RefreshToken(SQLModel, table=True):
    __tablename__ = "member_refresh_tokens"

    token_hash: str = Field(primary_key=True, max_length=64)  # sha256 hex of the token
    member_id: str = _member_fk()
    brand: str = Field(max_length=BRAND_LENGTH)
    family_id: str = Field(max_length=32, index=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), nullable=False))
    revoked_at: datetime | None = _optional_at()


class ErasureRequest(SQLModel, table=True):
    __tablename__ = "member_erasure_requests"

    id: str = Field(primary_key=True, max_length=40)
    member_id: str = Field(foreign_key="members.id", max_length=MEMBER_ID_LENGTH, unique=True)
    requested_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )
    completed_at: datetime | None = _optional_at(index=True)
    attempts: int = 1  # how many times member.erased was recorded
    last_attempt_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )


class ErasureParticipant(SQLModel, table=True):
    __tablename__ = "member_erasure_participants"

    request_id: str = Field(
        primary_key=True, foreign_key="member_erasure_requests.id", max_length=40
    )
    participant: str = Field(primary_key=True, max_length=PARTICIPANT_LENGTH)
    completed_at: datetime | None = _optional_at()
