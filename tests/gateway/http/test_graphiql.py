"""GraphiQL: browsers opening /graphql get the IDE; API clients never do."""

from __future__ import annotations

import pytest

from gateway.http import create_app
from gateway.http.graphiql import graphiql_page
from gateway.http.negotiation import prefers_html
from tests.gateway.http.asgi_client import request
from tests.gateway.http.fakes import FakeGateway

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (BROWSER, True),
        ("text/html", True),
        (None, False),
        ("*/*", False),
        ("application/json", False),
        ("text/html;q=0.5, application/json", False),
        ("text/*", False),
        ("text/html;q=0", False),
    ],
)
def test_prefers_html(accept: str | None, expected: bool) -> None:
    assert prefers_html(accept) is expected


async def test_browser_get_without_query_gets_graphiql() -> None:
    fake = FakeGateway()
    reply = await request(create_app(fake), "GET", headers={"Accept": BROWSER})  # type: ignore[arg-type]
    assert reply.status == 200
    assert reply.media_type == "text/html"
    page = reply.body.decode()
    assert "GraphiQL" in page and '"endpoint": "/graphql"' in page
    assert "X-Brand" in page  # the default headers a brand front-end needs
    assert fake.calls == []


async def test_graphiql_can_be_turned_off_and_api_clients_never_get_it() -> None:
    fake = FakeGateway()
    off = create_app(fake, graphiql=False)  # type: ignore[arg-type]
    assert (await request(off, "GET", headers={"Accept": BROWSER})).status != 200
    on = create_app(FakeGateway())  # type: ignore[arg-type]
    reply = await request(on, "GET", headers={"Accept": "application/json"})
    assert reply.media_type != "text/html"


def test_default_query_cannot_close_the_script_tag() -> None:
    page = graphiql_page("/graphql", query="</script><script>alert(1)</script>").body.decode()
    assert "</script><script>alert(1)" not in page
    assert "\\u003c/script\\u003e" in page
