from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from subgraphs.common import bus as bus_module
from subgraphs.common.bus import InProcessBus
from subgraphs.common.database import Database, is_sqlite
from subgraphs.common.events import Event, OutboxEvent, ProcessedEvent, record_event
from subgraphs.common.relay import OutboxRelay


class RecordingBus(InProcessBus):
    """An in-process bus remembering every publish call; `fail_after` makes it raise."""

    def __init__(self, fail_after: int | None = None, delay: float = 0.0) -> None:
        super().__init__()
        self.calls: list[str] = []
        self.fail_after = fail_after
        self.delay = delay

    async def publish(self, event: Event) -> None:
        if self.fail_after is not None and len(self.calls) >= self.fail_after:
            raise ConnectionError("the bus is down")
        self.calls.append(event.id)
        if self.delay:
            await asyncio.sleep(self.delay)
        await super().publish(event)

    @property
    def published(self) -> list[str]:
        return [event.id for event in self._log]


@pytest.fixture
async def edb(database_url):
    database = Database(database_url)
    await database.create_tables(OutboxEvent, ProcessedEvent)
    try:
        yield database
    finally:
        await database.dispose()


async def record(database: Database, *ids: str, topic: str = "t") -> None:
    async with database.transaction() as session:
        for event_id in ids:
            record_event(session, topic, {"id": event_id}, event_id=event_id)


async def unpublished(database: Database) -> list[str]:
    async with database.session() as session:
        query = (
            select(OutboxEvent.event_id)
            .where(OutboxEvent.published_at.is_(None))  # type: ignore[union-attr]
            .order_by(OutboxEvent.position)
        )
        return list((await session.exec(query)).all())


async def test_publishes_committed_events_in_order_and_marks_them(edb):
    bus = RecordingBus()
    await record(edb, "a", "b")
    await record(edb, "c")
    relay = OutboxRelay(edb, bus)
    assert await relay.publish_pending() == 3
    assert bus.published == ["a", "b", "c"]
    assert await unpublished(edb) == []
    assert await relay.publish_pending() == 0
    assert bus.calls == ["a", "b", "c"]  # nothing published twice
    [event] = [e for e in bus._log if e.id == "b"]
    assert event.topic == "t" and event.payload == {"id": "b"}
    assert event.occurred_at.endswith("+00:00")


async def test_batches(edb):
    bus = RecordingBus()
    ids = [f"e{n:03}" for n in range(25)]
    await record(edb, *ids)
    assert await OutboxRelay(edb, bus, batch=10).publish_pending() == 25
    assert bus.published == ids


async def test_uncommitted_events_are_not_published(edb):
    bus = RecordingBus()
    relay = OutboxRelay(edb, bus)
    async with edb.session() as session:
        record_event(session, "t", {}, event_id="pending")
        await session.flush()
        assert await relay.publish_pending() == 0
        await session.rollback()
    assert bus.published == [] and await unpublished(edb) == []


async def test_the_running_relay_publishes_events_committed_after_start(edb):
    bus = RecordingBus()
    relay = OutboxRelay(edb, bus, poll_seconds=0.02)
    relay.start()
    relay.start()  # idempotent
    try:
        await record(edb, "later-1")
        await record(edb, "later-2")
        relay.notify()
        for _ in range(500):
            if len(bus.published) == 2:
                break
            await asyncio.sleep(0.01)
        assert bus.published == ["later-1", "later-2"]
    finally:
        await relay.stop()
    assert relay._task is None
    await record(edb, "after-stop")
    await asyncio.sleep(0.1)
    assert bus.published == ["later-1", "later-2"]
    assert await unpublished(edb) == ["after-stop"]
    await relay.stop()  # stopping twice is harmless


async def test_a_bus_failure_loses_nothing(edb):
    await record(edb, "a", "b", "c", "d")
    broken = RecordingBus(fail_after=2)
    with pytest.raises(ConnectionError):
        await OutboxRelay(edb, broken).publish_pending()
    assert broken.published == ["a", "b"]
    assert await unpublished(edb) == ["c", "d"]  # what the bus accepted is marked, no more

    bus = RecordingBus()
    assert await OutboxRelay(edb, bus).publish_pending() == 2
    assert bus.published == ["c", "d"]
    assert await unpublished(edb) == []


async def test_the_running_relay_retries_after_a_bus_failure(edb, monkeypatch):
    monkeypatch.setattr(bus_module, "RETRY_BASE_SECONDS", 0.01)
    monkeypatch.setattr(bus_module, "RETRY_MAX_SECONDS", 0.02)
    bus = RecordingBus(fail_after=0)
    relay = OutboxRelay(edb, bus, poll_seconds=0.02)
    await record(edb, "a", "b")
    relay.start()
    try:
        await asyncio.sleep(0.1)
        assert bus.published == [] and await unpublished(edb) == ["a", "b"]
        bus.fail_after = None  # the bus is back
        for _ in range(500):
            if len(bus.published) == 2:
                break
            await asyncio.sleep(0.01)
        assert bus.published == ["a", "b"]
    finally:
        await relay.stop()
    assert await unpublished(edb) == []


async def test_two_relays_publish_each_event(edb, database_url):
    bus = RecordingBus(delay=0.002)
    ids = [f"e{n:03}" for n in range(60)]
    await record(edb, *ids[:30])
    first, second = OutboxRelay(edb, bus, batch=7), OutboxRelay(edb, bus, batch=7)

    async def more() -> None:
        for event_id in ids[30:]:
            await record(edb, event_id)

    counts = await asyncio.gather(first.publish_pending(), second.publish_pending(), more())
    await first.publish_pending()
    assert bus.published == ids  # each once, in order
    assert await unpublished(edb) == []
    if not is_sqlite(database_url):
        # on PostgreSQL the relays take turns: nothing is published twice
        assert sorted(bus.calls) == sorted(set(bus.calls))
        assert counts[0] + counts[1] <= len(ids)


async def test_two_running_relays(edb, database_url):
    bus = RecordingBus()
    relays = [OutboxRelay(edb, bus, poll_seconds=0.01, batch=5) for _ in range(2)]
    for relay in relays:
        relay.start()
    try:
        ids = [f"e{n:03}" for n in range(40)]
        for event_id in ids:
            await record(edb, event_id)
        for _ in range(1000):
            if len(bus.published) == len(ids):
                break
            await asyncio.sleep(0.01)
        assert bus.published == ids
    finally:
        for relay in relays:
            await relay.stop()
    assert await unpublished(edb) == []
