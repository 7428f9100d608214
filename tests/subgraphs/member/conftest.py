"""The member tests run on SQLite and PostgreSQL (the foundation's `database_url` fixture: a
fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from subgraphs.common.auth import KeyRing, issue_token
from subgraphs.common.bus import InProcessBus
from subgraphs.common.events import OutboxEvent
from subgraphs.member.app import MemberSettings, create_app, migrate
from tests.subgraphs.common.conftest import database_url  # noqa: F401  (SQLite, PostgreSQL)

from ..catalogue.conftest import selects_from, statements  # noqa: F401
from ..common.asgi import call

BRANDS = ("lumen", "vitalis", "cubby", "purely", "aurora")
RING = KeyRing.from_env()

SIGN_IN = (
    "mutation($brand: String!, $c: SignInInput!) { signIn(brand: $brand, credentials: $c) "
    "{ accessToken refreshToken expiresIn newMember member { id unionId displayName "
    "brandAccounts { brand openId } } } }"
)


@pytest.fixture
def bus() -> InProcessBus:
    return InProcessBus()


@pytest.fixture
async def app(database_url, bus):  # noqa: F811
    """Member on a migrated, empty database, its events on a test bus (not started)."""
    migrate(database_url)
    app = create_app(database_url, bus=bus, key_ring=RING, settings=MemberSettings(brands=BRANDS))
    try:
        yield app
    finally:
        await app.state.events.stop()
        await bus.close()
        await app.state.database.dispose()


def operator_token() -> str:
    return issue_token(RING, subject="ops-1", kind="operator", scopes=["operator"])


async def gql(
    app, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
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


async def error(app, query: str, variables: dict[str, Any] | None = None, **kw) -> dict:
    """The one GraphQL error of a refused operation (never a traceback)."""
    body = await gql(app, query, variables, **kw)
    assert body.get("errors"), body
    first = body["errors"][0]
    assert "Traceback" not in first["message"]
    return first


def code(err: dict) -> str | None:
    return (err.get("extensions") or {}).get("code")


async def sign_in(
    app, union_id: str, open_id: str, brand: str = "lumen", name: str | None = None
) -> dict[str, Any]:
    credentials = {"unionId": union_id, "openId": open_id}
    if name:
        credentials["displayName"] = name
    return (await data(app, SIGN_IN, {"brand": brand, "c": credentials}))["signIn"]


async def outbox(app, topic: str | None = None) -> list[OutboxEvent]:
    async with app.state.database.session() as session:
        query = select(OutboxEvent).order_by(OutboxEvent.position)
        if topic:
            query = query.where(OutboxEvent.topic == topic)
        return list((await session.exec(query)).all())


async def count(app, model) -> int:
    async with app.state.database.session() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()
