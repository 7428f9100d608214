"""The `content-<brand>` consumer of `member.erased`: impressions deleted and
`erasure.completed` recorded in one transaction, once per event."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from subgraphs.common.bus import InProcessBus
from subgraphs.common.events import Event, OutboxEvent
from subgraphs.content.app import create_app
from subgraphs.content.models import Impression

from .conftest import BRAND, NOW


def erased(member_id: str, request_id: str) -> Event:
    return Event(
        id=f"member:{member_id}:erased:{request_id}",
        topic="member.erased",
        payload={"memberId": member_id, "requestId": request_id},
        occurred_at=NOW.isoformat(),
    )


async def test_erasure_deletes_impressions_and_reports_once(app, database_url):
    async with app.state.database.session() as session:
        session.add_all(
            [
                Impression(member_id="mbr_a", placement_id="XB-1", shown_at=NOW),
                Impression(member_id="mbr_a", placement_id="XB-7", shown_at=NOW - timedelta(1)),
                Impression(member_id="mbr_b", placement_id="XB-1", shown_at=NOW),
            ]
        )
        await session.commit()
    bus = InProcessBus()
    delivered: list[Event] = []

    async def collect(event: Event) -> None:
        delivered.append(event)

    await bus.subscribe("test-erasures", ["erasure.completed"], collect)
    consumer = create_app(BRAND, database_url, bus=bus)
    assert [s.consumer for s in consumer.state.events.subscriptions] == ["content-lumen"]
    await consumer.state.events.start()
    try:
        await bus.publish(erased("mbr_a", "req-1"))
        await bus.drain()
        handler = consumer.state.events.subscriptions[0].handler
        await handler(erased("mbr_a", "req-1"))  # a redelivery changes nothing twice
        await consumer.state.events.relay.publish_pending()
        await bus.drain()
    finally:
        await bus.unsubscribe("test-erasures")
        await consumer.state.events.stop()
        await consumer.state.database.dispose()
    assert [e.id for e in delivered] == ["erasure:req-1:content:lumen"]
    async with app.state.database.session() as session:
        left = (await session.exec(select(Impression.member_id))).all()
        events = (await session.exec(select(OutboxEvent))).all()
    assert left == ["mbr_b"]
    assert [(e.topic, e.payload) for e in events] == [
        (
            "erasure.completed",
            {"memberId": "mbr_a", "requestId": "req-1", "participant": "content:lumen"},
        )
    ]
    assert events[0].event_id == "erasure:req-1:content:lumen"  # unique per brand on the bus


async def test_erasure_of_a_member_without_impressions_still_reports(app, database_url):
    consumer = create_app(BRAND, database_url, bus=InProcessBus())
    try:
        await consumer.state.events.subscriptions[0].handler(erased("mbr_z", "req-9"))
    finally:
        await consumer.state.database.dispose()
    async with app.state.database.session() as session:
        events = (await session.exec(select(OutboxEvent))).all()
    assert [e.payload["participant"] for e in events] == ["content:lumen"]
