"""Event helpers for the loyalty tests: payloads as the order and member subgraphs publish
them, and direct delivery to the `loyalty` consumer (a redelivery is delivering again)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import select

from subgraphs.common.events import Event, OutboxEvent

NOW = datetime.now(UTC).replace(microsecond=0)
DAY = timedelta(days=1)


def line(brand: str, amount_fen: int, category: str | None = None) -> dict[str, Any]:
    return {
        "brand": brand,
        "productId": f"{brand}:P-1",
        "skuId": f"{brand}:SKU-1",
        "categoryId": category,
        "quantity": 1,
        "amountFen": amount_fen,
        "source": None,
    }


def paid(
    order_id: str,
    member_id: str,
    lines: list[dict[str, Any]],
    *,
    coupon_id: str | None = None,
    paid_at: datetime | None = None,
) -> Event:
    at = (paid_at or NOW - DAY).isoformat()
    payload = {
        "orderId": order_id,
        "memberId": member_id,
        "channelBrand": lines[0]["brand"] if lines else "lumen",
        "paidAt": at,
        "totalFen": sum(item["amountFen"] for item in lines),
        "couponId": coupon_id,
        "lines": lines,
    }
    return Event(f"order:{order_id}:paid", "order.paid", payload, at)


def cancelled(order_id: str, member_id: str, coupon_id: str | None) -> Event:
    payload = {"orderId": order_id, "memberId": member_id, "couponId": coupon_id}
    return Event(f"order:{order_id}:cancelled", "order.cancelled", payload, NOW.isoformat())


def refunded(order_id: str, member_id: str, amount_fen: int = 0) -> Event:
    payload = {
        "orderId": order_id,
        "memberId": member_id,
        "refundedAt": NOW.isoformat(),
        "amountFen": amount_fen,
    }
    return Event(f"order:{order_id}:refunded", "order.refunded", payload, NOW.isoformat())


def erased(member_id: str, request_id: str = "req-1") -> Event:
    payload = {"memberId": member_id, "requestId": request_id}
    return Event(f"member:{member_id}:erased", "member.erased", payload, NOW.isoformat())


async def deliver(app, *events: Event) -> None:
    """Hand each event to the loyalty consumer's handler, as the bus does."""
    (subscription,) = app.state.events.subscriptions
    assert subscription.consumer == "loyalty"
    for event in events:
        assert event.topic in subscription.topics
        await subscription.handler(event)


async def outbox(app) -> list[tuple[str, str, dict[str, Any]]]:
    async with app.state.database.session() as session:
        rows = (await session.exec(select(OutboxEvent).order_by(OutboxEvent.position))).all()
    return [(row.event_id, row.topic, row.payload) for row in rows]
