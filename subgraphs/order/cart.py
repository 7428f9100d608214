"""The member's cart: one line per SKU, checked against the SKU replica (exists, on sale),
quantities 1..99. Every add is also kept as a `CartAdd` with its attribution source, so the
cross-traffic KPI survives later cart changes. Each function commits its own transaction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import transaction

from .errors import NotFound, OrderError
from .models import ID_LENGTH, CartAdd, CartLine, ReplicaSku, utcnow

MIN_QUANTITY, MAX_QUANTITY = 1, 99
MAX_LINES = 50
SOURCE_KINDS = ("RECOMMENDATION", "BANNER")
BRAND_ID = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class Source:
    """The cross-traffic source that showed the product: a recommendation or a banner,
    shown in `brand`'s app."""

    kind: str
    id: str
    brand: str

    def checked(self) -> Source:
        if self.kind not in SOURCE_KINDS:
            raise OrderError(f"source kind must be one of {', '.join(SOURCE_KINDS)}")
        checked_id(self.id, "source id")
        if not BRAND_ID.match(self.brand or ""):
            raise OrderError(f"invalid source brand {self.brand[:40]!r}")
        return self


def checked_id(value: str, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > ID_LENGTH:
        raise OrderError(f"{what} must be 1 to {ID_LENGTH} characters")
    return value


def checked_quantity(quantity: int) -> int:
    if isinstance(quantity, bool) or not MIN_QUANTITY <= quantity <= MAX_QUANTITY:
        raise OrderError(f"quantity must be between {MIN_QUANTITY} and {MAX_QUANTITY}")
    return quantity


async def buyable_sku(session: AsyncSession, sku_id: str) -> ReplicaSku:
    sku = await session.get(ReplicaSku, checked_id(sku_id, "skuId"))
    if sku is None:
        raise NotFound(f"unknown SKU {sku_id!r}")
    if not sku.active:
        raise OrderError(f"SKU {sku_id!r} is not on sale", "SKU_UNAVAILABLE")
    return sku


async def lines_of(session: AsyncSession, member_id: str) -> Sequence[CartLine]:
    query = select(CartLine).where(CartLine.member_id == member_id)
    return (await session.exec(query.order_by(col(CartLine.added_at), col(CartLine.id)))).all()


async def _line(session: AsyncSession, member_id: str, sku_id: str) -> CartLine | None:
    query = select(CartLine).where(CartLine.member_id == member_id, CartLine.sku_id == sku_id)
    return (await session.exec(query)).first()


async def add(
    session: AsyncSession, member_id: str, sku_id: str, quantity: int, source: Source | None
) -> None:
    """Add `quantity` of the SKU (to its line when there is one; the line keeps its first
    source). Commits."""
    checked_quantity(quantity)
    source = None if source is None else source.checked()
    for attempt in range(2):
        try:
            async with transaction(session):
                await _add(session, member_id, sku_id, quantity, source)
            return
        except IntegrityError:
            if attempt:  # a racing add created the line twice; the retry finds it
                raise


async def _add(
    session: AsyncSession, member_id: str, sku_id: str, quantity: int, source: Source | None
) -> None:
    sku = await buyable_sku(session, sku_id)
    line = await _line(session, member_id, sku_id)
    now = utcnow()
    if line is None:
        count = len(await lines_of(session, member_id))
        if count >= MAX_LINES:
            raise OrderError(f"a cart holds at most {MAX_LINES} lines")
        line = CartLine(member_id=member_id, sku_id=sku_id, quantity=0, added_at=now)
        session.add(line)
    if line.quantity + quantity > MAX_QUANTITY:
        raise OrderError(f"a cart line holds at most {MAX_QUANTITY} items")
    line.quantity += quantity
    if line.source_kind is None and source is not None:
        line.source_kind, line.source_id, line.source_brand = source.kind, source.id, source.brand
    session.add(
        CartAdd(
            member_id=member_id,
            sku_id=sku_id,
            sku_brand=sku.brand,
            quantity=quantity,
            source_kind=None if source is None else source.kind,
            source_id=None if source is None else source.id,
            source_brand=None if source is None else source.brand,
            added_at=now,
        )
    )
    await session.flush()


async def update(session: AsyncSession, member_id: str, sku_id: str, quantity: int) -> None:
    """Set the quantity of the SKU's line. Commits."""
    checked_quantity(quantity)
    async with transaction(session):
        line = await _line(session, member_id, checked_id(sku_id, "skuId"))
        if line is None:
            raise NotFound(f"the cart has no line for SKU {sku_id!r}")
        line.quantity = quantity
        await session.flush()


async def remove(session: AsyncSession, member_id: str, sku_id: str) -> None:
    """Remove the SKU's line; its adds are closed without an order. Commits."""
    async with transaction(session):
        line = await _line(session, member_id, checked_id(sku_id, "skuId"))
        if line is None:
            raise NotFound(f"the cart has no line for SKU {sku_id!r}")
        await session.delete(line)
        await close_adds(session, member_id, [sku_id], order_id=None)


async def close_adds(
    session: AsyncSession, member_id: str, sku_ids: Sequence[str], *, order_id: str | None
) -> None:
    """Close the open adds of these SKUs (with the order they went into, if any)."""
    if not sku_ids:
        return
    await session.exec(  # type: ignore[call-overload]
        sa.update(CartAdd)
        .where(
            col(CartAdd.member_id) == member_id,
            col(CartAdd.sku_id).in_(list(sku_ids)),
            col(CartAdd.closed).is_(False),
        )
        .values(closed=True, order_id=order_id)
    )
