"""Builds the Starlette application that serves a Gateway over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route

from gateway.http.endpoint import GraphQLEndpoint
from gateway.http.errors import http_exception_handler, server_error_handler
from gateway.http.health import health

if TYPE_CHECKING:
    from gateway.service import Gateway

DEFAULT_MAX_BODY_SIZE = 1024 * 1024  # 1 MiB: far above any real operation, small for a DoS
HEALTH_PATH = "/health"


def create_app(
    gateway: Gateway,
    *,
    graphql_path: str = "/graphql",
    max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    on_startup: Sequence[Callable[[], Awaitable[None]]] = (),
    on_shutdown: Sequence[Callable[[], Awaitable[None]]] = (),
    graphiql: bool = True,
    graphiql_query: str | None = None,
) -> Starlette:
    """`graphiql`: browsers opening the GraphQL path get GraphiQL (`graphiql_query` preloaded).
    The app owns the gateway from here on: it closes it when the server shuts down.
    `on_startup` / `on_shutdown` run in the server's event loop (e.g. the config watcher)."""
    if not graphql_path.startswith("/") or graphql_path == HEALTH_PATH:
        raise ValueError(f"graphql_path must start with '/' and not be {HEALTH_PATH}")
    if max_body_size <= 0:
        raise ValueError("max_body_size must be positive")
    extra = {} if graphiql_query is None else {"graphiql_query": graphiql_query}
    endpoint = GraphQLEndpoint(gateway, max_body_size=max_body_size, graphiql=graphiql, **extra)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        for hook in on_startup:
            await hook()
        try:
            yield
        finally:
            for hook in on_shutdown:
                await hook()
            # Pooled subgraph connections belong to the server's event loop: close them in it.
            await gateway.aclose()

    return Starlette(
        routes=[
            Route(graphql_path, endpoint),
            Route(HEALTH_PATH, health, methods=["GET"]),
        ],
        exception_handlers={
            HTTPException: http_exception_handler,
            Exception: server_error_handler,
        },
        lifespan=lifespan,
    )
