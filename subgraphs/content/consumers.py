"""The content's event consumer: `content-<brand>` erases a member's impressions.

Each brand's deployment consumes every `member.erased` under its own durable name and reports
`erasure.completed` (participant `content:<brand>`) in the same transaction as the deletion;
`handle_once` makes a redelivered event change nothing twice.
"""

from __future__ import annotations

from subgraphs.common.database import Database
from subgraphs.common.event_runtime import Subscription
from subgraphs.common.events import Event, handle_once

from . import placements


def consumer_name(brand: str) -> str:
    return f"content-{brand}"


def subscriptions(brand: str, database: Database) -> list[Subscription]:
    consumer = consumer_name(brand)

    async def on_member_erased(event: Event) -> None:
        async with database.session() as session:
            await handle_once(
                session,
                consumer,
                event,
                lambda s: placements.erase_member(s, brand, event.payload),
            )

    return [Subscription(consumer, (placements.MEMBER_ERASED,), on_member_erased)]
