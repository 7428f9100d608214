"""The catalogue's tests run on SQLite and PostgreSQL (the foundation's `database_url`
fixture: a fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from subgraphs.catalogue.app import create_app, migrate
from subgraphs.catalogue.seed import seed_demo
from tests.subgraphs.common.conftest import database_url  # noqa: F401  (SQLite, PostgreSQL)

BRAND = "lumen"


@pytest.fixture
async def app(database_url):  # noqa: F811
    """Lumen's catalogue: migrated database, demo data, ASGI app."""
    migrate(database_url)
    app = create_app(BRAND, database_url)
    async with app.state.database.session() as session:
        await seed_demo(session, BRAND)
    try:
        yield app
    finally:
        await app.state.database.dispose()


@contextmanager
def statements(app) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block."""
    seen: list[str] = []
    engine = app.state.database.engine.sync_engine

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def selects_from(seen: list[str], table: str) -> list[str]:
    return [s for s in seen if s.upper().startswith("SELECT") and f"FROM {table}" in s]
