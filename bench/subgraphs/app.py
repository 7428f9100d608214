"""ASGI apps: each subgraph on its own (in-process use), and all four behind one server.

The combined app mirrors the reference mock's routes: POST /accounts, /inventory,
/products and /reviews; GET /health ("OK"), /count (subgraph requests served so far) and
/bytes (request and response byte totals of executed operations). Plain ASGI rather than
a framework: the subgraphs share a 2-core machine with the gateway during the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bench.subgraphs import accounts, inventory, products, reviews
from bench.subgraphs.endpoint import RESPONSE_CACHE_SIZE, GraphQLEndpoint

SUBGRAPH_MODULES: dict[str, ModuleType] = {
    "accounts": accounts,
    "inventory": inventory,
    "products": products,
    "reviews": reviews,
}
SUBGRAPH_NAMES: tuple[str, ...] = tuple(SUBGRAPH_MODULES)

_JSON = [(b"content-type", b"application/json")]
_TEXT = [(b"content-type", b"text/plain; charset=utf-8")]


@dataclass(slots=True)
class Stats:
    """What the reference reports on /count and /bytes."""

    count: int = 0
    bytes_in: int = 0
    bytes_out: int = 0


class SubgraphApp:
    """One subgraph: answers a GraphQL POST on any path."""

    def __init__(self, name: str, endpoint: GraphQLEndpoint, stats: Stats | None = None) -> None:
        self.name = name
        self.endpoint = endpoint
        self.stats = stats if stats is not None else Stats()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
        elif scope["type"] == "http" and scope["method"] == "POST":
            await self.serve(receive, send)
        else:
            await _respond(send, 404, b"", [])

    async def serve(self, receive: Receive, send: Send) -> None:
        body = await _read_body(receive)
        stats = self.stats
        stats.count += 1
        answer = self.endpoint.answer(body)
        if answer.executed:
            stats.bytes_in += len(body)
            stats.bytes_out += len(answer.body)
        await _respond(send, answer.status, answer.body, _JSON if answer.body else [])


class SubgraphsApp:
    """All four subgraphs on one server, routed by path like the reference mock."""

    def __init__(self, apps: dict[str, SubgraphApp], stats: Stats) -> None:
        self.stats = stats
        self._routes = {f"/{name}": app for name, app in apps.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await _lifespan(receive, send)
            return
        method, path = scope["method"], scope["path"]
        if method == "POST" and (app := self._routes.get(path)) is not None:
            await app.serve(receive, send)
        elif method == "GET" and path == "/health":
            await _respond(send, 200, b"OK", _TEXT)
        elif method == "GET" and path == "/count":
            await _respond(send, 200, str(self.stats.count).encode(), _TEXT)
        elif method == "GET" and path == "/bytes":
            stats = self.stats
            body = orjson.dumps(
                {"count": stats.count, "bytesIn": stats.bytes_in, "bytesOut": stats.bytes_out}
            )
            await _respond(send, 200, body, _TEXT)
        else:
            await _respond(send, 404, b"", [])


def subgraph_apps(
    stats: Stats | None = None, *, response_cache_size: int = RESPONSE_CACHE_SIZE
) -> dict[str, SubgraphApp]:
    """Each subgraph's own ASGI app, keyed by subgraph name; `stats` may be shared."""
    stats = stats if stats is not None else Stats()
    return {
        name: SubgraphApp(
            name, GraphQLEndpoint(module.schema, response_cache_size=response_cache_size), stats
        )
        for name, module in SUBGRAPH_MODULES.items()
    }


def create_app(*, response_cache_size: int = RESPONSE_CACHE_SIZE) -> ASGIApp:
    """The four subgraphs behind one ASGI app, as the benchmark's subgraph server."""
    stats = Stats()
    return SubgraphsApp(subgraph_apps(stats, response_cache_size=response_cache_size), stats)


async def _read_body(receive: Receive) -> bytes:
    message = await receive()
    body: bytes = message.get("body", b"")
    if not message.get("more_body"):
        return body
    chunks = [body]
    while message.get("more_body"):
        message = await receive()
        chunks.append(message.get("body", b""))
    return b"".join(chunks)


async def _respond(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [*headers, (b"content-length", str(len(body)).encode())],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
