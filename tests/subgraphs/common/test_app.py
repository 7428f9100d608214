from __future__ import annotations

import asyncio
import json
import time

import pytest
import strawberry
from sqlmodel import select

from subgraphs.common.app import create_subgraph_app
from subgraphs.common.auth import KeyRing, SigningKey, issue_token, require_member
from subgraphs.common.bus import InProcessBus
from subgraphs.common.context import SubgraphContext
from subgraphs.common.database import Database, transaction
from subgraphs.common.event_runtime import EventRuntime, Subscription
from subgraphs.common.events import OutboxEvent, ProcessedEvent, record_event

from .asgi import call
from .models import Widget
from .test_loaders import WidgetById

Info = strawberry.Info[SubgraphContext, None]


@strawberry.federation.type(keys=["id"])
class WidgetType:
    id: strawberry.ID
    name: str

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> WidgetType | None:
        row = await info.context.loader("widget").load(int(kwargs["id"]))
        return None if row is None else cls(id=strawberry.ID(str(row.id)), name=row.name)


@strawberry.type
class Query:
    @strawberry.field
    async def widgets(self, info: Info) -> list[WidgetType]:
        async with info.context.db() as session:
            rows = (await session.exec(select(Widget).order_by(Widget.id))).all()
        return [WidgetType(id=strawberry.ID(str(r.id)), name=r.name) for r in rows]

    @strawberry.field
    def brand(self, info: Info) -> str | None:
        return info.context.brand


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def add_widget(self, info: Info, name: str) -> WidgetType:
        async with info.context.db() as session, transaction(session):
            row = Widget(name=name)
            session.add(row)
            await session.flush()
        return WidgetType(id=strawberry.ID(str(row.id)), name=row.name)


schema = strawberry.federation.Schema(
    query=Query, mutation=Mutation, types=[WidgetType], federation_version="2.9"
)


async def test_health():
    app = create_subgraph_app(schema, get_session=lambda: None)
    assert await call(app, "GET", "/health") == (200, {"status": "ok"})


async def test_queries_use_the_request_session_and_close_it(db):
    closed: list[object] = []

    def get_session():
        session = db.session_factory()
        close = session.close

        async def tracked_close() -> None:
            closed.append(session)
            await close()

        session.close = tracked_close  # type: ignore[method-assign]
        return session

    app = create_subgraph_app(schema, get_session=get_session, loaders={"widget": WidgetById})
    status, body = await call(
        app,
        "POST",
        "/graphql",
        json={
            "query": 'mutation { a: addWidget(name: "one") { id } '
            'b: addWidget(name: "two") { id } }'
        },
    )
    assert status == 200 and "errors" not in body, body
    assert len(closed) == 1  # one session for the request, closed after it

    ids = [body["data"]["a"]["id"], body["data"]["b"]["id"]]
    status, body = await call(
        app,
        "POST",
        "/graphql",
        headers={"x-brand": "acme"},
        json={
            "query": "query($reps: [_Any!]!) { brand widgets { name } "
            "_entities(representations: $reps) { ... on WidgetType { id name } } }",
            "variables": {
                "reps": [{"__typename": "WidgetType", "id": i} for i in [ids[1], "0", ids[0]]]
            },
        },
    )
    assert status == 200 and "errors" not in body, body
    assert body["data"] == {
        "brand": "acme",
        "widgets": [{"name": "one"}, {"name": "two"}],
        "_entities": [{"id": ids[1], "name": "two"}, None, {"id": ids[0], "name": "one"}],
    }
    assert len(closed) == 2


# --- access tokens through info.context.claims ---------------------------------------------------

RING = KeyRing([SigningKey("app-test", "a-secret-for-the-app-tests-long-enough-for-hs256")])


@strawberry.type
class Me:
    subject: str
    kind: str
    brand: str | None


@strawberry.type
class AuthQuery:
    @strawberry.field
    def me(self, info: Info) -> Me | None:
        claims = info.context.claims
        return None if claims is None else Me(subject=claims.subject, kind=claims.kind,
                                              brand=claims.brand)  # fmt: skip

    @strawberry.field
    def my_points(self, info: Info) -> int:
        require_member(info.context.claims)
        return 42

    @strawberry.field
    def public(self) -> str:
        return "hello"


auth_schema = strawberry.federation.Schema(query=AuthQuery, federation_version="2.9")


async def graphql(app, query: str, token: str | None = None, **headers: str):
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    status, body = await call(app, "POST", "/graphql", json={"query": query}, headers=headers)
    assert status == 200, body
    return body


async def test_claims_from_a_valid_token():
    app = create_subgraph_app(auth_schema, get_session=lambda: None, key_ring=RING)
    token = issue_token(RING, subject="mbr_1", kind="member", brand="lumen")
    body = await graphql(app, "{ me { subject kind brand } myPoints }", token)
    assert body == {"data": {"me": {"subject": "mbr_1", "kind": "member", "brand": "lumen"},
                             "myPoints": 42}}  # fmt: skip


async def test_no_token_means_no_claims():
    app = create_subgraph_app(auth_schema, get_session=lambda: None, key_ring=RING)
    assert await graphql(app, "{ me { subject } public }") == {
        "data": {"me": None, "public": "hello"}
    }
    body = await graphql(app, "{ myPoints }")
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert error["path"] == ["myPoints"]


async def test_a_guard_refusing_the_caller_is_forbidden():
    app = create_subgraph_app(auth_schema, get_session=lambda: None, key_ring=RING)
    token = issue_token(RING, subject="st_1", kind="staff", brand="lumen")
    [error] = (await graphql(app, "{ myPoints }", token))["errors"]
    assert error["extensions"] == {"code": "FORBIDDEN"}


@pytest.mark.parametrize(
    "authorization",
    ["Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer", "expired", "other-ring"],
)
async def test_an_invalid_token_is_a_graphql_error_not_a_traceback(authorization):
    app = create_subgraph_app(auth_schema, get_session=lambda: None, key_ring=RING)
    if authorization == "expired":
        token = issue_token(RING, subject="m", kind="member", ttl_seconds=60, now=time.time() - 600)
        authorization = f"Bearer {token}"
    elif authorization == "other-ring":
        other = KeyRing([SigningKey("app-test", "another-secret-for-the-app-tests-long-enough")])
        authorization = f"Bearer {issue_token(other, subject='m', kind='member')}"
    status, body = await call(
        app,
        "POST",
        "/graphql",
        json={"query": "{ me { subject } public }"},
        headers={"authorization": authorization},
    )
    assert status == 200
    assert body["data"] == {"me": None, "public": "hello"}  # other fields still resolve
    [error] = body["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert error["path"] == ["me"]
    assert "Traceback" not in json.dumps(body) and "File " not in json.dumps(body)


async def test_key_ring_parameter_is_honoured(monkeypatch):
    # the environment's ring differs from the app's: only the app's verifies
    monkeypatch.setenv("BRAND_MATRIX_JWT_KEYS", "env=a-secret-from-the-environment-long-enough-x")
    env_token = issue_token(KeyRing.from_env(), subject="env-user", kind="member")
    app_token = issue_token(RING, subject="app-user", kind="member")

    app = create_subgraph_app(auth_schema, get_session=lambda: None, key_ring=RING)
    assert (await graphql(app, "{ me { subject } }", app_token))["data"]["me"] == {
        "subject": "app-user"
    }
    [error] = (await graphql(app, "{ me { subject } }", env_token))["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"

    default_app = create_subgraph_app(auth_schema, get_session=lambda: None)
    assert (await graphql(default_app, "{ me { subject } }", env_token))["data"]["me"] == {
        "subject": "env-user"
    }
    assert "errors" in await graphql(default_app, "{ me { subject } }", app_token)
    assert SubgraphContext.key_ring is None  # the app's ring did not leak into the base class


async def test_default_ring_follows_the_environment(monkeypatch):
    app = create_subgraph_app(auth_schema, get_session=lambda: None)
    for n in range(2):
        secret = f"environment-secret-number-{n}-long-enough-for-hs256"
        monkeypatch.setenv("BRAND_MATRIX_JWT_SECRET", secret)
        monkeypatch.delenv("BRAND_MATRIX_JWT_KEYS", raising=False)
        token = issue_token(KeyRing.from_env(), subject=f"user-{n}", kind="member")
        body = await graphql(app, "{ me { subject } }", token)
        assert body == {"data": {"me": {"subject": f"user-{n}"}}}


async def test_key_ring_with_a_custom_context_class():
    class BrandContext(SubgraphContext):
        pass

    app = create_subgraph_app(
        auth_schema, get_session=lambda: None, key_ring=RING, context_class=BrandContext
    )
    token = issue_token(RING, subject="mbr_3", kind="member")
    assert (await graphql(app, "{ me { subject } }", token))["data"]["me"] == {"subject": "mbr_3"}
    assert BrandContext.key_ring is None


# --- lifespan ------------------------------------------------------------------------------------


class Lifespan:
    """Drives an ASGI app's lifespan protocol (what uvicorn does around serving)."""

    def __init__(self, app) -> None:
        self.app = app
        self.inbox: asyncio.Queue[dict] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict] = asyncio.Queue()
        self.task: asyncio.Task | None = None

    async def _send(self, message: dict) -> None:
        await self.outbox.put(message)

    async def startup(self) -> dict:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self.task = asyncio.create_task(self.app(scope, self.inbox.get, self._send))
        await self.inbox.put({"type": "lifespan.startup"})
        return await asyncio.wait_for(self.outbox.get(), 10)

    async def shutdown(self) -> dict:
        await self.inbox.put({"type": "lifespan.shutdown"})
        message = await asyncio.wait_for(self.outbox.get(), 10)
        await self.finished()
        return message

    async def finished(self) -> BaseException | None:
        """The app's lifespan task ended; its error (Starlette re-raises a failed hook's)."""
        assert self.task is not None
        await asyncio.wait((self.task,), timeout=10)
        assert self.task.done()
        return self.task.exception()


class FakeEvents:
    def __init__(self, log: list[str], fail_start: bool = False) -> None:
        self.log = log
        self.fail_start = fail_start

    async def start(self) -> None:
        self.log.append("events.start")
        if self.fail_start:
            raise RuntimeError("the bus is down")

    async def stop(self) -> None:
        self.log.append("events.stop")


async def test_lifespan_starts_and_stops_events():
    log: list[str] = []

    async def on_shutdown() -> None:
        log.append("on_shutdown")

    events = FakeEvents(log)
    app = create_subgraph_app(
        auth_schema, get_session=lambda: None, events=events, on_shutdown=on_shutdown
    )
    assert app.state.events is events
    lifespan = Lifespan(app)
    assert await lifespan.startup() == {"type": "lifespan.startup.complete"}
    assert log == ["events.start"]
    assert (await graphql(app, "{ public }"))["data"] == {"public": "hello"}
    assert await lifespan.shutdown() == {"type": "lifespan.shutdown.complete"}
    assert log == ["events.start", "events.stop", "on_shutdown"]


async def test_lifespan_with_a_real_event_runtime(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'events.db'}")
    await database.create_tables(OutboxEvent, ProcessedEvent)
    bus = InProcessBus()
    seen: list[str] = []

    async def handler(event) -> None:
        seen.append(event.id)

    runtime = EventRuntime(
        database, bus=bus, subscriptions=[Subscription("c", ("t",), handler)], poll_seconds=0.01
    )
    app = create_subgraph_app(auth_schema, get_session=lambda: None, events=runtime)
    lifespan = Lifespan(app)
    assert (await lifespan.startup())["type"] == "lifespan.startup.complete"
    async with database.transaction() as session:
        record_event(session, "t", {"n": 1}, event_id="e1")
    for _ in range(500):
        if seen:
            break
        await asyncio.sleep(0.01)
    assert seen == ["e1"]
    assert (await lifespan.shutdown())["type"] == "lifespan.shutdown.complete"
    assert runtime.relay._task is None and not bus._workers
    await database.dispose()


async def test_a_failed_startup_still_runs_the_shutdown_hooks():
    log: list[str] = []
    app = create_subgraph_app(
        auth_schema,
        get_session=lambda: None,
        events=FakeEvents(log, fail_start=True),
        on_shutdown=lambda: log.append("on_shutdown"),
    )
    lifespan = Lifespan(app)
    message = await lifespan.startup()
    assert message["type"] == "lifespan.startup.failed"
    assert "the bus is down" in message["message"]
    assert isinstance(await lifespan.finished(), RuntimeError)
    assert log == ["events.start", "events.stop", "on_shutdown"]


async def test_every_shutdown_hook_runs_when_one_fails():
    log: list[str] = []

    class FailingStop(FakeEvents):
        async def stop(self) -> None:
            log.append("events.stop")
            raise RuntimeError("stop failed")

    app = create_subgraph_app(
        auth_schema,
        get_session=lambda: None,
        events=FailingStop(log),
        on_shutdown=lambda: log.append("on_shutdown"),
    )
    lifespan = Lifespan(app)
    assert (await lifespan.startup())["type"] == "lifespan.startup.complete"
    message = await lifespan.shutdown()
    assert message["type"] == "lifespan.shutdown.failed"
    assert log == ["events.start", "events.stop", "on_shutdown"]


async def test_no_lifespan_hooks_without_events_or_shutdown():
    app = create_subgraph_app(auth_schema, get_session=lambda: None)
    assert app.state.events is None
    lifespan = Lifespan(app)
    assert await lifespan.startup() == {"type": "lifespan.startup.complete"}
    assert await lifespan.shutdown() == {"type": "lifespan.shutdown.complete"}
