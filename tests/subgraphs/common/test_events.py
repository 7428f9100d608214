from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from subgraphs.common.database import Database
from subgraphs.common.events import (
    Event,
    OutboxEvent,
    ProcessedEvent,
    handle_once,
    record_event,
)

from .models import Widget


@pytest.fixture
async def edb(database_url):
    database = Database(database_url)
    await database.create_tables(OutboxEvent, ProcessedEvent, Widget)
    try:
        yield database
    finally:
        await database.dispose()


async def outbox(database: Database) -> list[OutboxEvent]:
    async with database.session() as session:
        return list((await session.exec(select(OutboxEvent).order_by(OutboxEvent.position))).all())


async def widgets(database: Database) -> list[str]:
    async with database.session() as session:
        return list((await session.exec(select(Widget.name).order_by(Widget.id))).all())


# --- the outbox ---------------------------------------------------------------------------------


async def test_record_event_commits_with_the_change(edb):
    async with edb.transaction() as session:
        session.add(Widget(name="w"))
        event = record_event(session, "widget.made", {"name": "w", "n": [1, 2]})
    [row] = await outbox(edb)
    assert (row.event_id, row.topic, row.payload) == (event.id, "widget.made", event.payload)
    assert event.payload == {"name": "w", "n": [1, 2]}
    assert row.published_at is None
    assert Event.of_row(row) == event  # what the relay will publish is what was recorded
    assert event.occurred_at.endswith("+00:00")


async def test_record_event_rolls_back_with_the_change(edb):
    with pytest.raises(RuntimeError):
        async with edb.transaction() as session:
            session.add(Widget(name="w"))
            record_event(session, "widget.made", {"name": "w"})
            await session.flush()
            raise RuntimeError("the change failed")
    assert await outbox(edb) == []
    assert await widgets(edb) == []


async def test_events_keep_their_order(edb):
    for n in range(5):
        async with edb.transaction() as session:
            record_event(session, "t", {"n": n})
    assert [row.payload["n"] for row in await outbox(edb)] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    "payload", [{"at": {1, 2}}, {1: "int key"}, {"x": object()}, {"big": 2**70}]
)
def test_payload_must_be_json_at_record_time(payload):
    added: list[object] = []

    class Session:
        def add(self, row) -> None:
            added.append(row)

    with pytest.raises(TypeError):
        record_event(Session(), "t", payload)  # type: ignore[arg-type]
    assert added == []


def test_payload_is_copied_at_record_time():
    class Session:
        def add(self, row) -> None:
            self.row = row

    session = Session()
    payload = {"lines": [{"q": 1}]}
    event = record_event(session, "t", payload)  # type: ignore[arg-type]
    payload["lines"][0]["q"] = 99
    assert event.payload == {"lines": [{"q": 1}]}
    assert session.row.payload == {"lines": [{"q": 1}]}


@pytest.mark.parametrize("topic, event_id", [("", None), ("t" * 101, None), ("t", "e" * 65)])
def test_lengths_are_checked_at_record_time(topic, event_id):
    class Session:
        def add(self, row) -> None:
            raise AssertionError("nothing may be added")

    with pytest.raises(ValueError):
        record_event(Session(), topic, {}, event_id=event_id)  # type: ignore[arg-type]


async def test_deterministic_event_id_is_recorded_once(edb):
    async with edb.transaction() as session:
        record_event(session, "order.paid", {"n": 1}, event_id="order:1:paid")
    with pytest.raises(IntegrityError):
        async with edb.transaction() as session:
            session.add(Widget(name="second attempt"))
            record_event(session, "order.paid", {"n": 2}, event_id="order:1:paid")
    rows = await outbox(edb)
    assert [(r.event_id, r.payload) for r in rows] == [("order:1:paid", {"n": 1})]
    assert await widgets(edb) == []  # the retried change rolled back with its event


async def test_generated_event_ids_are_unique(edb):
    async with edb.transaction() as session:
        ids = {record_event(session, "t", {}).id for _ in range(20)}
    assert len(ids) == 20 and len(await outbox(edb)) == 20


def test_event_bytes_round_trip():
    event = Event(id="e1", topic="t", payload={"a": [1, "x", None]}, occurred_at="2025-01-01")
    assert Event.from_bytes(event.to_bytes()) == event


def test_occurred_at_is_utc_whatever_the_session_time_zone():
    shanghai = timezone(timedelta(hours=8))
    at = datetime(2025, 1, 1, 8, 0, tzinfo=shanghai)
    row = OutboxEvent(event_id="e", topic="t", payload={}, created_at=at)
    assert Event.of_row(row).occurred_at == "2025-01-01T00:00:00+00:00"
    naive = OutboxEvent(event_id="e", topic="t", payload={}, created_at=datetime(2025, 1, 1))
    assert Event.of_row(naive).occurred_at == "2025-01-01T00:00:00+00:00"


async def test_occurred_at_read_back_is_utc(edb):
    async with edb.transaction() as session:
        event = record_event(session, "t", {})
    [row] = await outbox(edb)
    assert Event.of_row(row).occurred_at == event.occurred_at
    assert datetime.fromisoformat(event.occurred_at).utcoffset() == timedelta(0)
    assert abs(datetime.fromisoformat(event.occurred_at) - datetime.now(UTC)) < timedelta(minutes=1)


# --- idempotent consumers -----------------------------------------------------------------------


def event(event_id: str = "e1") -> Event:
    return Event(id=event_id, topic="t", payload={"name": "x"}, occurred_at="2025-01-01")


def add_widget(name: str):
    async def operation(session) -> None:
        session.add(Widget(name=name))

    return operation


async def processed(database: Database) -> list[tuple[str, str]]:
    async with database.session() as session:
        rows = await session.exec(select(ProcessedEvent).order_by(ProcessedEvent.consumer))
        return [(r.consumer, r.event_id) for r in rows.all()]


async def test_handle_once_runs_once_per_consumer(edb):
    async with edb.session() as session:
        assert await handle_once(session, "loyalty", event(), add_widget("first"))
        assert not await handle_once(session, "loyalty", event(), add_widget("again"))
    async with edb.session() as session:
        assert not await handle_once(session, "loyalty", event(), add_widget("later"))
        assert await handle_once(session, "member", event(), add_widget("member"))
        assert await handle_once(session, "loyalty", event("e2"), add_widget("e2"))
    assert await widgets(edb) == ["first", "member", "e2"]
    assert await processed(edb) == [("loyalty", "e1"), ("loyalty", "e2"), ("member", "e1")]


async def test_a_failed_operation_leaves_no_mark(edb):
    async def fails(session) -> None:
        session.add(Widget(name="half-done"))
        await session.flush()
        raise RuntimeError("the consumer failed")

    async with edb.session() as session:
        with pytest.raises(RuntimeError):
            await handle_once(session, "loyalty", event(), fails)
    assert await processed(edb) == []
    assert await widgets(edb) == []
    async with edb.session() as session:  # the redelivery runs it again
        assert await handle_once(session, "loyalty", event(), add_widget("done"))
    assert await widgets(edb) == ["done"]


async def test_an_integrity_error_of_the_operation_is_a_failure_not_a_duplicate(edb):
    async with edb.transaction() as session:
        session.add(Widget(id=1, name="taken"))

    async def clashes(session) -> None:
        session.add(Widget(id=1, name="clash"))
        await session.flush()

    async with edb.session() as session:
        with pytest.raises(IntegrityError):
            await handle_once(session, "loyalty", event(), clashes)
    assert await processed(edb) == []  # not acknowledged as done: a redelivery runs it
    async with edb.session() as session:

        async def fixed(session) -> None:
            session.add(Widget(id=2, name="retried"))  # explicit: PostgreSQL's sequence is at 1

        assert await handle_once(session, "loyalty", event(), fixed)
    assert await widgets(edb) == ["taken", "retried"]


async def test_the_session_is_usable_after_handle_once(edb):
    async with edb.session() as session:
        await handle_once(session, "c", event(), add_widget("one"))
        assert not await handle_once(session, "c", event(), add_widget("two"))
        names = (await session.exec(select(Widget.name))).all()
        assert names == ["one"]


async def test_concurrent_deliveries_run_the_operation_once(edb, database_url):
    runs: list[str] = []
    inside = asyncio.Event()

    def slow(name: str):
        async def operation(session) -> None:
            runs.append(name)
            session.add(Widget(name=name))
            await session.flush()
            inside.set()
            await asyncio.sleep(0.3)  # the other delivery arrives while this one is running

        return operation

    async def deliver(name: str, wait: bool) -> bool:
        if wait:
            await inside.wait()
        async with edb.session() as session:
            return await handle_once(session, "loyalty", event(), slow(name))

    results = await asyncio.gather(deliver("a", False), deliver("b", True))
    assert sorted(results) == [False, True]
    assert runs == ["a"]
    assert await widgets(edb) == ["a"]
    assert await processed(edb) == [("loyalty", "e1")]


# PostgreSQL only: SQLite serialises writers, so nothing races there.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_many_concurrent_deliveries(edb, database_url):
    counter: list[int] = []

    async def operation(session) -> None:
        counter.append(1)
        session.add(Widget(name=f"run-{len(counter)}"))
        await session.flush()
        await asyncio.sleep(0.05)

    async def deliver() -> bool:
        async with edb.session() as session:
            return await handle_once(session, "c", event(), operation)

    results = await asyncio.gather(*(deliver() for _ in range(8)))
    assert results.count(True) == 1
    assert len(await widgets(edb)) == 1


async def test_handle_once_rolls_back_an_uncommitted_read(edb):
    async with edb.session() as session:
        await session.exec(select(Widget))  # an open read transaction
        assert await handle_once(session, "c", event(), add_widget("x"))
    assert await widgets(edb) == ["x"]
