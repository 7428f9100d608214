"""Members in bulk (the demo loader) and a small deterministic demo.

`insert_members(session, members)` takes any objects shaped like
`subgraphs.demo.generate.DemoMember` (id, union_id, display_name, created_at, brand_accounts,
addresses, payment_methods, consents) and writes them in one transaction, skipping members
already there (seeding twice changes nothing). With `record_events` (default) it records
`member.address.saved` / `member.payment_method.saved` for each, so the order subgraph's
replicas fill through the bus like in production. `insert_engagement` sets engagement rows
directly (the alternative is replaying `order.paid` through the consumer).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import transaction
from subgraphs.common.events import record_event

from .models import Address, BrandAccount, ConsentRecord, Engagement, Member, PaymentMethod, utcnow
from .service import (
    ADDRESS_SAVED,
    PAYMENT_METHOD_SAVED,
    address_payload,
    as_utc,
    payment_method_payload,
)


class BrandAccountSeed(Protocol):
    brand: str
    open_id: str
    first_seen_at: datetime


class AddressSeed(Protocol):
    id: str
    recipient: str
    phone: str
    region: str
    city: str
    line1: str
    postal_code: str
    is_default: bool


class PaymentMethodSeed(Protocol):
    id: str
    provider: str
    token: str
    label: str


class ConsentSeed(Protocol):
    granted: bool
    version: str
    channel: str
    at: datetime


class MemberSeed(Protocol):
    id: str
    union_id: str
    display_name: str | None
    created_at: datetime
    brand_accounts: Sequence[BrandAccountSeed]
    addresses: Sequence[AddressSeed]
    payment_methods: Sequence[PaymentMethodSeed]
    consents: Sequence[ConsentSeed]


@dataclass(frozen=True)
class EngagementSeed:
    member_id: str
    orders_count: int
    last_order_at: datetime | None
    brands_purchased: Sequence[str] = ()
    categories_purchased: Sequence[str] = ()


async def _existing(session: AsyncSession, model, column: str, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        query = select(getattr(model, column)).where(col(getattr(model, column)).in_(chunk))
        found.update((await session.exec(query)).all())
    return found


async def insert_members(
    session: AsyncSession, members: Iterable[MemberSeed], *, record_events: bool = True
) -> int:
    """Insert members with their brand accounts, addresses, payment methods and consents in
    one transaction; the number inserted (members already present are skipped)."""
    members = list(members)
    async with transaction(session):
        present = await _existing(session, Member, "id", [m.id for m in members])
        fresh = [m for m in members if m.id not in present]
        session.add_all(
            Member(
                id=m.id,
                union_id=m.union_id,
                display_name=m.display_name,
                created_at=as_utc(m.created_at),
            )
            for m in fresh
        )
        await session.flush()  # members first: the other rows reference them
        for m in fresh:
            created = as_utc(m.created_at)
            for a in m.brand_accounts:
                seen = as_utc(a.first_seen_at)
                session.add(
                    BrandAccount(
                        brand=a.brand,
                        open_id=a.open_id,
                        member_id=m.id,
                        first_seen_at=seen,
                        last_seen_at=seen,
                    )
                )
            for i, a in enumerate(m.addresses):
                at = created + timedelta(seconds=i)  # keeps the given order
                row = Address(
                    id=a.id,
                    member_id=m.id,
                    recipient=a.recipient,
                    phone=a.phone,
                    region=a.region,
                    city=a.city,
                    line1=a.line1,
                    postal_code=a.postal_code,
                    is_default=a.is_default,
                    created_at=at,
                    updated_at=at,
                )
                session.add(row)
                if record_events:
                    payload = {"memberId": m.id, "address": address_payload(row)}
                    record_event(session, ADDRESS_SAVED, payload)
            for i, p in enumerate(m.payment_methods):
                row = PaymentMethod(
                    id=p.id,
                    member_id=m.id,
                    provider=p.provider,
                    token=p.token,
                    label=p.label,
                    created_at=created + timedelta(seconds=i),
                )
                session.add(row)
                if record_events:
                    payload = {"memberId": m.id, "paymentMethod": payment_method_payload(row)}
                    record_event(session, PAYMENT_METHOD_SAVED, payload)
            for c in m.consents:
                session.add(
                    ConsentRecord(
                        member_id=m.id,
                        granted=c.granted,
                        version=c.version,
                        channel=c.channel,
                        created_at=as_utc(c.at),
                    )
                )
        await session.flush()
    return len(fresh)


async def insert_engagement(session: AsyncSession, rows: Iterable[EngagementSeed]) -> int:
    """Set members' engagement (rows for members that have one already are skipped)."""
    rows = list(rows)
    async with transaction(session):
        present = await _existing(session, Engagement, "member_id", [r.member_id for r in rows])
        fresh = [r for r in rows if r.member_id not in present]
        session.add_all(
            Engagement(
                member_id=r.member_id,
                orders_count=r.orders_count,
                last_order_at=None if r.last_order_at is None else as_utc(r.last_order_at),
                brands_purchased=sorted(set(r.brands_purchased)),
                categories_purchased=sorted(set(r.categories_purchased)),
                updated_at=utcnow(),
            )
            for r in fresh
        )
        await session.flush()
    return len(fresh)


# --- a small demo ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Account:
    brand: str
    open_id: str
    first_seen_at: datetime


@dataclass(frozen=True)
class _Address:
    id: str
    recipient: str
    phone: str
    region: str
    city: str
    line1: str
    postal_code: str
    is_default: bool


@dataclass(frozen=True)
class _Payment:
    id: str
    provider: str
    token: str
    label: str


@dataclass(frozen=True)
class _Consent:
    granted: bool
    version: str
    channel: str
    at: datetime


@dataclass(frozen=True)
class _Member:
    id: str
    union_id: str
    display_name: str | None
    created_at: datetime
    brand_accounts: tuple[_Account, ...] = ()
    addresses: tuple[_Address, ...] = ()
    payment_methods: tuple[_Payment, ...] = ()
    consents: tuple[_Consent, ...] = field(default_factory=tuple)


def demo_members(now: datetime | None = None) -> list[_Member]:
    """Two members: one in lumen and aurora with consent, one in cubby without."""
    now = as_utc(now or utcnow())
    day = timedelta(days=1)
    return [
        _Member(
            id="mbr_00000000000d0001",
            union_id="oUnionDemo0001",
            display_name="Wang Fang",
            created_at=now - 90 * day,
            brand_accounts=(
                _Account("lumen", "oLumenDemo0001", now - 90 * day),
                _Account("aurora", "oAuroraDemo0001", now - 30 * day),
            ),
            addresses=(
                _Address(
                    "adr_demo_0001",
                    "Wang Fang",
                    "13800000001",
                    "Shanghai",
                    "Shanghai",
                    "88 Huaihai Rd",
                    "200000",
                    True,
                ),
            ),
            payment_methods=(
                _Payment("pm_demo_0001", "sandbox", "tok_sandbox_demo_0001", "WeChat Pay ····0001"),
            ),
            consents=(_Consent(True, "2026-01", "mini-program", now - 89 * day),),
        ),
        _Member(
            id="mbr_00000000000d0002",
            union_id="oUnionDemo0002",
            display_name="Li Wei",
            created_at=now - 10 * day,
            brand_accounts=(_Account("cubby", "oCubbyDemo0002", now - 10 * day),),
            addresses=(
                _Address(
                    "adr_demo_0002",
                    "Li Wei",
                    "13800000002",
                    "Zhejiang",
                    "Hangzhou",
                    "12 Wensan Rd",
                    "310000",
                    True,
                ),
            ),
        ),
    ]


async def seed_demo(session: AsyncSession, now: datetime | None = None) -> int:
    """Insert the small demo (idempotent)."""
    return await insert_members(session, demo_members(now))
