"""The member subgraph's event consumer "member": `order.paid` -> engagement,
`erasure.completed` -> erasure progress. `handle_once` makes redeliveries change nothing twice.
"""

from __future__ import annotations

from subgraphs.common.database import Database
from subgraphs.common.event_runtime import Subscription
from subgraphs.common.events import Event, handle_once

from .engagement import ORDER_PAID, apply_paid_order
from .erasure import ERASURE_COMPLETED, complete_participant

CONSUMER = "member"


def subscriptions(database: Database) -> list[Subscription]:
    async def on_event(event: Event) -> None:
        if event.topic == ORDER_PAID:
            operation = apply_paid_order
        elif event.topic == ERASURE_COMPLETED:
            operation = complete_participant
        else:
            return
        async with database.session() as session:
            await handle_once(session, CONSUMER, event, lambda s: operation(s, event.payload))

    return [Subscription(CONSUMER, (ORDER_PAID, ERASURE_COMPLETED), on_event)]
