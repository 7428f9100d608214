"""The loyalty tests run on SQLite and PostgreSQL (the foundation's `database_url` fixture: a
fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards).

Requests carry access tokens minted with the test key ring: `as_member(id)`, `as_staff(brand)`,
`as_operator()`, `as_service(scopes)`."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from subgraphs.common.auth import KeyRing, issue_token
from subgraphs.common.bus import InProcessBus
from subgraphs.loyalty.app import create_app, migrate
from subgraphs.loyalty.models import Account, LedgerEntry
from subgraphs.loyalty.settings import LoyaltySettings
from tests.subgraphs.common.conftest import database_url  # noqa: F401  (SQLite, PostgreSQL)

from ..catalogue.conftest import selects_from, statements  # noqa: F401
from ..common.asgi import call

RING = KeyRing.from_env()


def as_member(member_id: str, brand: str | None = "lumen") -> str:
    return issue_token(RING, subject=member_id, kind="member", brand=brand)


def as_staff(brand: str) -> str:
    return issue_token(RING, subject=f"staff-{brand}", kind="staff", brand=brand)


def as_operator() -> str:
    return issue_token(RING, subject="ops-1", kind="operator")


def as_service(*scopes: str) -> str:
    return issue_token(RING, subject="order", kind="service", scopes=scopes)


@pytest.fixture
async def make_app(database_url):  # noqa: F811
    """`make_app(settings=None)`: loyalty on a migrated, empty database, with its own
    in-process bus (not started: tests that need the consumer start `app.state.events`)."""
    migrate(database_url)
    apps = []

    def make(settings: LoyaltySettings | None = None):
        app = create_app(database_url, settings=settings, bus=InProcessBus(), key_ring=RING)
        apps.append(app)
        return app

    try:
        yield make
    finally:
        for app in apps:
            await app.state.events.stop()
            await app.state.database.dispose()


@pytest.fixture
async def app(make_app):
    """Loyalty with the default settings."""
    return make_app()


async def gql(
    app,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    brand: str | None = "lumen",
    token: str | None = None,
) -> dict[str, Any]:
    headers = {"x-brand": brand} if brand else {}
    if token:
        headers["authorization"] = f"Bearer {token}"
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


def error_code(body: dict[str, Any]) -> str | None:
    return body["errors"][0].get("extensions", {}).get("code")


async def row_counts(app) -> tuple[int, int]:
    async with app.state.database.session() as session:
        entries = (await session.exec(select(func.count()).select_from(LedgerEntry))).one()
        accounts = (await session.exec(select(func.count()).select_from(Account))).one()
    return entries, accounts
