"""Bulk import of past orders (the demo seed; a migration from a legacy shop).

`import_orders(session, orders, record_events=False)` writes `HistoricalOrder`s with their
lines, attribution sources, status history and the cart adds their lines came from (so the
cross-traffic KPIs count them), in one transaction; an order whose id exists is skipped, so
importing twice changes nothing. With `record_events=True` it also records the events the
orders would have produced (`order.paid`, `order.cancelled`, `order.refunded`, deterministic
ids) for the other subgraphs (loyalty points, member engagement, catalogue stock).

Replicas (addresses, payment methods, SKUs) are imported with `replicas.import_replicas`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import transaction
from subgraphs.common.events import record_event

from . import lifecycle, service
from .cart import SOURCE_KINDS
from .errors import OrderError, as_utc
from .models import (
    CANCELLED,
    DELIVERED,
    PAID,
    PAID_OR_LATER,
    PLACED,
    REFUNDED,
    SHIPPED,
    STATUSES,
    UNPAID,
    CartAdd,
    Order,
    OrderLine,
    StatusChange,
)

CART_LEAD = timedelta(minutes=10)  # a line's cart add, before the order was placed


@dataclass(frozen=True)
class HistoricalSource:
    kind: str  # RECOMMENDATION | BANNER
    id: str
    brand: str  # the brand whose app showed it


@dataclass(frozen=True)
class HistoricalLine:
    brand: str
    product_id: str
    sku_id: str
    product_name: str
    sku_name: str
    category_id: str | None
    unit_price_fen: int
    quantity: int
    source: HistoricalSource | None = None
    discount_fen: int = 0


@dataclass(frozen=True)
class HistoricalAddress:
    id: str
    recipient: str
    phone: str
    region: str
    city: str
    line1: str
    postal_code: str = ""


@dataclass(frozen=True)
class HistoricalOrder:
    """A past order. `status` is its status now; `paid_at` is required for PAID or later
    (REFUNDED included) and absent for CANCELLED; missing shipped/delivered/cancelled times
    are filled in plausibly for the history."""

    id: str
    member_id: str
    channel_brand: str
    placed_at: datetime
    status: str
    lines: Sequence[HistoricalLine]
    address: HistoricalAddress
    payment_method_id: str
    paid_at: datetime | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    cancelled_at: datetime | None = None
    refunded_at: datetime | None = None
    coupon_id: str | None = None
    coupon_brand: str | None = None


def _check(order: HistoricalOrder) -> None:
    if order.status not in STATUSES:
        raise OrderError(f"order {order.id}: unknown status {order.status!r}")
    if (order.paid_at is None) == (order.status in PAID_OR_LATER):
        raise OrderError(f"order {order.id}: paid_at is required exactly when it was paid")
    if not order.lines:
        raise OrderError(f"order {order.id} has no lines")
    for line in order.lines:
        if line.quantity <= 0 or line.unit_price_fen < 0:
            raise OrderError(f"order {order.id}: quantities positive, prices not negative")
        if not 0 <= line.discount_fen <= line.unit_price_fen * line.quantity:
            raise OrderError(f"order {order.id}: a line's discount exceeds its amount")
        if line.source is not None and line.source.kind not in SOURCE_KINDS:
            raise OrderError(f"order {order.id}: unknown source kind {line.source.kind!r}")


def _history(order: HistoricalOrder) -> list[tuple[str, datetime]]:
    placed = as_utc(order.placed_at)
    steps = [(PLACED, placed)]
    if order.status == CANCELLED:
        steps.append((CANCELLED, as_utc(order.cancelled_at or placed + timedelta(minutes=30))))
        return steps
    if order.paid_at is None:
        return steps
    paid = as_utc(order.paid_at)
    steps.append((PAID, paid))
    shipped = order.shipped_at or (
        paid + timedelta(days=1) if order.status in (SHIPPED, DELIVERED) else None
    )
    if shipped is not None:
        steps.append((SHIPPED, as_utc(shipped)))
        delivered = order.delivered_at or (
            as_utc(shipped) + timedelta(days=2) if order.status == DELIVERED else None
        )
        if delivered is not None:
            steps.append((DELIVERED, as_utc(delivered)))
    if order.status == REFUNDED:
        steps.append((REFUNDED, as_utc(order.refunded_at or paid + timedelta(days=3))))
    return steps


async def import_orders(
    session: AsyncSession, orders: Iterable[HistoricalOrder], *, record_events: bool = False
) -> int:
    """Bulk-insert past orders in one transaction (commits); the number written."""
    orders = list(orders)
    for order in orders:
        _check(order)
    written = 0
    async with transaction(session):
        ids = [order.id for order in orders]
        existing: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            existing |= set(
                (await session.exec(select(Order.id).where(col(Order.id).in_(chunk)))).all()
            )
        for order in orders:
            if order.id in existing:
                continue
            existing.add(order.id)
            _add(session, order, record_events)
            written += 1
            if written % 500 == 0:
                await session.flush()
        await session.flush()
    return written


def _add(session: AsyncSession, order: HistoricalOrder, record_events: bool) -> None:
    history = _history(order)
    placed = as_utc(order.placed_at)
    lines = []
    for position, item in enumerate(order.lines, start=1):
        subtotal = item.unit_price_fen * item.quantity
        source = item.source
        lines.append(
            OrderLine(
                order_id=order.id,
                position=position,
                brand=item.brand,
                product_id=item.product_id,
                sku_id=item.sku_id,
                product_name=item.product_name,
                sku_name=item.sku_name,
                category_id=item.category_id,
                unit_price_fen=item.unit_price_fen,
                quantity=item.quantity,
                subtotal_fen=subtotal,
                discount_fen=item.discount_fen,
                amount_fen=subtotal - item.discount_fen,
                source_kind=None if source is None else source.kind,
                source_id=None if source is None else source.id,
                source_brand=None if source is None else source.brand,
            )
        )
    subtotal = sum(line.subtotal_fen for line in lines)
    discount = sum(line.discount_fen for line in lines)
    address = order.address
    row = Order(
        id=order.id,
        member_id=order.member_id,
        channel_brand=order.channel_brand,
        status=order.status,
        subtotal_fen=subtotal,
        discount_fen=discount,
        total_fen=subtotal - discount,
        coupon_id=order.coupon_id,
        coupon_brand=order.coupon_brand,
        coupon_claim=None if order.status == CANCELLED else order.coupon_id,
        address_id=address.id,
        ship_recipient=address.recipient,
        ship_phone=address.phone,
        ship_region=address.region,
        ship_city=address.city,
        ship_line1=address.line1,
        ship_postal_code=address.postal_code,
        payment_method_id=order.payment_method_id,
        payment_status=(
            UNPAID if order.paid_at is None else REFUNDED if order.status == REFUNDED else PAID
        ),
        placed_at=placed,
        paid_at=None if order.paid_at is None else as_utc(order.paid_at),
        refunded_at=dict(history).get(REFUNDED),
    )
    session.add(row)
    session.add_all(lines)
    for status, at in history:
        session.add(StatusChange(order_id=order.id, status=status, actor="import", at=at))
    for line in lines:
        session.add(
            CartAdd(
                member_id=order.member_id,
                sku_id=line.sku_id,
                sku_brand=line.brand,
                quantity=line.quantity,
                source_kind=line.source_kind,
                source_id=line.source_id,
                source_brand=line.source_brand,
                added_at=placed - CART_LEAD,
                order_id=order.id,
                closed=True,
            )
        )
    if record_events:
        _record(session, row, lines, history)


def _record(session: AsyncSession, order: Order, lines: list[OrderLine], history) -> None:
    if order.paid_at is not None:
        record_event(
            session,
            service.ORDER_PAID,
            service.paid_payload(order, lines),
            event_id=f"order:{order.id}:paid",
        )
    if order.status == CANCELLED:
        record_event(
            session,
            lifecycle.ORDER_CANCELLED,
            {"orderId": order.id, "memberId": order.member_id, "couponId": order.coupon_id},
            event_id=f"order:{order.id}:cancelled",
        )
    if order.status == REFUNDED:
        refunded_at = dict(history)[REFUNDED]
        record_event(
            session,
            lifecycle.ORDER_REFUNDED,
            {
                "orderId": order.id,
                "memberId": order.member_id,
                "refundedAt": refunded_at.isoformat(),
                "amountFen": order.total_fen,
            },
            event_id=f"order:{order.id}:refunded",
        )
