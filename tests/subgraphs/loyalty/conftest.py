"""The loyalty tests run on SQLite and PostgreSQL (the foundation's `database_url` fixture: a
fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from subgraphs.loyalty.app import create_app, migrate
from subgraphs.loyalty.models import Account, LedgerEntry
from tests.subgraphs.common.conftest import database_url  # noqa: F401  (SQLite, PostgreSQL)

from ..catalogue.conftest import selects_from, statements  # noqa: F401
from ..common.asgi import call


@pytest.fixture
async def app(database_url):  # noqa: F811
    """Loyalty on a migrated, empty database."""
    migrate(database_url)
    app = create_app(database_url)
    try:
        yield app
    finally:
        await app.state.database.dispose()


async def gql(
    app, query: str, variables: dict[str, Any] | None = None, *, brand: str | None = "lumen"
) -> dict[str, Any]:
    headers = {"x-brand": brand} if brand else {}
    status, body = await call(
        app,
        "POST",
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
    )
    assert status == 200, body
    return body


async def data(app, query: str, variables: dict[str, Any] | None = None, **kw) -> dict[str, Any]:
    body = await gql(app, query, variables, **kw)
    assert "errors" not in body, body
    return body["data"]


async def row_counts(app) -> tuple[int, int]:
    async with app.state.database.session() as session:
        entries = (await session.exec(select(func.count()).select_from(LedgerEntry))).one()
        accounts = (await session.exec(select(func.count()).select_from(Account))).one()
    return entries, accounts
