from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select

from subgraphs.common.bus import InProcessBus
from subgraphs.common.database import Database
from subgraphs.common.event_runtime import EventRuntime, Subscription
from subgraphs.common.events import (
    Event,
    OutboxEvent,
    ProcessedEvent,
    handle_once,
    record_event,
)

from .models import Widget


@pytest.fixture
async def two_databases(database_url, tmp_path):
    """A producer's database A (the parametrised backend) and a consumer's database B."""
    producer = Database(database_url)
    if make_url(database_url).get_backend_name() == "sqlite":
        consumer = Database(f"sqlite+aiosqlite:///{tmp_path / 'consumer.db'}")
    else:
        consumer = Database(database_url)  # the same schema: separate tables are enough
    await producer.create_tables(OutboxEvent, ProcessedEvent)
    await consumer.create_tables(OutboxEvent, ProcessedEvent, Widget)
    try:
        yield producer, consumer
    finally:
        await producer.dispose()
        await consumer.dispose()


class FakeBus:
    def __init__(self, fail_subscribe: str | None = None) -> None:
        self.log: list[tuple[str, str]] = []
        self.fail_subscribe = fail_subscribe
        self.closed = False

    async def publish(self, event: Event) -> None:
        self.log.append(("publish", event.id))

    async def subscribe(self, consumer, topics, handler) -> None:
        if consumer == self.fail_subscribe:
            raise ConnectionError("cannot subscribe")
        self.log.append(("subscribe", consumer))

    async def unsubscribe(self, consumer: str) -> None:
        self.log.append(("unsubscribe", consumer))

    async def close(self) -> None:
        self.closed = True


async def nothing(event: Event) -> None:
    pass


async def test_start_subscribes_and_starts_the_relay(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    await database.create_tables(OutboxEvent, ProcessedEvent)
    bus = FakeBus()
    runtime = EventRuntime(
        database,
        bus=bus,
        subscriptions=[Subscription("a", ("t",), nothing), Subscription("b", ("u",), nothing)],
        poll_seconds=0.01,
    )
    await runtime.start()
    await runtime.start()  # idempotent
    assert bus.log == [("subscribe", "a"), ("subscribe", "b")]
    assert runtime.relay._task is not None
    async with database.transaction() as session:
        record_event(session, "t", {}, event_id="x")
    for _ in range(300):
        if ("publish", "x") in bus.log:
            break
        await asyncio.sleep(0.01)
    assert ("publish", "x") in bus.log
    await runtime.stop()
    await runtime.stop()  # idempotent
    assert bus.log[-2:] == [("unsubscribe", "a"), ("unsubscribe", "b")]
    assert runtime.relay._task is None
    assert not bus.closed  # a bus passed in belongs to the caller
    await database.dispose()


async def test_a_failed_start_leaves_nothing_running(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    bus = FakeBus(fail_subscribe="b")
    runtime = EventRuntime(
        database,
        bus=bus,
        subscriptions=[Subscription("a", ("t",), nothing), Subscription("b", ("u",), nothing)],
    )
    with pytest.raises(ConnectionError):
        await runtime.start()
    assert runtime.relay._task is None
    assert ("unsubscribe", "a") in bus.log
    bus.fail_subscribe = None
    await runtime.start()  # can be started again
    assert runtime.relay._task is not None
    await runtime.stop()
    await database.dispose()


async def test_the_default_bus_comes_from_the_environment(monkeypatch, tmp_path):
    from subgraphs.common.bus import NatsBus, shared_in_process_bus

    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    monkeypatch.delenv("BRAND_MATRIX_BUS_URL", raising=False)
    assert EventRuntime(database).bus is shared_in_process_bus()
    monkeypatch.setenv("BRAND_MATRIX_BUS_URL", "nats://127.0.0.1:4222")
    assert isinstance(EventRuntime(database).bus, NatsBus)
    await database.dispose()


async def test_end_to_end_exactly_once(two_databases):
    producer, consumer_db = two_databases
    bus = InProcessBus()
    runs: list[str] = []

    async def apply(session, payload) -> None:
        runs.append(payload["name"])
        session.add(Widget(name=payload["name"]))

    async def on_made(event: Event) -> None:
        async with consumer_db.session() as session:
            await handle_once(session, "widgets", event, lambda s: apply(s, event.payload))

    producing = EventRuntime(producer, bus=bus, poll_seconds=0.01)
    consuming = EventRuntime(
        consumer_db,
        bus=bus,
        subscriptions=[Subscription("widgets", ("widget.made",), on_made)],
        poll_seconds=0.01,
    )
    await consuming.start()
    await producing.start()
    try:
        async with producer.transaction() as session:
            record_event(session, "widget.made", {"name": "one"}, event_id="widget:1:made")
            record_event(session, "other.topic", {"name": "ignored"})
        async with producer.transaction() as session:
            record_event(session, "widget.made", {"name": "two"}, event_id="widget:2:made")
        producing.relay.notify()
        for _ in range(500):
            if len(runs) == 2:
                break
            await asyncio.sleep(0.01)
        await bus.drain()

        # published again (a relay crashed before marking; a second bus instance without
        # de-duplication): the consumer's handle_once still applies it once
        async with producer.session() as session:
            rows = (await session.exec(select(OutboxEvent).order_by(OutboxEvent.position))).all()
        replayed = Event.of_row(rows[0])
        await on_made(replayed)
        await bus.publish(replayed)
        await bus.drain()
    finally:
        await producing.stop()
        await consuming.stop()

    assert runs == ["one", "two"]
    async with consumer_db.session() as session:
        names = (await session.exec(select(Widget.name).order_by(Widget.id))).all()
        marks = (await session.exec(select(ProcessedEvent.event_id))).all()
    assert names == ["one", "two"]
    assert sorted(marks) == ["widget:1:made", "widget:2:made"]


async def test_end_to_end_across_a_consumer_restart(two_databases):
    producer, consumer_db = two_databases
    bus = InProcessBus()
    seen: list[str] = []

    async def on_event(event: Event) -> None:
        async with consumer_db.session() as session:

            async def apply(s) -> None:
                seen.append(event.id)
                s.add(Widget(name=event.id))

            await handle_once(session, "c", event, apply)

    producing = EventRuntime(producer, bus=bus, poll_seconds=0.01)

    def consumer_runtime() -> EventRuntime:
        return EventRuntime(
            consumer_db, bus=bus, subscriptions=[Subscription("c", ("t",), on_event)]
        )

    await producing.start()
    first = consumer_runtime()
    await first.start()
    ids = [f"ev-{uuid.uuid4().hex[:6]}-{n}" for n in range(6)]
    try:
        for n, event_id in enumerate(ids):
            if n == 3:
                await producing.relay.publish_pending()
                await bus.drain()
                await first.stop()  # the consumer is down while events keep coming
            async with producer.transaction() as session:
                record_event(session, "t", {}, event_id=event_id)
        await producing.relay.publish_pending()
        assert seen == ids[:3]
        second = consumer_runtime()
        await second.start()
        await bus.drain()
        await second.stop()
    finally:
        await producing.stop()
    assert seen == ids


async def test_a_bus_made_from_the_environment_is_closed_at_stop(monkeypatch, tmp_path):
    from subgraphs.common import event_runtime

    made = FakeBus()
    monkeypatch.setattr(event_runtime, "bus_from_env", lambda: made)
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    await database.create_tables(OutboxEvent, ProcessedEvent)
    runtime = EventRuntime(database)
    await runtime.start()
    await runtime.stop()
    assert made.closed  # e.g. a NATS connection: not left open after the app stopped
    await database.dispose()
