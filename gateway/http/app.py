"""Builds the Starlette application that serves a Gateway over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Mount, Route

from gateway.http.endpoint import GraphQLEndpoint
from gateway.http.errors import http_exception_handler, server_error_handler
from gateway.http.graphiql import DEFAULT_ASSETS_PATH, GraphiQLAssets, default_query
from gateway.http.health import health

if TYPE_CHECKING:
    from gateway.http.ready import Readiness
    from gateway.persisted import PersistedQueries
    from gateway.service import Gateway

DEFAULT_MAX_BODY_SIZE = 1024 * 1024  # 1 MiB: far above any real operation, small for a DoS
HEALTH_PATH = "/health"
CONTRACT_PATH = "/contracts/{name}/graphql"  # each contract of the gateway (gateway.contracts)


def create_app(
    gateway: Gateway,
    *,
    graphql_path: str = "/graphql",
    max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    on_startup: Sequence[Callable[[], Awaitable[None]]] = (),
    on_shutdown: Sequence[Callable[[], Awaitable[None]]] = (),
    graphiql: bool = True,
    graphiql_query: str | None = None,
    graphiql_assets_path: str = DEFAULT_ASSETS_PATH,
    persisted_queries: PersistedQueries | None = None,
    readiness: Readiness | None = None,  # GET /ready (gateway/http/ready.py)
) -> Starlette:
    """`graphiql`: browsers opening the GraphQL path get GraphiQL (`graphiql_query` preloaded;
    by default an example valid for the gateway's schema), its files served under
    `graphiql_assets_path`. `persisted_queries`: APQ and/or the safelist (without it, APQ
    clients are told PERSISTED_QUERY_NOT_SUPPORTED and send full queries).
    The app owns the gateway (and the persisted query store) from here on: it closes them when
    the server shuts down.
    `on_startup` / `on_shutdown` run in the server's event loop (e.g. the config watcher)."""
    if not graphql_path.startswith("/") or graphql_path == HEALTH_PATH:
        raise ValueError(f"graphql_path must start with '/' and not be {HEALTH_PATH}")
    if max_body_size <= 0:
        raise ValueError("max_body_size must be positive")
    assets_path = "/" + graphiql_assets_path.strip("/")
    if assets_path in ("/", graphql_path, HEALTH_PATH):
        raise ValueError("graphiql_assets_path must be its own path, e.g. /graphiql")
    if graphiql_query is None:
        graphiql_query = default_query(getattr(gateway, "api_schema", None))
    endpoint = GraphQLEndpoint(
        gateway,
        max_body_size=max_body_size,
        graphiql=graphiql,
        graphiql_query=graphiql_query,
        graphiql_assets_path=assets_path,
        persisted_queries=persisted_queries,
    )

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
            if persisted_queries is not None:
                await persisted_queries.aclose()

    routes: list[BaseRoute] = [
        Route(graphql_path, endpoint),
        Route(HEALTH_PATH, health, methods=["GET"]),
    ]
    for name in getattr(gateway, "contract_names", ()):
        # Same limits, auth, APQ and GraphiQL as the main endpoint; the contract's schema.
        contract_endpoint = GraphQLEndpoint(
            gateway,
            max_body_size=max_body_size,
            graphiql=graphiql,
            graphiql_query=default_query(gateway.contract_api_schema(name)),
            graphiql_assets_path=assets_path,
            persisted_queries=persisted_queries,
            contract=name,
        )
        routes.append(Route(CONTRACT_PATH.format(name=name), contract_endpoint))
    if graphiql:
        routes.append(Mount(assets_path, app=GraphiQLAssets()))
    if readiness is not None:
        routes.append(Route("/ready", readiness.endpoint, methods=["GET"]))
    app = Starlette(
        routes=routes,
        exception_handlers={
            HTTPException: http_exception_handler,
            Exception: server_error_handler,
        },
        lifespan=lifespan,
    )
    # No 307 from /graphql/ to /graphql: an API's clients use the one path, and Starlette's
    # redirect decodes the query string as UTF-8 (a 500 for raw non-UTF-8 bytes). A 404 instead.
    app.router.redirect_slashes = False
    return app
