"""GraphiQL for browsers: `GET /graphql` asking for text/html gets the IDE, preloaded with an
example operation and an `X-Brand` header, talking to the same endpoint.

GraphiQL and React are vendored in `static/graphiql/` (see its README) and served by the
gateway itself: gateways often run where no CDN is reachable.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from graphql import GraphQLSchema, parse, validate
from starlette.datastructures import MutableHeaders
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.http.examples import example_operation

GRAPHIQL_VERSION = "3.9.0"
REACT_VERSION = "18.3.1"
STATIC_DIR = Path(__file__).parent / "static" / "graphiql"
DEFAULT_ASSETS_PATH = "/graphiql"
DEFAULT_QUERY = """# Brand Matrix: one query across every brand's subgraphs.
# Set X-Brand (below, Headers) to the brand app you are, and Authorization to a member's token.
query Catalogue {
  products(first: 5) {
    id
    name
    priceFen
    category { name }
  }
}
"""
DEFAULT_HEADERS = '{\n  "X-Brand": "lumen"\n}'

# Versioned URLs (?v=content hash) may be cached for good; anything else revalidates.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# No inline script, no third-party origin: the page only talks to this gateway.
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Brand Matrix · GraphiQL</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
  <link rel="stylesheet" href="{css}">
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script id="graphiql-settings" type="application/json">{settings}</script>
  <script src="{react}"></script>
  <script src="{react_dom}"></script>
  <script src="{graphiql}"></script>
  <script src="{boot}"></script>
</body>
</html>
"""


def graphiql_page(
    endpoint: str,
    query: str = DEFAULT_QUERY,
    headers: str = DEFAULT_HEADERS,
    assets_path: str = DEFAULT_ASSETS_PATH,
) -> HTMLResponse:
    settings = json.dumps({"endpoint": endpoint, "query": query, "headers": headers})
    # The settings sit inside <script>: keep "</script>" and friends from closing it.
    settings = settings.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    page = _PAGE.format(
        settings=settings,
        css=asset_url(assets_path, "graphiql.min.css"),
        react=asset_url(assets_path, "react.production.min.js"),
        react_dom=asset_url(assets_path, "react-dom.production.min.js"),
        graphiql=asset_url(assets_path, "graphiql.min.js"),
        boot=asset_url(assets_path, "boot.js"),
    )
    return HTMLResponse(
        page,
        headers={
            "Cache-Control": "no-cache",
            "Content-Security-Policy": _CSP,
            "X-Content-Type-Options": "nosniff",
        },
    )


def asset_url(assets_path: str, name: str) -> str:
    return f"{assets_path.rstrip('/')}/{name}?v={asset_version(name)}"


@cache
def asset_version(name: str) -> str:
    """A content hash: a new vendored build gets new URLs, so browsers never mix versions."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]


def default_query(schema: GraphQLSchema | None) -> str:
    """DEFAULT_QUERY when it is valid for `schema` (the group's supergraph), else an example
    operation built from the schema, so GraphiQL never opens on an operation that fails."""
    if schema is None or not validate(schema, parse(DEFAULT_QUERY)):
        return DEFAULT_QUERY
    return example_operation(schema)


class GraphiQLAssets:
    """Serves the vendored files with caching headers; an ASGI app to mount."""

    def __init__(self) -> None:
        self._files: ASGIApp = StaticFiles(directory=STATIC_DIR)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = scope.get("path", "").rsplit("/", 1)[-1]
        query = scope.get("query_string", b"").decode("latin-1")
        versioned = (STATIC_DIR / name).is_file() and f"v={asset_version(name)}" in query.split("&")

        async def send_with_caching(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Cache-Control"] = IMMUTABLE if versioned else REVALIDATE
                headers["X-Content-Type-Options"] = "nosniff"
            await send(message)

        await self._files(scope, receive, send_with_caching)
