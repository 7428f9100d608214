"""Application wiring: routes, health, GraphQL-shaped errors outside /graphql, lifespan."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from gateway.http import create_app
from tests.gateway.http.asgi_client import request, run_lifespan
from tests.gateway.http.fakes import FakeGateway


async def test_health(app: Starlette) -> None:
    reply = await request(app, "GET", "/health")
    assert reply.status == 200
    assert reply.media_type == "application/json"
    assert reply.json() == {"status": "ok"}


async def test_health_refuses_post_with_graphql_error(app: Starlette) -> None:
    reply = await request(app, "POST", "/health", json={})
    assert reply.status == 405
    assert "GET" in reply.headers["allow"]
    assert reply.json()["errors"][0]["message"]


async def test_unknown_path_is_json_404(app: Starlette) -> None:
    reply = await request(app, "GET", "/nope")
    assert reply.status == 404
    assert reply.media_type == "application/json"
    assert reply.json() == {"errors": [{"message": "Not Found"}]}


async def test_custom_graphql_path() -> None:
    fake = FakeGateway()
    app = create_app(fake, graphql_path="/api/graphql")  # type: ignore[arg-type]
    assert (await request(app, "POST", "/api/graphql", json={"query": "{ a }"})).status == 200
    assert (await request(app, "POST", "/graphql", json={"query": "{ a }"})).status == 404
    assert len(fake.calls) == 1


@pytest.mark.parametrize(
    "kwargs",
    [{"graphql_path": "graphql"}, {"graphql_path": "/health"}, {"max_body_size": 0}],
)
def test_invalid_options_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        create_app(FakeGateway(), **kwargs)  # type: ignore[arg-type]


async def test_shutdown_closes_the_gateway(app: Starlette, fake: FakeGateway) -> None:
    sent = await run_lifespan(app)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert fake.closed


# Found by test_fuzz.py: raw query string bytes that are not UTF-8 made Starlette's slash
# redirect (and the error handler's request.url) raise, a 500.
async def test_no_slash_redirect_and_no_500_for_a_non_utf8_query_string(app: Starlette) -> None:
    for path in ("/graphql/", "/health/", "/graphql"):
        reply = await request(app, "GET", path, raw_query=b"\x80=\xff")
        assert reply.status < 500, (path, reply.body)
        assert reply.json()["errors"][0]["message"]
    assert (await request(app, "GET", "/graphql/", params={"query": "{ a }"})).status == 404
