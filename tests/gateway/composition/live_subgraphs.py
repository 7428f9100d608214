"""A real HTTP server on a free loopback port for the live `_service { sdl }` tests.

`serve()` runs uvicorn in a thread with the Strawberry shop subgraphs and a few endpoints
that answer badly, and always stops it. Paths:

- `/products`, `/reviews`: the Strawberry federation subgraphs of `strawberry_shop`
- `/not-federation`: a plain Strawberry schema without `_service` (GraphQL errors)
- `/html`: an HTML page; `/broken`: HTTP 500 with plain text; `/empty-sdl`: JSON without SDL
- `/slow`: never answers until the server stops
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import strawberry
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from strawberry.asgi import GraphQL

from tests.gateway.composition import strawberry_shop


@strawberry.type
class PlainQuery:
    @strawberry.field
    def hello(self) -> str:
        return "hi"


def _app(stopping: threading.Event) -> Starlette:
    async def html(request: Request) -> Response:
        return HTMLResponse("<html><body><h1>Welcome to nginx!</h1></body></html>")

    async def broken(request: Request) -> Response:
        return PlainTextResponse("upstream exploded", status_code=500)

    async def empty_sdl(request: Request) -> Response:
        return JSONResponse({"data": {"_service": None}})

    async def slow(request: Request) -> Response:
        while not stopping.is_set():
            await asyncio.sleep(0.02)
        return PlainTextResponse("too late")

    schemas = strawberry_shop.schemas()
    return Starlette(
        routes=[
            Mount("/products", app=GraphQL(schemas["products"])),
            Mount("/reviews", app=GraphQL(schemas["reviews"])),
            Mount("/not-federation", app=GraphQL(strawberry.Schema(query=PlainQuery))),
            Route("/html", html, methods=["POST"]),
            Route("/broken", broken, methods=["POST"]),
            Route("/empty-sdl", empty_sdl, methods=["POST"]),
            Route("/slow", slow, methods=["POST"]),
        ]
    )


@contextmanager
def serve() -> Iterator[str]:
    """Serve the endpoints above; yields the base URL (http://127.0.0.1:PORT)."""
    stopping = threading.Event()
    config = uvicorn.Config(
        _app(stopping), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-subgraphs", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the live subgraph server did not start")
            time.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        stopping.set()
        server.should_exit = True
        thread.join(10)


@contextmanager
def refusing_url() -> Iterator[str]:
    """A loopback URL whose port is bound but not listening: connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/graphql"
