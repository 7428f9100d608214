from __future__ import annotations

import strawberry
from sqlmodel import select

from subgraphs.common.app import create_subgraph_app
from subgraphs.common.context import SubgraphContext
from subgraphs.common.database import transaction

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
