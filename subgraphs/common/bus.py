"""The message bus events travel on: NATS JetStream, or an in-process bus for the embedded default.

Both give the same guarantees to a consumer subscribed under a durable name: every event of
its topics, in publication order, at least once, from the first event the bus holds (a consumer
that subscribes late or was down catches up); a handler that raises gets the event again after
a back-off. Consumers make redeliveries harmless with `events.handle_once`.

`bus_from_env()`: `BRAND_MATRIX_BUS_URL=nats://host:4222` selects JetStream (stream
`BRAND_MATRIX`, subjects `bm.<topic>`, one durable consumer per name); unset, the
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
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop it first ran in

    def _bind(self) -> None:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()

    async def publish(self, event: Event) -> None:
        self._bind()
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
        self._bind()
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
    """JetStream: events are messages on `<subject_prefix><topic>` (default `bm.`) with
    `Nats-Msg-Id` = event id.

    One durable pull consumer per consumer name reads every subject of the stream with at most
    one unacknowledged message: it sees its topics in publication order, also across topics
    (an `order.refunded` never overtakes its `order.paid`), and a failing event holds back the
    later ones until it was handled, as on the `InProcessBus`. Events of other topics are
    acknowledged unread."""

    def __init__(
        self,
        url: str,
        *,
        stream: str = STREAM,
        fetch_timeout: float = 1.0,
        subject_prefix: str = SUBJECT_PREFIX,
        connect_timeout: float = 10.0,
    ) -> None:
        if not subject_prefix.endswith(".") or "*" in subject_prefix or ">" in subject_prefix:
            raise ValueError(
                f"a subject prefix ends with '.' and has no wildcard: {subject_prefix!r}"
            )
        self.url = url
        self.stream = stream
        self.fetch_timeout = fetch_timeout
        self.subject_prefix = subject_prefix
        self.connect_timeout = connect_timeout
        self._nc = None
        self._js = None
        self._lock = asyncio.Lock()
        self._workers: dict[str, list[asyncio.Task[None]]] = {}

    async def _jetstream(self):
        async with self._lock:
            if self._js is None:
                import nats  # imported here: only deployments on NATS need it loaded

                # Reconnects never give up, but with that setting nats-py also retries the first
                # connection for ever: bound it, so a missing server is an error (the relay
                # retries; an app start fails) instead of a silent hang.
                try:
                    self._nc = await asyncio.wait_for(
                        nats.connect(self.url, connect_timeout=5, max_reconnect_attempts=-1),
                        self.connect_timeout,
                    )
                except TimeoutError:
                    raise ConnectionError(
                        f"NATS is unreachable at {self.url} (no connection within "
                        f"{self.connect_timeout:g}s)"
                    ) from None
                self._js = self._nc.jetstream()
                await _ensure_stream(self._js, self.stream, self.subject_prefix)
            return self._js

    async def publish(self, event: Event) -> None:
        js = await self._jetstream()
        await js.publish(
            self.subject_prefix + event.topic,
            event.to_bytes(),
            stream=self.stream,
            headers={"Nats-Msg-Id": event.id},
        )

    async def subscribe(self, consumer: str, topics: Sequence[str], handler: Handler) -> None:
        if consumer in self._workers:
            raise ValueError(f"consumer {consumer!r} is already subscribed")
        from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

        js = await self._jetstream()
        durable = consumer_durable_name(consumer)
        subscription = await js.pull_subscribe(
            self.subject_prefix + ">",
            durable=durable,
            stream=self.stream,
            config=ConsumerConfig(
                deliver_policy=DeliverPolicy.ALL,
                ack_policy=AckPolicy.EXPLICIT,
                max_ack_pending=1,  # strict order: nothing overtakes an unhandled event
            ),
        )
        wanted = frozenset(topics)
        self._workers[consumer] = [
            asyncio.create_task(
                self._work(consumer, subscription, wanted, handler), name=f"nats-{durable}"
            )
        ]

    async def unsubscribe(self, consumer: str) -> None:
        for task in self._workers.pop(consumer, []):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def close(self) -> None:
        for consumer in list(self._workers):
            await self.unsubscribe(consumer)
        if self._nc is not None:
            nc, self._nc, self._js = self._nc, None, None
            await nc.drain()

    async def _work(
        self, consumer: str, subscription, topics: frozenset[str], handler: Handler
    ) -> None:
        from nats.errors import TimeoutError as NatsTimeout

        while True:
            try:
                # One at a time: the consumer hands out one unacknowledged message anyway.
                messages = await subscription.fetch(1, timeout=self.fetch_timeout)
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
                if event.topic not in topics:
                    await message.ack()
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


def consumer_durable_name(consumer: str) -> str:
    """The JetStream durable name (no dots, spaces or wildcards) of a consumer."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", consumer)


async def _ensure_stream(js, stream: str, subject_prefix: str = SUBJECT_PREFIX) -> None:
    from nats.js.errors import NotFoundError

    try:
        await js.stream_info(stream)
    except NotFoundError:
        await js.add_stream(name=stream, subjects=[subject_prefix + ">"])


_IN_PROCESS: dict[asyncio.AbstractEventLoop | None, InProcessBus] = {}


def shared_in_process_bus() -> InProcessBus:
    """The in-process bus every subgraph of the running event loop shares (`brand-matrix dev`
    runs them all in one loop). Per loop: the bus's asyncio primitives and workers belong to
    one loop, and a later loop (the next test) must not inherit old events and de-duplication
    ids. Called outside a loop, the bus is adopted by the first loop that asks from within."""
    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    for known in [k for k in _IN_PROCESS if k is not None and k.is_closed()]:
        del _IN_PROCESS[known]
    bus = _IN_PROCESS.get(loop)
    unbound = _IN_PROCESS.get(None)
    if unbound is not None and unbound._loop is not None and unbound._loop is not loop:
        del _IN_PROCESS[None]  # it ran in another loop since: not for this one
        unbound = None
    if bus is None and loop is not None and unbound is not None:
        bus = _IN_PROCESS[loop] = _IN_PROCESS.pop(None)
    if bus is None:
        bus = _IN_PROCESS[loop] = InProcessBus()
    return bus


def bus_from_env(environ: dict[str, str] | None = None) -> EventBus:
    url = (os.environ if environ is None else environ).get(BUS_URL_ENV, "").strip()
    if url:
        if not url.startswith(("nats://", "tls://")):
            raise ValueError(f"{BUS_URL_ENV} must be a nats:// URL, not {url!r}")
        return NatsBus(url)
    return shared_in_process_bus()
