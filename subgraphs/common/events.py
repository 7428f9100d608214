"""Events between subgraphs: a transactional outbox and idempotent consumers.

A subgraph that changes data other subgraphs react to (an order paid, a member erased) calls
`record_event(session, topic, payload)` inside the transaction of the change: the event row
commits or rolls back with it, so no effect is announced that did not happen and none that
happened is lost. An `OutboxRelay` (relay.py) publishes committed events to the bus (bus.py)
in order and marks them published.

Consumers run their writes through `handle_once(session, consumer, event, operation)`: the
operation and the `(consumer, event id)` row commit together, so a redelivered event changes
nothing twice.

Each subgraph's database holds its own `outbox_events` and `processed_events` tables: create
them in a migration with `create_event_tables(op)`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Column, Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from .database import transaction

TOPIC_LENGTH = 100
CONSUMER_LENGTH = 100
EVENT_ID_LENGTH = 64


def _utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_events"

    position: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=EVENT_ID_LENGTH, unique=True)
    topic: str = Field(max_length=TOPIC_LENGTH)
    payload: Any = Field(sa_column=Column(sa.JSON, nullable=False))
    created_at: datetime = Field(
        default_factory=_utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )
    published_at: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True, index=True)
    )


class ProcessedEvent(SQLModel, table=True):
    __tablename__ = "processed_events"

    consumer: str = Field(primary_key=True, max_length=CONSUMER_LENGTH)
    event_id: str = Field(primary_key=True, max_length=EVENT_ID_LENGTH)
    processed_at: datetime = Field(
        default_factory=_utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False)
    )


@dataclass(frozen=True)
class Event:
    id: str
    topic: str
    payload: Mapping[str, Any]
    occurred_at: str  # ISO 8601, UTC

    def to_bytes(self) -> bytes:
        return orjson.dumps(
            {"id": self.id, "topic": self.topic, "payload": self.payload, "at": self.occurred_at}
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Event:
        raw = orjson.loads(data)
        return cls(id=raw["id"], topic=raw["topic"], payload=raw["payload"], occurred_at=raw["at"])

    @classmethod
    def of_row(cls, row: OutboxEvent) -> Event:
        at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
        # PostgreSQL returns timestamptz in the session's time zone; events speak UTC.
        at = at.astimezone(UTC)
        return cls(
            id=row.event_id, topic=row.topic, payload=row.payload, occurred_at=at.isoformat()
        )


def record_event(
    session: AsyncSession,
    topic: str,
    payload: Mapping[str, Any],
    *,
    event_id: str | None = None,
) -> Event:
    """Add an event to the outbox in the session's transaction (the caller commits).

    `event_id` makes the event deterministic (e.g. `order:42:paid`), so a retried change that
    records it again is refused by the unique id instead of announcing it twice."""
    # Checked here, not at commit: PostgreSQL refuses an over-long value there (failing the
    # caller's whole change) and SQLite would store it.
    if not topic or len(topic) > TOPIC_LENGTH:
        raise ValueError(f"an event topic needs 1 to {TOPIC_LENGTH} characters: {topic!r}")
    if event_id is not None and len(event_id) > EVENT_ID_LENGTH:
        raise ValueError(f"an event id has at most {EVENT_ID_LENGTH} characters: {event_id!r}")
    row = OutboxEvent(
        event_id=event_id or uuid.uuid4().hex,
        topic=topic,
        payload=orjson.loads(orjson.dumps(payload)),  # JSON only, checked now not at commit
    )
    session.add(row)
    return Event.of_row(row)


async def handle_once(
    session: AsyncSession,
    consumer: str,
    event: Event,
    operation: Callable[[AsyncSession], Awaitable[Any]],
) -> bool:
    """Run `operation(session)` for `event` once per `consumer`, in one transaction with the
    processed mark. False (nothing run) when the consumer had processed it already."""
    seen = (
        await session.exec(
            sa.select(ProcessedEvent.event_id).where(
                ProcessedEvent.consumer == consumer, ProcessedEvent.event_id == event.id
            )
        )
    ).first()
    await session.rollback()
    if seen is not None:
        return False
    async with transaction(session):
        session.add(ProcessedEvent(consumer=consumer, event_id=event.id))
        try:
            await session.flush()  # a racing delivery waits here, then fails on the key
        except IntegrityError as error:
            if not _duplicate(error):
                raise
            await session.rollback()
            return False
        # Outside the try: the operation's own integrity errors are failures to retry, not
        # "already processed" (that would acknowledge an event whose effect never happened).
        await operation(session)
    return True


def _duplicate(error: IntegrityError) -> bool:
    text = str(error.orig).lower()
    return "unique" in text or "duplicate" in text


def create_event_tables(op) -> None:
    """Create `outbox_events` and `processed_events` from an Alembic migration."""
    op.create_table(
        "outbox_events",
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(EVENT_ID_LENGTH), nullable=False, unique=True),
        sa.Column("topic", sa.String(TOPIC_LENGTH), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outbox_events_published_at", "outbox_events", ["published_at"])
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(CONSUMER_LENGTH), primary_key=True),
        sa.Column("event_id", sa.String(EVENT_ID_LENGTH), primary_key=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )


def drop_event_tables(op) -> None:
    op.drop_table("processed_events")
    op.drop_index("ix_outbox_events_published_at", table_name="outbox_events")
    op.drop_table("outbox_events")
