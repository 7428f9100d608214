"""`MemberEventRuntime`: the foundation's `EventRuntime` (outbox relay, consumer "member") plus
the periodic erasure retry, started and stopped with it (that is, with the app's lifespan:
`create_subgraph_app` has no startup hook of its own).

`await runtime.retry_erasures()` runs one retry pass now (tests, the dev command, cron).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from subgraphs.common.bus import EventBus
from subgraphs.common.database import Database
from subgraphs.common.event_runtime import EventRuntime

from .consumers import subscriptions
from .erasure import retry_incomplete_erasures
from .settings import MemberSettings

log = logging.getLogger("brand_matrix.member")


class MemberEventRuntime(EventRuntime):
    def __init__(
        self,
        database: Database,
        settings: MemberSettings,
        *,
        bus: EventBus | None = None,
        poll_seconds: float = 0.1,
    ) -> None:
        super().__init__(
            database, bus=bus, subscriptions=subscriptions(database), poll_seconds=poll_seconds
        )
        self.database = database
        self.settings = settings
        self._retry_task: asyncio.Task[None] | None = None

    async def retry_erasures(self) -> int:
        """Re-announce incomplete erasures older than the configured delay; how many."""
        async with self.database.session() as session:
            count = await retry_incomplete_erasures(session, self.settings.erasure_retry_after)
        if count:
            self.relay.notify()
        return count

    async def start(self) -> None:
        await super().start()
        if self._retry_task is None and self.settings.erasure_retry_every_seconds > 0:
            self._retry_task = asyncio.create_task(self._retry_loop(), name="member-erasure-retry")

    async def stop(self) -> None:
        task, self._retry_task = self._retry_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await super().stop()

    async def _retry_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.erasure_retry_every_seconds)
            try:
                await self.retry_erasures()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("erasure retry failed; trying again later")
