"""The HTTP layer over the real Gateway and an in-process Strawberry subgraph."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette

from gateway.http import create_app
from gateway.service import Gateway
from gateway.transport.asgi import AsgiTransport
from tests.gateway.http.asgi_client import request
from tests.gateway.tiny_federation import SUBGRAPH_NAME, subgraph_app, supergraph_sdl

GRAPHQL_JSON = "application/graphql-response+json"
JSON = "application/json"


@pytest.fixture
async def app() -> AsyncIterator[Starlette]:
    transport = AsgiTransport(SUBGRAPH_NAME, subgraph_app())
    gateway = Gateway(supergraph_sdl(), transports={SUBGRAPH_NAME: transport})
    yield create_app(gateway)
    await gateway.aclose()


@pytest.mark.parametrize("accept", [GRAPHQL_JSON, JSON])
async def test_post_query(app: Starlette, accept: str) -> None:
    reply = await request(
        app,
        "POST",
        json={"query": 'query Hi { hello(name: "Ada") }', "operationName": "Hi"},
        headers={"Accept": accept},
    )
    assert reply.status == 200
    assert reply.media_type == accept
    assert reply.json() == {"data": {"hello": "Hello, Ada!"}}


async def test_get_query(app: Starlette) -> None:
    reply = await request(app, "GET", params={"query": '{ hello(name: "Bo") }'})
    assert reply.status == 200
    assert reply.json() == {"data": {"hello": "Hello, Bo!"}}


async def test_post_variables_reach_the_subgraph(app: Starlette) -> None:
    reply = await request(
        app,
        "POST",
        json={"query": "query Hi($n: String!) { hello(name: $n) }", "variables": {"n": "Cy"}},
    )
    assert reply.status == 200
    assert reply.json() == {"data": {"hello": "Hello, Cy!"}}


async def test_get_variables_are_json_decoded(app: Starlette) -> None:
    reply = await request(
        app,
        "GET",
        params={"query": "query Hi($n: String!) { hello(name: $n) }", "variables": '{"n": "Di"}'},
    )
    assert reply.status == 200
    assert reply.json() == {"data": {"hello": "Hello, Di!"}}


@pytest.mark.parametrize("accept", [GRAPHQL_JSON, JSON])
async def test_field_error_is_a_200_partial_response(app: Starlette, accept: str) -> None:
    reply = await request(app, "POST", json={"query": "{ hello fail }"}, headers={"Accept": accept})
    assert reply.status == 200
    body = reply.json()
    assert body["data"] == {"hello": "Hello, world!", "fail": None}
    assert body["errors"][0]["path"] == ["fail"]


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"query": "{ hello"}, id="syntax error"),
        pytest.param({"query": "{ nope }"}, id="unknown field"),
        pytest.param({"query": "query A { hello }", "operationName": "B"}, id="unknown operation"),
        pytest.param({"query": "query A { hello } query B { hello }"}, id="ambiguous operation"),
        pytest.param({"query": "query Hi($n: String!) { hello(name: $n) }"}, id="missing variable"),
        pytest.param(
            {"query": "query Hi($n: String!) { hello(name: $n) }", "variables": {"n": 3}},
            id="variable of the wrong type",
        ),
    ],
)
@pytest.mark.parametrize(("accept", "status"), [(GRAPHQL_JSON, 400), (JSON, 200)])
async def test_request_errors(
    app: Starlette, payload: dict[str, object], accept: str, status: int
) -> None:
    reply = await request(app, "POST", json=payload, headers={"Accept": accept})
    assert reply.status == status
    body = reply.json()
    assert "data" not in body
    assert body["errors"] and all(isinstance(e["message"], str) for e in body["errors"])


async def test_mutation_over_post(app: Starlette) -> None:
    reply = await request(app, "POST", json={"query": 'mutation { shout(text: "hi") }'})
    assert reply.status == 200
    assert reply.json() == {"data": {"shout": "HI"}}


@pytest.mark.parametrize("accept", [GRAPHQL_JSON, JSON])
async def test_mutation_over_get_is_refused(app: Starlette, accept: str) -> None:
    reply = await request(
        app, "GET", params={"query": 'mutation { shout(text: "hi") }'}, headers={"Accept": accept}
    )
    assert reply.status == 405
    assert reply.headers["allow"] == "POST"
    assert "data" not in reply.json()
    assert reply.json()["errors"]


async def test_get_selects_the_query_among_operations(app: Starlette) -> None:
    document = 'query Q { hello } mutation M { shout(text: "x") }'
    reply = await request(app, "GET", params={"query": document, "operationName": "Q"})
    assert reply.status == 200
    assert reply.json() == {"data": {"hello": "Hello, world!"}}
    refused = await request(app, "GET", params={"query": document, "operationName": "M"})
    assert refused.status == 405
