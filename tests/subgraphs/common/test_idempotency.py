from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import func
from sqlmodel import select

from subgraphs.common.database import Database
from subgraphs.common.idempotency import IdempotencyConflict, IdempotencyKey, run_once

from .models import Widget

ATTEMPTS = 8


def _create_widget(name: str, calls: list[int], delay: float = 0.0):
    async def operation(session):
        calls.append(1)
        widget = Widget(name=name)
        session.add(widget)
        await session.flush()
        if delay:
            await asyncio.sleep(delay)  # widen the race window
        return {"widgetId": widget.id, "name": name}

    return operation


async def _widgets(db: Database) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(Widget))).one()


async def test_second_run_returns_the_first_result_and_changes_nothing(db):
    calls: list[int] = []
    async with db.session() as session:
        first = await run_once(
            session, scope="order", key="k1", operation=_create_widget("w", calls), request={"a": 1}
        )
        second = await run_once(
            session, scope="order", key="k1", operation=_create_widget("w", calls), request={"a": 1}
        )
        other_scope = await run_once(
            session, scope="loyalty", key="k1", operation=_create_widget("x", calls)
        )
    assert not first.replayed and second.replayed
    assert first.result == second.result == {"widgetId": first.result["widgetId"], "name": "w"}
    assert not other_scope.replayed
    assert len(calls) == 2
    assert await _widgets(db) == 2


async def test_key_reused_for_another_request_conflicts(db):
    async with db.session() as session:
        operation = _create_widget("w", [])
        await run_once(session, scope="s", key="k", operation=operation, request=1)
        with pytest.raises(IdempotencyConflict):
            await run_once(session, scope="s", key="k", operation=operation, request=2)
    assert await _widgets(db) == 1


async def test_failed_operation_leaves_no_trace_and_the_key_free(db):
    async def failing(session):
        session.add(Widget(name="half"))
        await session.flush()
        raise RuntimeError("payment provider down")

    async with db.session() as session:
        with pytest.raises(RuntimeError):
            await run_once(session, scope="s", key="k", operation=failing)
        assert await _widgets(db) == 0
        assert (await session.exec(select(IdempotencyKey))).all() == []
        retried = await run_once(session, scope="s", key="k", operation=_create_widget("ok", []))
    assert not retried.replayed
    assert await _widgets(db) == 1


async def test_concurrent_attempts_run_the_operation_once(db, database_url):
    """ATTEMPTS threads, each with its own event loop, engine and connection, race on one key."""
    calls: list[int] = []
    outcomes: list = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(ATTEMPTS)

    async def attempt() -> None:
        database = Database(database_url)
        try:
            async with database.session() as session:
                await session.connection()  # connect before the race starts
                barrier.wait()
                outcomes.append(
                    await run_once(
                        session,
                        scope="order",
                        key="place-1",
                        operation=_create_widget("raced", calls, delay=0.2),
                    )
                )
        finally:
            await database.dispose()

    def thread_main() -> None:
        try:
            asyncio.run(attempt())
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=thread_main) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(outcomes) == ATTEMPTS
    assert sum(not o.replayed for o in outcomes) == 1
    assert len({repr(o.result) for o in outcomes}) == 1
    assert len(calls) == 1
    assert await _widgets(db) == 1
