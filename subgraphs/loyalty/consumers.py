"""The loyalty event consumer (durable name `loyalty`): order.paid, order.cancelled,
order.refunded and member.erased, each applied once per event id (`handle_once`) by
`effects.py`."""

from __future__ import annotations

from subgraphs.common.database import Database
from subgraphs.common.event_runtime import Subscription
from subgraphs.common.events import Event, handle_once

from . import effects
from .settings import LoyaltySettings

CONSUMER = "loyalty"
TOPICS = (
    effects.ORDER_PAID,
    effects.ORDER_CANCELLED,
    effects.ORDER_REFUNDED,
    effects.MEMBER_ERASED,
)


def subscriptions(database: Database, settings: LoyaltySettings) -> list[Subscription]:
    def operation(event: Event):
        payload = event.payload
        if event.topic == effects.ORDER_PAID:
            return lambda s: effects.apply_paid_order(s, payload, settings)
        if event.topic == effects.ORDER_CANCELLED:
            return lambda s: effects.apply_cancelled_order(s, payload)
        if event.topic == effects.ORDER_REFUNDED:
            return lambda s: effects.apply_refunded_order(s, payload)
        return lambda s: effects.erase_member(s, payload)

    async def handle(event: Event) -> None:
        if event.topic not in TOPICS:
            return
        async with database.session() as session:
            await handle_once(session, CONSUMER, event, operation(event))

    return [Subscription(CONSUMER, TOPICS, handle)]
