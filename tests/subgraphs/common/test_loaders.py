from __future__ import annotations

import asyncio

from sqlalchemy import event

from subgraphs.common.context import SubgraphContext
from subgraphs.common.loaders import ModelListLoader, ModelLoader

from .models import Part, Widget


class WidgetById(ModelLoader[int, Widget]):
    model = Widget


class PartsByWidget(ModelListLoader[int, Part]):
    model = Part
    column = "widget_id"
    order_by = "id"


async def _seed(db) -> list[int]:
    async with db.transaction() as session:
        widgets = [Widget(name=f"w{i}") for i in range(5)]
        session.add_all(widgets)
        await session.flush()
        session.add_all(
            [Part(widget_id=widgets[0].id, name="p0a"), Part(widget_id=widgets[0].id, name="p0b")]
        )
        session.add(Part(widget_id=widgets[2].id, name="p2"))
        return [w.id for w in widgets]


def _count_selects(db) -> list[str]:
    statements: list[str] = []

    @event.listens_for(db.engine.sync_engine, "before_cursor_execute")
    def _record(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    return statements


async def test_one_query_for_many_keys_in_key_order(db):
    ids = await _seed(db)
    selects = _count_selects(db)
    context = SubgraphContext(
        get_session=db.session_factory, loaders={"widget": WidgetById}, headers={}
    )
    keys = [ids[3], ids[0], 999_999, ids[3], ids[1]]
    try:
        widgets = await asyncio.gather(*(context.loader("widget").load(k) for k in keys))
        assert [w.name if w else None for w in widgets] == ["w3", "w0", None, "w3", "w1"]
        assert len(selects) == 1
        assert context.loader("widget") is context.loader("widget")  # one per request
        # cached per request: loading again issues no query
        assert (await context.loader("widget").load(ids[0])).name == "w0"
        assert len(selects) == 1
    finally:
        await context.close()


async def test_list_loader_and_concurrent_loaders_share_the_session(db):
    ids = await _seed(db)
    selects = _count_selects(db)
    context = SubgraphContext(get_session=db.session_factory, headers={"x-brand": "acme"})
    parts_loader = context.loader("parts", PartsByWidget)
    widget_loader = context.loader("widget", WidgetById)
    try:
        parts, widgets = await asyncio.gather(
            parts_loader.load_many([ids[2], ids[1], ids[0]]),
            widget_loader.load_many([ids[4], ids[2]]),
        )
        assert [[p.name for p in group] for group in parts] == [["p2"], [], ["p0a", "p0b"]]
        assert [w.name for w in widgets] == ["w4", "w2"]
        assert len(selects) == 2
        assert context.brand == "acme"
    finally:
        await context.close()
