"""`OutboxRelay`: publishes a database's committed outbox events to the bus, in order.

An event is marked published only after the bus accepted it, so a crash between the two
publishes it again on the next start (the bus de-duplicates by event id; consumers by
`handle_once`). Several relays on one database (replicas) are safe for the same reason; on
PostgreSQL they take turns (a transaction-scoped advisory lock per schema), which keeps the
order across replicas.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

import sqlalchemy as sa

from .bus import EventBus, retry_delay
from .database import Database, is_sqlite
from .events import Event, OutboxEvent

log = logging.getLogger("brand_matrix.relay")


class OutboxRelay:
    def __init__(
        self, database: Database, bus: EventBus, *, poll_seconds: float = 0.1, batch: int = 200
    ) -> None:
        self.database = database
        self.bus = bus
        self.poll_seconds = poll_seconds
        self.batch = batch
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False

    async def publish_pending(self) -> int:
        """Publish every committed, unpublished event now; the number published."""
        total = 0
        while True:
            count = await self._publish_batch()
            total += count
            if count < self.batch:
                return total

    async def _publish_batch(self) -> int:
        async with self.database.session() as session:
            query = (
                sa.select(OutboxEvent)
                .where(OutboxEvent.published_at.is_(None))  # type: ignore[union-attr]
                .order_by(OutboxEvent.position)
                .limit(self.batch)
            )
            if not is_sqlite(self.database.url):
                # One relay at a time per schema: with SKIP LOCKED alone, a second relay would
                # publish the next batch while the first still publishes earlier events (out of
                # order). Waiting for the lock, it then sees the first one's marks.
                await session.exec(
                    sa.select(
                        sa.func.pg_advisory_xact_lock(
                            sa.func.hashtext(sa.func.current_schema() + ".outbox_events")
                        )
                    )
                )
                query = query.with_for_update(skip_locked=True)
            rows = (await session.exec(query)).scalars().all()
            published = []
            try:
                for row in rows:
                    await self.bus.publish(Event.of_row(row))
                    published.append(row.position)
            finally:
                if published:
                    await session.exec(
                        sa.update(OutboxEvent)
                        .where(OutboxEvent.position.in_(published))  # type: ignore[union-attr]
                        .values(published_at=datetime.now(UTC))
                    )
                await session.commit()
            return len(rows)

    def notify(self) -> None:
        """Publish soon (call after committing an event)."""
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop after the batch in hand: cancelled mid-batch, a relay would lose the marks of
        what it had published (its events would be published again). Cancelled after
        `timeout` (a bus that hangs)."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        finally:
            self._stopping = False

    async def _run(self) -> None:
        failures = 0
        while not self._stopping:
            try:
                await self.publish_pending()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception:
                failures += 1
                log.exception("outbox relay of %s failed; retrying", self.database.url)
                delay = retry_delay(failures)
            else:
                delay = self.poll_seconds
            if self._stopping:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)
            self._wake.clear()
