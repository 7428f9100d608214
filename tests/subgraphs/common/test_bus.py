from __future__ import annotations

import asyncio
import contextlib
import os
import uuid

import pytest

from subgraphs.common import bus as bus_module
from subgraphs.common.bus import (
    InProcessBus,
    NatsBus,
    bus_from_env,
    consumer_durable_name,
    retry_delay,
    shared_in_process_bus,
)
from subgraphs.common.events import Event

NATS_URL = os.environ.get("BRAND_MATRIX_TEST_NATS_URL") or "nats://127.0.0.1:4222"
START_NATS = (
    "start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- "
    "-a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log"
)


def ev(n: int | str, topic: str = "t") -> Event:
    return Event(id=f"e{n}", topic=topic, payload={"n": n}, occurred_at="2025-01-01T00:00:00+00:00")


class Recorder:
    """A handler remembering what it saw; `fail` makes the next attempts on an event raise."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.attempts: dict[str, int] = {}
        self.fail: dict[str, int] = {}
        self.arrived = asyncio.Event()

    async def __call__(self, event: Event) -> None:
        self.attempts[event.id] = self.attempts.get(event.id, 0) + 1
        if self.fail.get(event.id, 0) > 0:
            self.fail[event.id] -= 1
            raise RuntimeError(f"handler failed on {event.id}")
        self.seen.append(event.id)
        self.arrived.set()

    async def wait_for(self, count: int, timeout: float = 15.0) -> None:
        async def enough() -> None:
            while len(self.seen) < count:
                await asyncio.sleep(0.01)

        await asyncio.wait_for(enough(), timeout)


@pytest.fixture
def fast_retries(monkeypatch):
    monkeypatch.setattr(bus_module, "RETRY_BASE_SECONDS", 0.01)
    monkeypatch.setattr(bus_module, "RETRY_MAX_SECONDS", 0.05)


def test_retry_delay_backs_off_to_a_maximum():
    delays = [retry_delay(n) for n in range(1, 12)]
    assert delays == sorted(delays) and delays[0] == bus_module.RETRY_BASE_SECONDS
    assert delays[-1] == bus_module.RETRY_MAX_SECONDS


# --- InProcessBus -------------------------------------------------------------------------------


async def test_in_process_order_and_topics():
    bus = InProcessBus()
    a, b = Recorder(), Recorder()
    await bus.subscribe("a", ["t", "u"], a)
    await bus.subscribe("b", ["u"], b)
    for n in range(10):
        await bus.publish(ev(n, "t" if n % 2 else "u"))
    await bus.publish(ev("x", "other"))
    await bus.drain()
    assert a.seen == [f"e{n}" for n in range(10)]
    assert b.seen == [f"e{n}" for n in range(0, 10, 2)]
    await bus.close()


async def test_in_process_late_subscriber_catches_up_from_the_start():
    bus = InProcessBus()
    for n in range(3):
        await bus.publish(ev(n))
    late = Recorder()
    await bus.subscribe("late", ["t"], late)
    await bus.publish(ev(3))
    await bus.drain()
    assert late.seen == ["e0", "e1", "e2", "e3"]
    await bus.close()


async def test_in_process_durable_resume():
    bus = InProcessBus()
    first = Recorder()
    await bus.subscribe("c", ["t"], first)
    await bus.publish(ev(1))
    await bus.drain()
    await bus.unsubscribe("c")
    await bus.publish(ev(2))
    await bus.publish(ev(3))
    await asyncio.sleep(0.05)
    assert first.seen == ["e1"]
    second = Recorder()
    await bus.subscribe("c", ["t"], second)
    await bus.drain()
    assert second.seen == ["e2", "e3"]  # resumes where it stopped, no replay of e1
    await bus.close()


async def test_in_process_subscribing_twice_is_refused():
    bus = InProcessBus()
    await bus.subscribe("c", ["t"], Recorder())
    with pytest.raises(ValueError):
        await bus.subscribe("c", ["t"], Recorder())
    await bus.close()


async def test_in_process_failing_handler_is_retried_in_order(fast_retries):
    bus = InProcessBus()
    handler = Recorder()
    handler.fail["e1"] = 3
    await bus.subscribe("c", ["t"], handler)
    for n in range(3):
        await bus.publish(ev(n))
    await bus.drain()
    assert handler.seen == ["e0", "e1", "e2"]  # e2 waited for e1
    assert handler.attempts == {"e0": 1, "e1": 4, "e2": 1}
    await bus.close()


async def test_in_process_one_failing_consumer_does_not_hold_up_another(fast_retries):
    bus = InProcessBus()
    stuck, fine = Recorder(), Recorder()
    stuck.fail["e0"] = 10**6
    await bus.subscribe("stuck", ["t"], stuck)
    await bus.subscribe("fine", ["t"], fine)
    await bus.publish(ev(0))
    await bus.publish(ev(1))
    await fine.wait_for(2)
    with pytest.raises(TimeoutError):
        await bus.drain(timeout=0.2)
    await bus.close()


async def test_in_process_duplicate_ids_are_published_once():
    bus = InProcessBus()
    handler = Recorder()
    await bus.subscribe("c", ["t"], handler)
    await bus.publish(ev(1))
    await bus.publish(ev(1))
    await bus.publish(Event(id="e1", topic="t", payload={"other": True}, occurred_at="x"))
    await bus.drain()
    await bus.publish(ev(1))
    await bus.drain()
    assert handler.seen == ["e1"]
    await bus.close()


async def test_in_process_drain_waits_for_a_slow_handler():
    bus = InProcessBus()
    done: list[str] = []

    async def slow(event: Event) -> None:
        await asyncio.sleep(0.1)
        done.append(event.id)

    await bus.subscribe("c", ["t"], slow)
    await bus.publish(ev(1))
    await bus.drain()
    assert done == ["e1"]
    await bus.close()


async def test_in_process_unsubscribe_mid_handler_redelivers():
    bus = InProcessBus()
    started = asyncio.Event()

    async def hangs(event: Event) -> None:
        started.set()
        await asyncio.sleep(60)

    await bus.subscribe("c", ["t"], hangs)
    await bus.publish(ev(1))
    await started.wait()
    await bus.unsubscribe("c")
    handler = Recorder()
    await bus.subscribe("c", ["t"], handler)
    await bus.drain()
    assert handler.seen == ["e1"]  # not handled before: delivered again
    await bus.close()


async def test_in_process_bus_is_bounded():
    bus = InProcessBus(max_retained=2)
    await bus.publish(ev(1))
    await bus.publish(ev(2))
    with pytest.raises(RuntimeError, match="full"):
        await bus.publish(ev(3))


async def test_bus_from_env(monkeypatch):
    monkeypatch.delenv("BRAND_MATRIX_BUS_URL", raising=False)
    assert bus_from_env() is shared_in_process_bus()
    assert isinstance(bus_from_env({"BRAND_MATRIX_BUS_URL": NATS_URL}), NatsBus)
    with pytest.raises(ValueError, match="nats://"):
        bus_from_env({"BRAND_MATRIX_BUS_URL": "http://localhost:4222"})


def test_shared_in_process_bus_is_per_event_loop():
    async def get() -> InProcessBus:
        return shared_in_process_bus()

    async def publish_and_read(bus: InProcessBus) -> list[str]:
        handler = Recorder()
        await bus.subscribe("c", ["t"], handler)
        await bus.publish(ev(1))
        await bus.drain()
        await bus.close()
        return handler.seen

    outside = shared_in_process_bus()  # made before any loop runs (an app built at import)
    first = asyncio.run(get())
    assert first is outside and asyncio.run(get()) is not first
    # a later loop (the next test) starts empty: no old events, no old de-duplication ids
    assert asyncio.run(publish_and_read(shared_in_process_bus())) == ["e1"]
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(publish_and_read(loop.run_until_complete(get()))) == ["e1"]
    finally:
        loop.close()


# --- NatsBus against the real server ------------------------------------------------------------


async def _check_nats() -> None:
    import nats

    try:
        nc = await asyncio.wait_for(
            nats.connect(NATS_URL, connect_timeout=2, allow_reconnect=False), 5
        )
    except Exception as error:
        pytest.fail(
            f"NATS is unreachable at {NATS_URL} ({type(error).__name__}). Start it with "
            f"`{START_NATS}` or point BRAND_MATRIX_TEST_NATS_URL at one; these tests do not skip.",
            pytrace=False,
        )
    try:
        await nc.jetstream().account_info()
    except Exception as error:
        pytest.fail(f"NATS at {NATS_URL} has no JetStream ({error}); start it with -js", False)
    finally:
        await nc.close()


@pytest.fixture
async def nats_stream():
    """A fresh stream and subject prefix per test, deleted afterwards."""
    import nats

    await _check_nats()
    suffix = uuid.uuid4().hex[:10]
    stream, prefix = f"BM_TEST_{suffix}", f"bmtest{suffix}."
    yield stream, prefix
    nc = await nats.connect(NATS_URL, connect_timeout=2)
    with contextlib.suppress(Exception):  # never created
        await nc.jetstream().delete_stream(stream)
    await nc.close()


def make_nats(nats_stream) -> NatsBus:
    stream, prefix = nats_stream
    return NatsBus(NATS_URL, stream=stream, subject_prefix=prefix, fetch_timeout=0.5)


def test_nats_subject_prefix_is_checked():
    for prefix in ("bm", "bm.>.", "bm.*."):
        with pytest.raises(ValueError):
            NatsBus(NATS_URL, subject_prefix=prefix)
    assert NatsBus(NATS_URL).subject_prefix == "bm."
    assert consumer_durable_name("catalogue-lumen.x y") == "catalogue-lumen_x_y"


async def test_nats_round_trip_in_order_across_topics(nats_stream):
    bus = make_nats(nats_stream)
    handler, other = Recorder(), Recorder()
    await bus.subscribe("loyalty", ["order.paid", "order.refunded"], handler)
    await bus.subscribe("catalogue-lumen", ["order.paid"], other)
    await bus.publish(ev(1, "order.paid"))
    await bus.publish(ev(2, "member.erased"))
    await bus.publish(ev(3, "order.refunded"))
    await bus.publish(ev(4, "order.paid"))
    await handler.wait_for(3)
    await other.wait_for(2)
    await asyncio.sleep(0.2)
    assert handler.seen == ["e1", "e3", "e4"]
    assert other.seen == ["e1", "e4"]
    await bus.close()


async def test_nats_event_content_survives(nats_stream):
    bus = make_nats(nats_stream)
    got: list[Event] = []

    async def handler(event: Event) -> None:
        got.append(event)

    sent = Event(id="order:1:paid", topic="order.paid", payload={"lines": [{"q": 2}], "c": None},
                 occurred_at="2025-01-01T00:00:00+00:00")  # fmt: skip
    await bus.publish(sent)
    await bus.subscribe("c", ["order.paid"], handler)
    for _ in range(500):
        if got:
            break
        await asyncio.sleep(0.01)
    assert got == [sent]
    await bus.close()


async def test_nats_durable_consumer_resumes_after_close(nats_stream):
    bus = make_nats(nats_stream)
    first = Recorder()
    await bus.publish(ev(0))  # published before anyone subscribed: still delivered
    await bus.subscribe("c", ["t"], first)
    await bus.publish(ev(1))
    await first.wait_for(2)
    await asyncio.sleep(0.2)  # the acknowledgement reaches the server
    await bus.close()

    publisher = make_nats(nats_stream)  # while no consumer runs
    await asyncio.sleep(0.6)  # the closed connection's pending pull request expired
    for n in (2, 3, 4):
        await publisher.publish(ev(n))
    await publisher.close()

    second = Recorder()
    await bus.subscribe("c", ["t"], second)  # the same bus object reconnects
    await second.wait_for(3)
    await asyncio.sleep(0.3)
    assert first.seen == ["e0", "e1"]
    assert second.seen == ["e2", "e3", "e4"]
    await bus.close()


async def test_nats_failing_handler_is_redelivered_in_order(nats_stream, fast_retries):
    bus = make_nats(nats_stream)
    handler = Recorder()
    handler.fail["e1"] = 2
    await bus.subscribe("c", ["t"], handler)
    for n in range(3):
        await bus.publish(ev(n))
    await handler.wait_for(3)
    assert handler.seen == ["e0", "e1", "e2"]  # e2 did not overtake the failing e1
    assert handler.attempts == {"e0": 1, "e1": 3, "e2": 1}
    await bus.close()


async def test_nats_duplicate_ids_are_dropped(nats_stream):
    bus = make_nats(nats_stream)
    for _ in range(3):
        await bus.publish(ev(1))
    await bus.publish(ev(2))
    handler = Recorder()
    await bus.subscribe("c", ["t"], handler)
    await handler.wait_for(2)
    await asyncio.sleep(0.3)
    assert handler.seen == ["e1", "e2"]
    await bus.close()


async def test_nats_unreachable_is_an_error_not_a_hang():
    bus = NatsBus(
        "nats://127.0.0.1:1", stream="BM_TEST_NOWHERE", subject_prefix="nowhere.", connect_timeout=1
    )
    with pytest.raises(ConnectionError, match="unreachable"):
        await asyncio.wait_for(bus.publish(ev(1)), 10)
    with pytest.raises(ConnectionError):
        await asyncio.wait_for(bus.subscribe("c", ["t"], Recorder()), 10)
    await bus.close()
