"""Idempotency keys: run an operation once per (scope, key).

`run_once(session, scope=..., key=..., operation=...)` runs `operation(session)` in one
transaction together with the insert of the key's row, and stores the operation's (JSON)
result in that row. A second call with the same key returns the stored result and runs
nothing. Under concurrency the table's primary key decides: a racing attempt's insert waits
for the first transaction (PostgreSQL row lock, SQLite write lock) and then fails with an
integrity error, after which the attempt reads and returns the first result. When the first
attempt fails, its transaction (key row included) rolls back and the key stays free.

Each subgraph's database holds its own `idempotency_keys` table: create it in a migration with
`create_idempotency_table(op)`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Column, Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from .database import transaction

MAX_ATTEMPTS = 5


class IdempotencyKey(SQLModel, table=True):
    __tablename__ = "idempotency_keys"

    scope: str = Field(primary_key=True, max_length=100)
    key: str = Field(primary_key=True, max_length=200)
    request_hash: str | None = Field(default=None, max_length=64)
    result: Any = Field(default=None, sa_column=Column(sa.JSON, nullable=True))
    created_at: datetime = Field(
        default_factory=lambda: datetime.now(UTC),
        sa_column=Column(sa.DateTime(timezone=True), nullable=False),
    )


class IdempotencyConflict(Exception):
    """The key was used before with a different request."""


@dataclass(frozen=True)
class Outcome:
    result: Any
    replayed: bool  # True when the result is the stored one of an earlier run


def request_fingerprint(payload: Any) -> str:
    """A stable hash of a JSON-serialisable request, for `run_once(request=...)`."""
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


async def run_once(
    session: AsyncSession,
    *,
    scope: str,
    key: str,
    operation: Callable[[AsyncSession], Awaitable[Any]],
    request: Any = None,
) -> Outcome:
    """Run `operation(session)` once for (scope, key) and commit; replay its result after.

    `operation` must return a JSON-serialisable value and should only write through `session`
    (it runs inside the transaction, so its writes and the key commit or roll back together).
    `request`, when given, is fingerprinted: reusing the key with a different request raises
    `IdempotencyConflict`. The session must not have uncommitted work when this is called.
    """
    fingerprint = None if request is None else request_fingerprint(request)
    for _ in range(MAX_ATTEMPTS):
        stored = await _stored(session, scope, key, fingerprint)
        if stored is not None:
            return stored
        try:
            async with transaction(session):
                row = IdempotencyKey(scope=scope, key=key, request_hash=fingerprint)
                session.add(row)
                await session.flush()  # claims the key; a racing claim waits here, then fails
                result = await operation(session)
                row.result = result
                await session.flush()
            return Outcome(result, replayed=False)
        except IntegrityError as error:
            if not _is_key_conflict(error):
                raise
            # Another attempt holds the key: read its result on the next turn (or, if it
            # rolled back meanwhile, claim the key again).
    raise RuntimeError(f"idempotency key {scope}/{key}: no result after {MAX_ATTEMPTS} attempts")


async def _stored(
    session: AsyncSession, scope: str, key: str, fingerprint: str | None
) -> Outcome | None:
    row = (
        await session.exec(
            sa.select(IdempotencyKey.request_hash, IdempotencyKey.result).where(
                IdempotencyKey.scope == scope, IdempotencyKey.key == key
            )
        )
    ).first()
    await session.rollback()  # end the read; the claim starts a fresh transaction
    if row is None:
        return None
    if fingerprint is not None and row.request_hash not in (None, fingerprint):
        raise IdempotencyConflict(f"idempotency key {scope}/{key} was used for another request")
    return Outcome(row.result, replayed=True)


def _is_key_conflict(error: IntegrityError) -> bool:
    text = str(error.orig).lower()
    return "idempotency_keys" in text or "unique" in text or "duplicate" in text


def create_idempotency_table(op) -> None:
    """Create `idempotency_keys` from an Alembic migration (`op` is `alembic.op`)."""
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.String(100), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=True),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def drop_idempotency_table(op) -> None:
    op.drop_table("idempotency_keys")
