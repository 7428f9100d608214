"""The catalogue's event consumer: `catalogue-<brand>` takes paid quantities off the stock.

Each brand's deployment consumes every `order.paid` under its own durable name and applies only
its own brand's lines; `handle_once` makes a redelivered event change nothing twice.
"""

from __future__ import annotations

from subgraphs.common.database import Database
from subgraphs.common.event_runtime import Subscription
from subgraphs.common.events import Event, handle_once

from . import service


def consumer_name(brand: str) -> str:
    return f"catalogue-{brand}"


def subscriptions(brand: str, database: Database) -> list[Subscription]:
    consumer = consumer_name(brand)

    async def on_order_paid(event: Event) -> None:
        async with database.session() as session:
            await handle_once(
                session,
                consumer,
                event,
                lambda s: service.apply_paid_order(s, brand, event.payload),
            )

    return [Subscription(consumer, (service.ORDER_PAID,), on_order_paid)]
