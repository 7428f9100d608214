"""The content's tests run on SQLite and PostgreSQL (the foundation's `database_url` fixture:
a fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from subgraphs.content.app import create_app, migrate
from subgraphs.content.seed import seed_demo
from tests.subgraphs.catalogue.conftest import selects_from, statements  # noqa: F401
from tests.subgraphs.common.conftest import database_url  # noqa: F401  (SQLite, PostgreSQL)

BRAND = "lumen"
NOW = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)  # the apps' clock in these tests


@pytest.fixture
async def app(database_url):  # noqa: F811
    """Lumen's content: migrated database, demo data, ASGI app whose clock says `NOW`."""
    migrate(database_url)
    app = create_app(BRAND, database_url, clock=lambda: NOW)
    async with app.state.database.session() as session:
        await seed_demo(session, BRAND)
    try:
        yield app
    finally:
        await app.state.database.dispose()
