from __future__ import annotations

import pytest
from sqlalchemy import func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from subgraphs.common.database import (
    Database,
    async_url,
    database_url,
    is_sqlite,
    sync_url,
    transaction,
)

from .models import Part, Widget


async def _count(db: Database, model) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


def test_urls_are_normalised_to_the_drivers(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url() == "sqlite+aiosqlite:///brand_matrix.db"
    monkeypatch.setenv("DATABASE_URL", "postgresql://root@/test?host=/var/run/postgresql")
    assert database_url() == "postgresql+psycopg://root@/test?host=/var/run/postgresql"
    assert async_url("postgres://u:p@h:5432/d") == "postgresql+psycopg://u:p@h:5432/d"
    assert async_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    assert sync_url("sqlite+aiosqlite:///x.db") == "sqlite:///x.db"
    assert sync_url("postgresql+psycopg://h/d") == "postgresql+psycopg://h/d"
    assert is_sqlite("sqlite:///x.db") and not is_sqlite("postgresql+psycopg://h/d")
    with pytest.raises(ValueError):
        async_url("mysql://h/d")


async def test_transaction_commits_on_success(db):
    async with db.session() as session, transaction(session):
        session.add(Widget(name="a"))
        session.add(Widget(name="b"))
    assert await _count(db, Widget) == 2


async def test_transaction_rolls_back_everything_on_error(db):
    async with db.session() as session:
        with pytest.raises(RuntimeError):
            async with transaction(session):
                widget = Widget(name="half")
                session.add(widget)
                await session.flush()
                session.add(Part(widget_id=widget.id, name="written"))
                await session.flush()
                raise RuntimeError("fails after writing")
        # the same session is usable afterwards
        async with transaction(session):
            session.add(Widget(name="after"))
    assert await _count(db, Widget) == 1
    assert await _count(db, Part) == 0


async def test_database_transaction_rolls_back_a_constraint_error(db):
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            session.add(Widget(name="kept only if all succeed"))
            await session.flush()
            session.add(Part(widget_id=424242, name="dangling"))  # foreign key violation
            await session.flush()
    assert await _count(db, Widget) == 0


async def test_in_memory_sqlite_shares_one_database():
    db = Database("sqlite+aiosqlite://")
    await db.create_tables(Widget)
    async with db.transaction() as session:
        session.add(Widget(name="m"))
    assert await _count(db, Widget) == 1
    async with db.session() as session:
        assert (await session.exec(text("PRAGMA foreign_keys"))).one()[0] == 1
    await db.dispose()
