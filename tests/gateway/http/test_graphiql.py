"""GraphiQL: browsers opening /graphql get the IDE; API clients never do."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema, parse, validate

from gateway.http import create_app
from gateway.http.examples import example_operation
from gateway.http.graphiql import (
    DEFAULT_QUERY,
    GRAPHIQL_VERSION,
    STATIC_DIR,
    asset_url,
    asset_version,
    default_query,
    graphiql_page,
)
from gateway.http.negotiation import prefers_html
from gateway.service import Gateway
from tests.gateway.http.asgi_client import request
from tests.gateway.http.fakes import FakeGateway
from tests.gateway.tiny_federation import supergraph_sdl

ROOT = Path(__file__).parents[3]
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


# -- the vendored assets and the example operation -------------------------------------------

ASSETS = ("graphiql.min.js", "graphiql.min.css", "react.production.min.js", "boot.js")


async def test_page_loads_only_the_gateways_own_assets() -> None:
    reply = await request(create_app(FakeGateway()), "GET", headers={"Accept": BROWSER})  # type: ignore[arg-type]
    page = reply.body.decode()
    assert "unpkg" not in page and "https://" not in page
    for name in ASSETS:
        assert f'"{asset_url("/graphiql", name)}"' in page
    assert "script-src 'self'" in reply.headers["content-security-policy"]


@pytest.mark.parametrize("name", ASSETS)
async def test_assets_are_served_with_caching_headers(name: str) -> None:
    app = create_app(FakeGateway())  # type: ignore[arg-type]
    versioned = await request(app, "GET", f"/graphiql/{name}", params={"v": asset_version(name)})
    assert versioned.status == 200
    assert versioned.body == (STATIC_DIR / name).read_bytes()
    assert versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert versioned.headers["content-type"].startswith(
        "text/css" if name.endswith(".css") else ("text/javascript", "application/javascript")
    )
    plain = await request(app, "GET", f"/graphiql/{name}")
    assert plain.headers["cache-control"] == "no-cache" and "etag" in plain.headers


async def test_assets_path_is_configurable_and_unknown_files_are_404() -> None:
    app = create_app(FakeGateway(), graphiql_assets_path="/ide/")  # type: ignore[arg-type]
    page = (await request(app, "GET", headers={"Accept": BROWSER})).body.decode()
    assert '"/ide/boot.js?v=' in page
    assert (await request(app, "GET", "/ide/boot.js")).status == 200
    missing = await request(app, "GET", "/ide/nope.js")
    assert missing.status == 404 and missing.json()["errors"]
    off = create_app(FakeGateway(), graphiql=False)  # type: ignore[arg-type]
    assert (await request(off, "GET", "/graphiql/boot.js")).status == 404
    with pytest.raises(ValueError):
        create_app(FakeGateway(), graphiql_assets_path="/graphql")  # type: ignore[arg-type]


def test_vendored_files_carry_their_licences() -> None:
    for name in ("LICENSE.graphiql", "LICENSE.react", "LICENSE.react-dom", "README.md"):
        assert (STATIC_DIR / name).is_file()
    assert GRAPHIQL_VERSION in (STATIC_DIR / "README.md").read_text()


def test_default_query_is_valid_for_the_groups_api_schema() -> None:
    schema = build_schema((ROOT / "schema" / "api.graphql").read_text())
    assert default_query(schema) == DEFAULT_QUERY
    assert not validate(schema, parse(DEFAULT_QUERY))


def test_other_schemas_get_an_example_built_from_them() -> None:
    schema = Gateway(supergraph_sdl()).api_schema
    example = default_query(schema)
    assert example.startswith("# An example") and "query Example" in example
    assert "hello" in example and not validate(schema, parse(example))
    empty = build_schema("type Query { needs(id: ID!): String }")
    assert "__typename" in example_operation(empty)
    nested = build_schema(
        "type Query { shop: Shop, items(first: Int = 3): [Item!]! }"
        " type Shop { name: String! owner: Item } type Item { id: ID! }"
    )
    assert "shop { name }" in example_operation(nested)
    assert "items { id }" in example_operation(nested)


async def test_browser_get_with_a_non_utf8_query_string_gets_graphiql() -> None:
    app = create_app(FakeGateway())  # type: ignore[arg-type]
    reply = await request(app, "GET", headers={"Accept": "text/html"}, raw_query=b"x=\x80")
    assert reply.status == 200  # was a 500: the page's URL decoded the query string as UTF-8
    assert reply.media_type == "text/html"
