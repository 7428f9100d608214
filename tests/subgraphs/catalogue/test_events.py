"""The `catalogue-<brand>` consumer of `order.paid`: this brand's lines come off the stock,
never below zero (the shortfall is recorded), once per event."""

from __future__ import annotations

from sqlmodel import select

from subgraphs.catalogue.app import create_app
from subgraphs.catalogue.models import Sku, StockShortfall
from subgraphs.common.bus import InProcessBus
from subgraphs.common.events import Event

from .conftest import BRAND


def paid(order_id: str, *lines: tuple[str, int]) -> Event:
    """An `order.paid` event as the order subgraph publishes it; lines are (skuId, quantity)."""
    return Event(
        id=f"order:{order_id}:paid",
        topic="order.paid",
        payload={
            "orderId": order_id,
            "memberId": "mbr_1",
            "channelBrand": "lumen",
            "paidAt": "2025-01-15T12:00:00+00:00",
            "totalFen": 1,
            "couponId": None,
            "lines": [
                {
                    "brand": sku.split(":")[0],
                    "productId": sku.rsplit("-", 1)[0],
                    "skuId": sku,
                    "categoryId": "skincare",
                    "quantity": quantity,
                    "amountFen": 1,
                    "source": None,
                }
                for sku, quantity in lines
            ],
        },
        occurred_at="2025-01-15T12:00:00+00:00",
    )


def line(sku: str, quantity: int) -> tuple[str, int]:
    return (sku, quantity)


async def stock(app, code: str) -> int:
    async with app.state.database.session() as session:
        row = await session.get(Sku, code)
        return row.stock


async def shortfalls(app) -> list[tuple[str, str, int, int]]:
    async with app.state.database.session() as session:
        rows = (await session.exec(select(StockShortfall).order_by(StockShortfall.id))).all()
    return [(r.order_id, r.sku_id, r.requested, r.available) for r in rows]


async def test_paid_order_decrements_this_brands_stock_once(app, database_url):
    bus = InProcessBus()
    consumer = create_app(BRAND, database_url, bus=bus)
    await consumer.state.events.start()
    try:
        event = paid(
            "o-1",
            line("lumen:SKU-1001-30ML", 2),
            line("aurora:SKU-1001-30ML", 5),  # another brand's line: not ours
            line("lumen:SKU-1005-100ML", 1),
            line("lumen:SKU-1001-30ML", 1),  # the same SKU twice in one order
        )
        await bus.publish(event)
        await bus.publish(event)  # de-duplicated by the bus
        await bus.drain()
        # a redelivery under another bus message (same event id) changes nothing twice
        await consumer.state.events.stop()
        handler = consumer.state.events.subscriptions[0].handler
        await handler(event)
        await handler(event)
    finally:
        await consumer.state.events.stop()
        await consumer.state.database.dispose()
    assert await stock(app, "SKU-1001-30ML") == 12 - 3
    assert await stock(app, "SKU-1005-100ML") == 40 - 1
    assert await shortfalls(app) == []


async def test_oversell_stops_at_zero_and_is_recorded(app, database_url):
    consumer = create_app(BRAND, database_url, bus=InProcessBus())
    handler = consumer.state.events.subscriptions[0].handler
    try:
        await handler(paid("o-2", line("lumen:SKU-1002-50ML", 8), line("lumen:SKU-GONE-1", 1)))
    finally:
        await consumer.state.database.dispose()
    assert await stock(app, "SKU-1002-50ML") == 0
    assert await shortfalls(app) == [("o-2", "SKU-1002-50ML", 8, 5), ("o-2", "SKU-GONE-1", 1, 0)]


async def test_each_brand_consumes_under_its_own_name(app, database_url, tmp_path):
    from subgraphs.catalogue.app import migrate
    from subgraphs.catalogue.seed import seed_demo

    aurora_url = f"sqlite+aiosqlite:///{tmp_path / 'aurora.db'}"
    migrate(aurora_url)
    bus = InProcessBus()
    lumen = create_app("lumen", database_url, bus=bus)
    aurora = create_app("aurora", aurora_url, bus=bus)
    async with aurora.state.database.session() as session:
        await seed_demo(session, "aurora")
        before = (await session.get(Sku, "SKU-1002-BLACK")).stock
    assert [s.consumer for s in aurora.state.events.subscriptions] == ["catalogue-aurora"]
    await lumen.state.events.start()
    await aurora.state.events.start()
    try:
        await bus.publish(
            paid("o-3", line("lumen:SKU-1001-30ML", 1), line("aurora:SKU-1002-BLACK", 2))
        )
        await bus.drain()
    finally:
        for app_ in (lumen, aurora):
            await app_.state.events.stop()
        async with aurora.state.database.session() as session:
            after = (await session.get(Sku, "SKU-1002-BLACK")).stock
        for app_ in (lumen, aurora):
            await app_.state.database.dispose()
    assert await stock(app, "SKU-1001-30ML") == 11
    assert after == max(0, before - 2)
