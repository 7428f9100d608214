"""What loyalty does when other subgraphs' events arrive (run by `consumers.py` through
`handle_once`, so each function writes inside the consumer's transaction and runs once per
event).

- `order.paid`: per brand of the order's lines, points at the (brand, category) earning rate of
  each line (rounded down per line, summed per brand), one ledger entry per order and brand
  (key `order:<orderId>:<brand>`, dated `paidAt`), an `OrderEarning` row (spend and points);
  then the coupon rules of those brands; then the order's `couponId` becomes REDEEMED.
- `order.cancelled`: the order's reserved coupon is AVAILABLE again.
- `order.refunded`: the order's earned points are reversed (`service.reverse_points`: never
  below zero; shortfall recorded) and its spend stops counting towards coupon rules. The whole
  order's points are reversed whatever `amountFen` says (orders are refunded whole); a second
  refund event for the order changes nothing. Announced as `loyalty.points.reversed`
  {orderId, memberId, reversed, shortfall}.
- `member.erased`: the member's ledger entries, account, order earnings and coupons are
  deleted, and `erasure.completed` {memberId, requestId, participant: "loyalty"} is recorded in
  the same transaction.

A malformed event is logged and skipped (raising would redeliver it forever and hold up the
consumer's later events).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import transaction
from subgraphs.common.events import EVENT_ID_LENGTH, record_event

from . import coupons, service
from .models import ORDER_ID_LENGTH, OrderEarning, utcnow
from .settings import BRAND_ID, LoyaltySettings

log = logging.getLogger("brand_matrix.loyalty")

ORDER_PAID = "order.paid"
ORDER_CANCELLED = "order.cancelled"
ORDER_REFUNDED = "order.refunded"
MEMBER_ERASED = "member.erased"
ERASURE_COMPLETED = "erasure.completed"
POINTS_REVERSED = "loyalty.points.reversed"
PARTICIPANT = "loyalty"


class BadEvent(ValueError):
    pass


def event_id(*parts: str) -> str:
    """A deterministic event id; hashed when the parts would not fit the column."""
    text = ":".join(parts)
    if len(text) <= EVENT_ID_LENGTH:
        return text
    return f"{parts[0]}:{hashlib.sha256(text.encode()).hexdigest()[:48]}"


def _text(payload: Mapping[str, Any], name: str, limit: int = ORDER_ID_LENGTH) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise BadEvent(f"{name} must be a string of 1 to {limit} characters")
    return value


def _moment(payload: Mapping[str, Any], name: str) -> datetime | None:
    value = payload.get(name)
    if value is None:
        return None
    try:
        return service.as_utc(datetime.fromisoformat(str(value)))
    except ValueError:
        raise BadEvent(f"{name} must be an ISO 8601 time") from None


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadEvent(f"{name} must be a non-negative integer")
    return value


def points_by_brand(lines: Any, settings: LoyaltySettings) -> dict[str, tuple[int, int]]:
    """brand -> (amount fen, points) of an order's lines, in first-seen brand order."""
    if not isinstance(lines, list):
        raise BadEvent("lines must be a list")
    totals: dict[str, tuple[int, int]] = {}
    for line in lines:
        if not isinstance(line, Mapping):
            raise BadEvent("each line must be an object")
        brand = line.get("brand")
        if not isinstance(brand, str) or not BRAND_ID.match(brand):
            raise BadEvent(f"invalid line brand {brand!r}")
        category = line.get("categoryId")
        category = category if isinstance(category, str) and category else None
        amount = _count(line.get("amountFen"), "amountFen")
        points = settings.earning.points_for(brand, category, amount)
        spent, earned = totals.get(brand, (0, 0))
        totals[brand] = (spent + amount, earned + points)
    return totals


async def apply_paid_order(
    session: AsyncSession, payload: Mapping[str, Any], settings: LoyaltySettings
) -> None:
    try:
        order_id = _text(payload, "orderId")
        member_id = _text(payload, "memberId")
        paid_at = _moment(payload, "paidAt") or utcnow()
        totals = points_by_brand(payload.get("lines"), settings)
        coupon_id = payload.get("couponId")
    except BadEvent as error:
        log.error("skipping a malformed order.paid event: %s", error)
        return
    recorded = set(
        (
            await session.exec(select(OrderEarning.brand).where(OrderEarning.order_id == order_id))
        ).all()
    )
    for brand, (amount, points) in totals.items():
        if brand in recorded:  # the same order announced twice under another event id
            continue
        session.add(
            OrderEarning(
                order_id=order_id,
                brand=brand,
                member_id=member_id,
                amount_fen=amount,
                points=points,
                paid_at=paid_at,
            )
        )
        if points > 0:
            await service.post_earn(
                session, member_id, brand, points, f"order:{order_id}:{brand}",
                reason=f"order {order_id}", settings=settings, now=paid_at,
            )  # fmt: skip
    await session.flush()
    await coupons.issue_by_rules(session, member_id, totals, settings, now=paid_at)
    if isinstance(coupon_id, str) and coupon_id:
        await coupons.redeem_for_order(session, member_id, coupon_id, order_id)


async def apply_cancelled_order(session: AsyncSession, payload: Mapping[str, Any]) -> None:
    coupon_id = payload.get("couponId")
    if not coupon_id:
        return
    try:
        member_id = _text(payload, "memberId")
    except BadEvent as error:
        log.error("skipping a malformed order.cancelled event: %s", error)
        return
    await coupons.release_for_order(session, member_id, str(coupon_id))


async def apply_refunded_order(
    session: AsyncSession, payload: Mapping[str, Any], *, now: datetime | None = None
) -> list[service.Reversal]:
    try:
        order_id = _text(payload, "orderId")
        member_id = _text(payload, "memberId")
        refunded_at = _moment(payload, "refundedAt")
    except BadEvent as error:
        log.error("skipping a malformed order.refunded event: %s", error)
        return []
    now = service.as_utc(now or utcnow())
    rows = (
        await session.exec(
            select(OrderEarning)
            .where(
                OrderEarning.order_id == order_id,
                OrderEarning.member_id == member_id,
                col(OrderEarning.refunded_at).is_(None),
            )
            .order_by(col(OrderEarning.brand))
        )
    ).all()
    if not rows:
        return []
    reversals = await service.reverse_points(
        session, member_id, [(row.brand, row.points) for row in rows],
        f"order:{order_id}:refund", reason=f"refund of order {order_id}", now=now,
    )  # fmt: skip
    for row in rows:
        row.refunded_at = refunded_at or now
        session.add(row)
    record_event(
        session,
        POINTS_REVERSED,
        {
            "orderId": order_id,
            "memberId": member_id,
            "reversed": sum(r.reversed for r in reversals),
            "shortfall": sum(r.shortfall for r in reversals),
        },
        event_id=event_id("order", order_id, "points-reversed"),
    )
    await session.flush()
    return reversals


async def erase_member(session: AsyncSession, payload: Mapping[str, Any]) -> None:
    try:
        member_id = _text(payload, "memberId")
        request_id = _text(payload, "requestId", 200)
    except BadEvent as error:
        log.error("skipping a malformed member.erased event: %s", error)
        return
    await service.erase_ledger(session, member_id)
    await coupons.erase_coupons(session, member_id)
    await session.exec(  # type: ignore[call-overload]
        sa.delete(OrderEarning).where(col(OrderEarning.member_id) == member_id)
    )
    record_event(
        session,
        ERASURE_COMPLETED,
        {"memberId": member_id, "requestId": request_id, "participant": PARTICIPANT},
        event_id=event_id("erasure", request_id, PARTICIPANT),
    )


async def import_paid_orders(
    session: AsyncSession, payloads: Iterable[Mapping[str, Any]], settings: LoyaltySettings
) -> None:
    """Apply many historical `order.paid` payloads in one transaction (commits), as the
    consumer would (earn, coupon rules, coupon redeemed), without going through the bus: the
    demo seed's bulk path. Safe to repeat, and safe if the same orders' events arrive later
    (each order and brand earns once; a rule issues once per member)."""
    async with transaction(session):
        for payload in payloads:
            await apply_paid_order(session, payload, settings)
