"""`create_subgraph_app(schema, get_session=...)`: a subgraph's ASGI app.

Serves the Strawberry schema at `/graphql` (POST; GET for queries) with a `SubgraphContext`
per request, whose session is closed once the response is sent, and `GET /health`; with
`publish_jwks=True` (the member subgraph, the issuer) also `GET /.well-known/jwks.json`: the
public keys of its key ring, outside the gateway-secret guard (public key material).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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

from tokenkeys import jwks_document

from .auth import KeyRing
from .context import LoaderFactory, SubgraphContext, default_key_ring
from .database import Database, SessionFactory
from .event_runtime import EventRuntime
from .gateway_secret import GatewayGuard, parse_secrets, secrets_from_env

_CONTEXTS_KEY = "brand_matrix.subgraph_contexts"
JWKS_PATH = "/.well-known/jwks.json"


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
        # JWKS keys are fetched here, async, before any resolver reads the sync `claims`, and
        # not at startup: subgraphs start together with the member that publishes the keys,
        # and a failed start-up fetch would rate-limit the first real one.
        await context.prepare_auth()
        return context


async def _health(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _jwks_endpoint(key_ring: KeyRing | None) -> Callable[[Request], Any]:
    async def jwks(_request: Request) -> JSONResponse:
        ring = key_ring or default_key_ring()
        return JSONResponse(
            jwks_document(ring.public_keys), headers={"cache-control": "public, max-age=300"}
        )

    return jwks


def create_subgraph_app(
    schema: BaseSchema,
    *,
    get_session: SessionFactory | None = None,
    loaders: Mapping[str, LoaderFactory] | None = None,
    context_class: type[SubgraphContext] = SubgraphContext,
    path: str = "/graphql",
    graphql_ide: str | None = "graphiql",
    on_shutdown: Callable[[], Any] | None = None,
    key_ring: KeyRing | None = None,
    events: EventRuntime | None = None,
    gateway_secrets: Sequence[str] | str | None = None,
    publish_jwks: bool = False,
) -> Starlette:
    """The subgraph's ASGI app. `get_session` makes the request's session (e.g.
    `Database(url).session_factory`); by default a `Database` from `DATABASE_URL`, created on
    first use and disposed at shutdown. `key_ring` verifies access tokens (default: from the
    environment); `events` (outbox relay and consumers) starts and stops with the app.
    `gateway_secrets`: `path` answers only requests carrying one of them in
    `x-brand-matrix-gateway` (else HTTP 403, `GATEWAY_REQUIRED`; `/health` stays open);
    default: `BRAND_MATRIX_GATEWAY_SECRET` (comma-separated), `()` or unset: no check.
    `publish_jwks`: serve the key ring's public keys at `/.well-known/jwks.json`."""
    startup: list[Callable[[], Any]] = []
    shutdown: list[Callable[[], Any]] = []
    if events is not None:
        startup.append(events.start)
        shutdown.append(events.stop)
    if on_shutdown:
        shutdown.append(on_shutdown)
    if key_ring is not None:
        context_class = type(context_class.__name__, (context_class,), {"key_ring": key_ring})
        shutdown.append(key_ring.aclose)  # a JWKS source's HTTP session
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
    secrets = secrets_from_env() if gateway_secrets is None else parse_secrets(gateway_secrets)
    endpoint: Any = GatewayGuard(graphql, secrets) if secrets else graphql
    routes = [
        Route("/health", _health, methods=["GET"]),
        Route(path, endpoint, methods=["GET", "POST"]),
    ]
    if publish_jwks:
        routes.append(Route(JWKS_PATH, _jwks_endpoint(key_ring), methods=["GET"]))
    app = Starlette(
        routes=routes,
        lifespan=_lifespan(startup, shutdown) if startup or shutdown else None,
    )
    app.state.events = events
    app.state.gateway_secrets = secrets
    return app


async def _call(fn: Callable[[], Any]) -> None:
    result = fn()
    if isawaitable(result):
        await result


def _lifespan(startup: list[Callable[[], Any]], shutdown: list[Callable[[], Any]]):
    @asynccontextmanager
    async def lifespan(_app):
        # Every shutdown hook runs, also when startup failed half-way or a hook raised (a relay
        # left running or an engine left open would outlive the app); the first error wins.
        try:
            for fn in startup:
                await _call(fn)
            yield
        finally:
            failure: BaseException | None = None
            for fn in shutdown:
                try:
                    await _call(fn)
                except Exception as error:
                    failure = failure or error
            if failure is not None:
                raise failure

    return lifespan


def deployment_app(
    schema: BaseSchema,
    database: Database,
    *,
    events: EventRuntime,
    loaders: Mapping[str, LoaderFactory],
    context_class: type[SubgraphContext],
    context: Mapping[str, Any] | None = None,
    key_ring: KeyRing | None = None,
    state: Mapping[str, Any] | None = None,
    gateway_secrets: Sequence[str] | str | None = None,
    publish_jwks: bool = False,
) -> Starlette:
    """One deployment of a subgraph: `schema` on `database` (disposed at shutdown) with its
    `events` (relay and consumers, started and stopped with the app), a context class bound to
    `context` (class attributes: the deployment's brand, settings...), `key_ring` (default:
    from the environment). `app.state` holds `database`, `events`, `key_ring`,
    `context_class` and whatever `state` adds. `gateway_secrets`, `publish_jwks`: see
    `create_subgraph_app` (default: `BRAND_MATRIX_GATEWAY_SECRET`; no JWKS)."""
    key_ring = key_ring or KeyRing.from_env()
    bound = type(context_class.__name__, (context_class,), dict(context or {}))
    app = create_subgraph_app(
        schema,
        get_session=database.session_factory,
        loaders=loaders,
        context_class=bound,
        on_shutdown=database.dispose,
        key_ring=key_ring,
        events=events,
        gateway_secrets=gateway_secrets,
        publish_jwks=publish_jwks,
    )
    app.state.database = database
    app.state.events = events
    app.state.key_ring = key_ring
    app.state.context_class = bound
    for name, value in (state or {}).items():
        setattr(app.state, name, value)
    return app
