"""`create_subgraph_app(schema, get_session=...)`: a subgraph's ASGI app.

Serves the Strawberry schema at `/graphql` (POST; GET for queries) with a `SubgraphContext`
per request, whose session is closed once the response is sent, and `GET /health`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import asynccontextmanager
from inspect import isawaitable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.schema import BaseSchema

from .context import LoaderFactory, SubgraphContext
from .database import Database, SessionFactory

_CONTEXTS_KEY = "brand_matrix.subgraph_contexts"


class SubgraphGraphQL(GraphQL):
    """Strawberry's ASGI app with a `SubgraphContext` and cleanup after each request."""

    def __init__(
        self,
        schema: BaseSchema,
        *,
        get_session: SessionFactory,
        loaders: Mapping[str, LoaderFactory] | None = None,
        context_class: type[SubgraphContext] = SubgraphContext,
        **kwargs: Any,
    ) -> None:
        super().__init__(schema, **kwargs)
        self._get_session = get_session
        self._loaders = dict(loaders or {})
        self._context_class = context_class

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        contexts: list[SubgraphContext] = []
        scope[_CONTEXTS_KEY] = contexts
        try:
            await super().__call__(scope, receive, send)
        finally:
            for context in contexts:
                await context.close()

    async def get_context(self, request: Any, response: Any = None) -> SubgraphContext:
        context = self._context_class(
            get_session=self._get_session,
            request=request,
            response=response,
            loaders=self._loaders,
        )
        request.scope.setdefault(_CONTEXTS_KEY, []).append(context)
        return context


async def _health(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_subgraph_app(
    schema: BaseSchema,
    *,
    get_session: SessionFactory | None = None,
    loaders: Mapping[str, LoaderFactory] | None = None,
    context_class: type[SubgraphContext] = SubgraphContext,
    path: str = "/graphql",
    graphql_ide: str | None = "graphiql",
    on_shutdown: Callable[[], Any] | None = None,
) -> Starlette:
    """The subgraph's ASGI app. `get_session` makes the request's session (e.g.
    `Database(url).session_factory`); by default a `Database` from `DATABASE_URL`, created on
    first use and disposed at shutdown."""
    shutdown: list[Callable[[], Any]] = [on_shutdown] if on_shutdown else []
    if get_session is None:
        holder: list[Database] = []

        def get_session():  # type: ignore[no-redef]
            if not holder:
                holder.append(Database())
            return holder[0].session_factory()

        async def _dispose() -> None:
            if holder:
                await holder.pop().dispose()

        shutdown.append(_dispose)

    graphql = SubgraphGraphQL(
        schema,
        get_session=get_session,
        loaders=loaders,
        context_class=context_class,
        graphql_ide=graphql_ide,  # type: ignore[arg-type]
    )
    return Starlette(
        routes=[
            Route("/health", _health, methods=["GET"]),
            Route(path, graphql, methods=["GET", "POST"]),
        ],
        lifespan=_lifespan(shutdown) if shutdown else None,
    )


def _lifespan(shutdown: list[Callable[[], Any]]):
    @asynccontextmanager
    async def lifespan(_app):
        yield
        for fn in shutdown:
            result = fn()
            if isawaitable(result):
                await result

    return lifespan
