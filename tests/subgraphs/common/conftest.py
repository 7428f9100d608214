"""Backends for the foundation's tests: every test taking `database_url` or `db` runs on SQLite
(a fresh file) and on PostgreSQL (a fresh schema, dropped afterwards: tests/postgres.py, which
fails rather than skips when PostgreSQL is unreachable).
"""

from __future__ import annotations

import pytest

from subgraphs.common.database import Database, async_url
from tests.postgres import fresh_schema, postgres_url

from .models import Part, Widget

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    with fresh_schema(async_url(postgres_url())) as url:
        yield url


@pytest.fixture
async def db(database_url):
    from subgraphs.common.idempotency import IdempotencyKey

    database = Database(database_url)
    await database.create_tables(Widget, Part, IdempotencyKey)
    try:
        yield database
    finally:
        await database.dispose()
