"""The message bus events travel on: NATS JetStream, or an in-process bus for the embedded default.

Both give the same guarantees to a consumer subscribed under a durable name: every event of
its topics, in publication order, at least once, from the first event the bus holds (a consumer
that subscribes late or was down catches up); a handler that raises gets the event again after
a back-off. Consumers make redeliveries harmless with `events.handle_once`.

`bus_from_env()`: `BRAND_MATRIX_BUS_URL=nats://host:4222` selects JetStream (stream
`BRAND_MATRIX`, subjects `bm.<topic>`, one durable consumer per (name, topic)); unset, the
process-wide `InProcessBus` (every subgraph of `brand-matrix dev` shares it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from .events import Event

Handler = Callable[[Event], Awaitable[None]]
log = logging.getLogger("brand_matrix.bus")

BUS_URL_ENV = "BRAND_MATRIX_BUS_URL"
STREAM = "BRAND_MATRIX"
SUBJECT_PREFIX = "bm."
RETRY_BASE_SECONDS = 0.05
RETRY_MAX_SECONDS = 5.0


class EventBus(Protocol):
    async def publish(self, event: Event) -> None: ...

    async def subscribe(self, consumer: str, topics: Sequence[str], handler: Handler) -> None: ...

    async def unsubscribe(self, consumer: str) -> None: ...

    async def close(self) -> None: ...


def retry_delay(attempt: int) -> float:
    return min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(0, attempt - 1))


class InProcessBus:
    """JetStream's semantics in one process: a retained log and a cursor per durable consumer."""

    def __init__(self, *, max_retained: int = 1_000_000) -> None:
        self._log: list[Event] = []
        self._ids: set[str] = set()
        self._max_retained = max_retained
        self._changed = asyncio.Condition()
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._cursors: dict[str, int] = {}
        self._busy: dict[str, bool] = {}

    async def publish(self, event: Event) -> None:
        if event.id in self._ids:  # like JetStream's Nats-Msg-Id de-duplication
            return
        if len(self._log) >= self._max_retained:
            raise RuntimeError("the in-process bus is full; use NATS (BRAND_MATRIX_BUS_URL)")
        self._ids.add(event.id)
        self._log.append(event)
        async with self._changed:
            self._changed.notify_all()

    async def subscribe(self, consumer: str, topics: Sequence[str], handler: Handler) -> None:
        if consumer in self._workers:
            raise ValueError(f"consumer {consumer!r} is already subscribed")
        self._cursors.setdefault(consumer, 0)  # a durable name resumes where it stopped
        wanted = frozenset(topics)
        self._workers[consumer] = asyncio.create_task(
            self._work(consumer, wanted, handler), name=f"bus-consumer-{consumer}"
        )

    async def unsubscribe(self, consumer: str) -> None:
        task = self._workers.pop(consumer, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait until every consumer handled every event published so far (tests, seeding)."""

        async def settled() -> None:
            while any(
                self._cursors[c] < len(self._log) or self._busy.get(c) for c in self._workers
            ):
                await asyncio.sleep(0.005)

        await asyncio.wait_for(settled(), timeout)

    async def close(self) -> None:
        for consumer in list(self._workers):
            await self.unsubscribe(consumer)

    async def _work(self, consumer: str, topics: frozenset[str], handler: Handler) -> None:
        while True:
            async with self._changed:
                await self._changed.wait_for(lambda: self._cursors[consumer] < len(self._log))
            event = self._log[self._cursors[consumer]]
            if event.topic in topics:
                self._busy[consumer] = True
                try:
                    await _deliver_until_handled(consumer, event, handler)
                finally:
                    self._busy[consumer] = False
            self._cursors[consumer] += 1


async def _deliver_until_handled(consumer: str, event: Event, handler: Handler) -> None:
    attempt = 0
    while True:
        attempt += 1
        try:
            await handler(event)
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            delay = retry_delay(attempt)
            log.exception(
                "consumer %s failed on event %s (%s), attempt %d; retrying in %.2fs",
                consumer, event.id, event.topic, attempt, delay,
            )  # fmt: skip
            await asyncio.sleep(delay)


class NatsBus:
    """JetStream: events are messages on `bm.<topic>` with `Nats-Msg-Id` = event id."""

    def __init__(self, url: str, *, stream: str = STREAM, fetch_timeout: float = 1.0) -> None:
        self.url = url
        self.stream = stream
        self.fetch_timeout = fetch_timeout
        self._nc = None
        self._js = None
        self._lock = asyncio.Lock()
        self._workers: dict[str, list[asyncio.Task[None]]] = {}

    async def _jetstream(self):
        async with self._lock:
            if self._js is None:
                import nats  # imported here: only deployments on NATS need it loaded

                self._nc = await nats.connect(
                    self.url, connect_timeout=5, max_reconnect_attempts=-1
                )
                self._js = self._nc.jetstream()
                await _ensure_stream(self._js, self.stream)
            return self._js

    async def publish(self, event: Event) -> None:
        js = await self._jetstream()
        await js.publish(
            SUBJECT_PREFIX + event.topic, event.to_bytes(), headers={"Nats-Msg-Id": event.id}
        )

    async def subscribe(self, consumer: str, topics: Sequence[str], handler: Handler) -> None:
        if consumer in self._workers:
            raise ValueError(f"consumer {consumer!r} is already subscribed")
        js = await self._jetstream()
        tasks = []
        for topic in topics:
            durable = durable_name(consumer, topic)
            subscription = await js.pull_subscribe(
                SUBJECT_PREFIX + topic, durable=durable, stream=self.stream
            )
            tasks.append(
                asyncio.create_task(
                    self._work(consumer, subscription, handler), name=f"nats-{durable}"
                )
            )
        self._workers[consumer] = tasks

    async def unsubscribe(self, consumer: str) -> None:
        for task in self._workers.pop(consumer, []):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def close(self) -> None:
        for consumer in list(self._workers):
            await self.unsubscribe(consumer)
        if self._nc is not None:
            await self._nc.drain()
            self._nc = self._js = None

    async def _work(self, consumer: str, subscription, handler: Handler) -> None:
        from nats.errors import TimeoutError as NatsTimeout

        while True:
            try:
                messages = await subscription.fetch(10, timeout=self.fetch_timeout)
            except NatsTimeout:
                continue
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("consumer %s: fetch failed; retrying", consumer)
                await asyncio.sleep(RETRY_MAX_SECONDS)
                continue
            for message in messages:
                try:
                    event = Event.from_bytes(message.data)
                except Exception:
                    log.exception("consumer %s: dropping an undecodable message", consumer)
                    await message.term()
                    continue
                try:
                    await handler(event)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    attempt = message.metadata.num_delivered or 1
                    log.exception(
                        "consumer %s failed on event %s, delivery %d", consumer, event.id, attempt
                    )
                    await message.nak(delay=retry_delay(attempt))
                    continue
                await message.ack()


def durable_name(consumer: str, topic: str) -> str:
    """A JetStream durable name (no dots, spaces or wildcards) for a consumer's topic."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", f"{consumer}--{topic}")


async def _ensure_stream(js, stream: str) -> None:
    from nats.js.errors import NotFoundError

    try:
        await js.stream_info(stream)
    except NotFoundError:
        await js.add_stream(name=stream, subjects=[SUBJECT_PREFIX + ">"])


_IN_PROCESS: list[InProcessBus] = []


def shared_in_process_bus() -> InProcessBus:
    """The process-wide in-process bus (created on first use, in the running loop's process)."""
    if not _IN_PROCESS:
        _IN_PROCESS.append(InProcessBus())
    return _IN_PROCESS[0]


def bus_from_env(environ: dict[str, str] | None = None) -> EventBus:
    url = (os.environ if environ is None else environ).get(BUS_URL_ENV, "").strip()
    if url:
        if not url.startswith(("nats://", "tls://")):
            raise ValueError(f"{BUS_URL_ENV} must be a nats:// URL, not {url!r}")
        return NatsBus(url)
    return shared_in_process_bus()
