"""The order event consumer (durable name `order`): the member and catalogue replicas and
member.erased, each applied once per event id (`handle_once`)."""

from __future__ import annotations

from subgraphs.common.database import Database
from subgraphs.common.event_runtime import Subscription
from subgraphs.common.events import Event, handle_once

from . import erasure, replicas

CONSUMER = "order"
REPLICA_TOPICS = (
    replicas.ADDRESS_SAVED,
    replicas.ADDRESS_REMOVED,
    replicas.PAYMENT_METHOD_SAVED,
    replicas.PAYMENT_METHOD_REMOVED,
    replicas.SKU_CHANGED,
)
TOPICS = (*REPLICA_TOPICS, erasure.MEMBER_ERASED)


def subscriptions(database: Database) -> list[Subscription]:
    async def handle(event: Event) -> None:
        if event.topic not in TOPICS:
            return
        payload = event.payload
        if event.topic == erasure.MEMBER_ERASED:
            operation = lambda s: erasure.erase_member(s, payload)  # noqa: E731
        else:
            operation = lambda s: replicas.apply_event(s, event.topic, payload)  # noqa: E731
        async with database.session() as session:
            await handle_once(session, CONSUMER, event, operation)

    return [Subscription(CONSUMER, TOPICS, handle)]
