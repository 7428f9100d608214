"""Catalogue partitions served over real HTTP (uvicorn on a free loopback port, always stopped).

Paths: `/lumen`, `/aurora`, `/nova`: the Strawberry catalogue of that brand; `/reordered`:
the catalogue SDL with other formatting, order, descriptions and `extend type`; `/changed`:
the catalogue SDL with one more field (`Product.colour`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from strawberry.asgi import GraphQL

from tests.gateway.partitions.brands_federation import BRANDS, catalogue_schema

REORDERED = '''
extend schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key"])
"""The brand's own products."""
type Query {
  catalogueBrand: String!
  featured(brand: String!): Product!
}
type Product @key(fields: "id") { price: Float!  name: String!  brand: String!  id: ID! }
extend type Query { products: [Product!]! }
'''


def changed_sdl() -> str:
    return (
        catalogue_schema("lumen")
        .as_str()
        .replace("  brand: String!\n", "  brand: String!\n  colour: String\n")
    )


def _sdl_route(sdl: str) -> Route:
    async def answer(request: Request) -> Response:
        return JSONResponse({"data": {"_service": {"sdl": sdl}}})

    return Route("/", answer, methods=["POST"])


def _app() -> Starlette:
    routes = [Mount(f"/{brand}", app=GraphQL(catalogue_schema(brand))) for brand in BRANDS]
    routes.append(Mount("/reordered", routes=[_sdl_route(REORDERED)]))
    routes.append(Mount("/changed", routes=[_sdl_route(changed_sdl())]))
    return Starlette(routes=routes)


@contextmanager
def serve() -> Iterator[str]:
    """Serve the paths above; yields the base URL (http://127.0.0.1:PORT)."""
    config = uvicorn.Config(_app(), host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-partitions", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the live partition server did not start")
            time.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
