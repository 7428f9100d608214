"""Subgraphs answer the gateway only (subgraphs/common/gateway_secret.py): a shared secret in
`x-brand-matrix-gateway`, several accepted for rotation; `/health` stays open."""

from __future__ import annotations

import strawberry

from subgraphs.common.app import create_subgraph_app
from subgraphs.common.gateway_secret import (
    GATEWAY_REQUIRED,
    HEADER,
    SECRET_ENV,
    is_valid,
    parse_secrets,
    secrets_from_env,
)

from .asgi import call


@strawberry.federation.type(keys=["id"])
class Thing:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, **kwargs) -> Thing:
        return cls(id=kwargs["id"])


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "hi"


SCHEMA = strawberry.federation.Schema(query=Query, types=[Thing])
ENTITIES = {
    "query": 'query { _entities(representations: [{__typename: "Thing", id: "1"}]) '
    "{ ... on Thing { id } } }"
}


def app(secrets=None):
    return create_subgraph_app(SCHEMA, get_session=lambda: None, gateway_secrets=secrets)


def test_secrets_parse_and_compare():
    assert parse_secrets(" new , old ,,") == ("new", "old")
    assert parse_secrets(None) == () == parse_secrets("")
    assert secrets_from_env({SECRET_ENV: "a,b"}) == ("a", "b")
    assert is_valid("old", ("new", "old")) and is_valid(b"new", ("new", "old"))
    assert not is_valid("ne", ("new",)) and not is_valid(None, ("new",))
    assert not is_valid("", ("new",))


async def test_without_the_secret_graphql_is_refused_with_403_and_health_stays_open():
    guarded = app("new,old")
    for body in (ENTITIES, {"query": "{ _service { sdl } }"}, {"query": "{ hello }"}):
        for headers in ({}, {HEADER: "wrong"}, {HEADER: ""}, {"x-other": "new"}):
            status, answer = await call(guarded, "POST", "/graphql", json=body, headers=headers)
            assert status == 403, (body, headers)
            assert answer["errors"][0]["extensions"]["code"] == GATEWAY_REQUIRED
            assert answer["data"] is None
    status, answer = await call(guarded, "GET", "/health")
    assert (status, answer) == (200, {"status": "ok"})


async def test_every_listed_secret_is_accepted_for_rotation():
    guarded = app(["new", "old"])
    for secret in ("new", "old"):
        status, answer = await call(
            guarded, "POST", "/graphql", json=ENTITIES, headers={HEADER: secret}
        )
        assert status == 200 and answer["data"]["_entities"] == [{"id": "1"}]


async def test_without_any_secret_a_subgraph_accepts_everything(monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    for open_app in (app(), app(())):
        status, answer = await call(open_app, "POST", "/graphql", json={"query": "{ hello }"})
        assert (status, answer["data"]) == (200, {"hello": "hi"})
        assert open_app.state.gateway_secrets == ()


async def test_the_secret_comes_from_the_environment_by_default(monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "from-env")
    from_env = app()
    assert from_env.state.gateway_secrets == ("from-env",)
    status, _ = await call(from_env, "POST", "/graphql", json={"query": "{ hello }"})
    assert status == 403
    status, _ = await call(
        from_env, "POST", "/graphql", json={"query": "{ hello }"}, headers={HEADER: "from-env"}
    )
    assert status == 200
    assert app(()).state.gateway_secrets == ()  # explicitly off


async def test_a_websocket_without_the_secret_is_closed():
    sent = []

    async def receive():
        return {"type": "websocket.connect"}

    async def send(message):
        sent.append(message)

    route = next(r for r in app("s").routes if r.path == "/graphql")
    await route.app({"type": "websocket", "path": "/graphql", "headers": []}, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1008}]
