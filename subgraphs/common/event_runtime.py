"""`EventRuntime`: a subgraph's outbox relay and event consumers, started with its app.

`create_subgraph_app(..., events=EventRuntime(database, subscriptions=[...]))` starts the relay
and subscribes the consumers when the app starts (ASGI lifespan) and stops them at shutdown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .bus import EventBus, Handler, InProcessBus, bus_from_env
from .database import Database
from .relay import OutboxRelay


@dataclass(frozen=True)
class Subscription:
    consumer: str  # durable name: unique per subgraph deployment (e.g. "catalogue-lumen")
    topics: tuple[str, ...]
    handler: Handler


class EventRuntime:
    def __init__(
        self,
        database: Database,
        *,
        bus: EventBus | None = None,
        subscriptions: Iterable[Subscription] = (),
        poll_seconds: float = 0.1,
    ) -> None:
        self.bus = bus if bus is not None else bus_from_env()
        # A NATS connection made here is this runtime's to close; a bus passed in (or the
        # shared in-process one) belongs to the caller and other subgraphs.
        self._owns_bus = bus is None and not isinstance(self.bus, InProcessBus)
        self.relay = OutboxRelay(database, self.bus, poll_seconds=poll_seconds)
        self.subscriptions = list(subscriptions)
        self._started = False

    async def start(self) -> None:
        if self._started:
            return
        self._started = True
        try:
            self.relay.start()
            for subscription in self.subscriptions:
                await self.bus.subscribe(
                    subscription.consumer, subscription.topics, subscription.handler
                )
        except BaseException:
            await self.stop()  # no relay or consumer left running after a failed start
            raise

    async def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        for subscription in self.subscriptions:
            await self.bus.unsubscribe(subscription.consumer)
        await self.relay.stop()
        if self._owns_bus:
            await self.bus.close()
