"""Order status changes after placement: PLACED -> CANCELLED; PAID -> SHIPPED -> DELIVERED;
PAID / SHIPPED / DELIVERED -> REFUNDED. (PLACED -> PAID happens by payment, `service.py`.)

Each change is one conditional UPDATE (`... WHERE status IN (allowed)`), so two racing changes
cannot both apply; the loser gets INVALID_ORDER_STATE. The history row and the event
(`order.cancelled`, `order.refunded`, deterministic ids) commit with the change. A refund
calls the payment provider first, with the key `order:<id>:refund`: repeated or racing
refunds refund the charge once.

Who may do what is checked by the schema's resolvers before these run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import transaction
from subgraphs.common.events import record_event

from .errors import InvalidState, NotFound, as_utc
from .models import (
    CANCELLED,
    DELIVERED,
    PAID,
    PLACED,
    REFUNDED,
    SHIPPED,
    Order,
    StatusChange,
    utcnow,
)
from .payments import PaymentProvider
from .service import get_order

ORDER_CANCELLED = "order.cancelled"
ORDER_REFUNDED = "order.refunded"

ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    CANCELLED: (PLACED,),
    SHIPPED: (PAID,),
    DELIVERED: (SHIPPED,),
    REFUNDED: (PAID, SHIPPED, DELIVERED),
}


async def _change(
    session: AsyncSession,
    order_id: str,
    to: str,
    actor: str,
    values: dict[str, Any] | None = None,
) -> Order:
    """Inside the caller's transaction: move the order to `to` if its status allows."""
    allowed: Sequence[str] = ALLOWED_FROM[to]
    now = utcnow()
    result = await session.exec(  # type: ignore[call-overload]
        sa.update(Order)
        .where(col(Order.id) == order_id, col(Order.status).in_(allowed))
        .values(status=to, **(values or {}))
    )
    order = await get_order(session, order_id)
    if order is None:
        raise NotFound(f"no order {order_id!r}")
    if not result.rowcount:
        raise InvalidState(
            f"order {order_id} is {order.status}; it can become {to} only from "
            + " or ".join(allowed)
        )
    session.add(StatusChange(order_id=order_id, status=to, actor=actor, at=now))
    await session.flush()
    return order


async def cancel(session: AsyncSession, order_id: str, actor: str) -> Order:
    """PLACED -> CANCELLED; the coupon is free again (`order.cancelled`). Commits."""
    async with transaction(session):
        order = await _change(session, order_id, CANCELLED, actor, {"coupon_claim": None})
        record_event(
            session,
            ORDER_CANCELLED,
            {"orderId": order.id, "memberId": order.member_id, "couponId": order.coupon_id},
            event_id=f"order:{order.id}:cancelled",
        )
    return order


async def ship(session: AsyncSession, order_id: str, actor: str) -> Order:
    async with transaction(session):
        return await _change(session, order_id, SHIPPED, actor)


async def deliver(session: AsyncSession, order_id: str, actor: str) -> Order:
    async with transaction(session):
        return await _change(session, order_id, DELIVERED, actor)


async def refund(
    session: AsyncSession, provider: PaymentProvider, order_id: str, actor: str
) -> Order:
    """Refund the whole order through the provider, then -> REFUNDED with `order.refunded`.
    Commits."""
    order = await get_order(session, order_id)
    if order is None:
        raise NotFound(f"no order {order_id!r}")
    charge_id, amount, status = order.charge_id, order.total_fen, order.status
    await session.rollback()  # no transaction held open across the provider's call
    if status not in ALLOWED_FROM[REFUNDED]:
        raise InvalidState(f"order {order_id} is {status}; only a paid order can be refunded")
    if charge_id and amount > 0:
        await provider.refund(charge_id, amount, f"order:{order_id}:refund")
    now = utcnow()
    async with transaction(session):
        values = {"payment_status": REFUNDED, "refunded_at": now}
        order = await _change(session, order_id, REFUNDED, actor, values)
        record_event(
            session,
            ORDER_REFUNDED,
            {
                "orderId": order.id,
                "memberId": order.member_id,
                "refundedAt": as_utc(now).isoformat(),
                "amountFen": order.total_fen,
            },
            event_id=f"order:{order.id}:refunded",
        )
    return order
