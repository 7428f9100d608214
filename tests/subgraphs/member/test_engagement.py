from __future__ import annotations

from subgraphs.common.events import Event
from subgraphs.member.consumers import CONSUMER

from .conftest import data, operator_token, sign_in

ENGAGEMENT = (
    "{ me { engagement { firstSeenAt ordersCount lastOrderAt brandsUsed brandsPurchased "
    "categoriesPurchased } } }"
)


def paid(order_id: str, member_id: str, paid_at: str, lines: list[tuple[str, str]]) -> Event:
    return Event(
        id=f"order:{order_id}:paid",
        topic="order.paid",
        payload={
            "orderId": order_id,
            "memberId": member_id,
            "channelBrand": "lumen",
            "paidAt": paid_at,
            "totalFen": 1000,
            "couponId": None,
            "lines": [
                {
                    "brand": b,
                    "productId": f"{b}:P",
                    "skuId": f"{b}:S",
                    "categoryId": c,
                    "quantity": 1,
                    "amountFen": 1000,
                    "source": None,
                }
                for b, c in lines
            ],
        },
        occurred_at=paid_at,
    )


async def test_paid_orders_build_engagement_once_per_event(app, bus):
    a = await sign_in(app, "oUnionA", "oA", "lumen")
    await sign_in(app, "oUnionA", "oAur", "aurora")
    token, member_id = a["accessToken"], a["member"]["id"]
    fresh = (await data(app, ENGAGEMENT, token=token))["me"]["engagement"]
    assert fresh["ordersCount"] == 0 and fresh["lastOrderAt"] is None
    assert fresh["brandsUsed"] == ["lumen", "aurora"] and fresh["brandsPurchased"] == []

    await app.state.events.start()
    first = paid("1", member_id, "2026-11-01T10:00:00+00:00", [("lumen", "skincare")])
    later = paid(
        "2", member_id, "2026-11-05T10:00:00+00:00", [("vitalis", "vitamins"), ("lumen", "makeup")]
    )
    for event in (later, first):  # out of order
        await bus.publish(event)
    await bus.drain()
    handler = app.state.events.subscriptions[0].handler
    for event in (first, later):  # redelivered (at-least-once)
        await handler(event)
    await bus.drain()
    engagement = (await data(app, ENGAGEMENT, token=token))["me"]["engagement"]
    assert engagement["ordersCount"] == 2
    assert engagement["lastOrderAt"].startswith("2026-11-05T10:00:00")
    assert engagement["brandsPurchased"] == ["lumen", "vitalis"]
    assert engagement["categoriesPurchased"] == ["makeup", "skincare", "vitamins"]
    assert engagement["firstSeenAt"] == fresh["firstSeenAt"]


async def test_orders_of_unknown_or_erased_members_and_malformed_events_change_nothing(app, bus):
    from subgraphs.common.events import handle_once
    from subgraphs.member.engagement import apply_paid_order

    a = await sign_in(app, "oUnionA", "oA")
    member_id = a["member"]["id"]
    erase = "mutation($m: ID!) { eraseMember(memberId: $m) { id } }"
    await data(app, erase, {"m": member_id}, token=operator_token())
    events = [
        paid("1", member_id, "2026-11-01T10:00:00Z", [("lumen", "skincare")]),
        paid("2", "mbr_unknown", "2026-11-01T10:00:00Z", [("lumen", "skincare")]),
        Event("order:3:paid", "order.paid", {"orderId": "3"}, "2026-11-01T10:00:00Z"),
        Event("order:4:paid", "order.paid", {"memberId": member_id, "lines": "x"}, "t"),
    ]
    async with app.state.database.session() as session:
        for event in events:
            await handle_once(
                session, CONSUMER, event, lambda s, e=event: apply_paid_order(s, e.payload)
            )
        from sqlmodel import select

        from subgraphs.member.models import Engagement

        assert (await session.exec(select(Engagement))).all() == []
