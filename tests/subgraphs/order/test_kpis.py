"""`groupKpis` on constructed history (imported orders and cart adds), operators only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from subgraphs.order import seed
from subgraphs.order.errors import OrderError
from subgraphs.order.models import CartAdd, Order, StatusChange
from subgraphs.order.seed import (
    HistoricalAddress,
    HistoricalLine,
    HistoricalOrder,
    HistoricalSource,
)

from .conftest import (
    ALICE,
    add,
    as_member,
    as_operator,
    as_staff,
    count,
    data,
    error_code,
    gql,
    outbox,
    placed,
)

T = datetime(2030, 3, 1, tzinfo=UTC)
DAY = timedelta(days=1)
HOME = HistoricalAddress("adr_h", "Li Na", "13900000000", "Beijing", "Beijing", "2 Chang'an Ave")


def line(brand, price, quantity=1, source=None):
    src = None if source is None else HistoricalSource(source[0], f"{source[1]}:XB-1", source[1])
    return HistoricalLine(brand, f"{brand}:P-1", f"{brand}:SKU-{price}", "P", "S", "cat",
                          price, quantity, src)  # fmt: skip


def order(oid, status, placed_at, lines, paid=True, **kw):
    return HistoricalOrder(
        id=oid, member_id="mbr_h", channel_brand="lumen", placed_at=placed_at, status=status,
        lines=lines, address=HOME, payment_method_id="pm_h",
        paid_at=placed_at + timedelta(minutes=5) if paid else None, **kw,
    )  # fmt: skip


REC, BANNER = "RECOMMENDATION", "BANNER"
ORDERS = [
    order("O1", "PAID", T + DAY, [
        line("lumen", 12_000, 1, (REC, "vitalis")),  # cross
        line("vitalis", 8_000, 2, (BANNER, "vitalis")),  # single
        line("lumen", 5_000),  # no source
    ]),
    order("O2", "DELIVERED", T + 2 * DAY, [line("vitalis", 8_000, 1, (REC, "lumen"))]),
    order("O3", "REFUNDED", T + 3 * DAY, [line("lumen", 12_000, 1, (REC, "aurora"))],
          refunded_at=T + 4 * DAY),
    order("O4", "CANCELLED", T + 4 * DAY, [line("lumen", 5_000, 1, (REC, "cubby"))], paid=False),
    order("O5", "PAID", T + 20 * DAY, [line("lumen", 5_000, 1, (REC, "cubby"))]),
]  # fmt: skip


def extra_adds() -> list[CartAdd]:
    return [
    CartAdd(member_id="m2", sku_id="lumen:SKU-9", sku_brand="lumen", quantity=1,
            source_kind=REC, source_id="vitalis:XB-2", source_brand="vitalis",
            added_at=T + 5 * DAY),  # cross, never ordered
    CartAdd(member_id="m2", sku_id="lumen:SKU-8", sku_brand="lumen", quantity=1,
            source_kind=BANNER, source_id="lumen:B-1", source_brand="lumen",
            added_at=T + 5 * DAY),  # same brand: not cross traffic
    CartAdd(member_id="m2", sku_id="lumen:SKU-7", sku_brand="lumen", quantity=1,
            added_at=T + 5 * DAY),  # no source
    CartAdd(member_id="m2", sku_id="lumen:SKU-6", sku_brand="lumen", quantity=1,
            source_kind=REC, source_id="aurora:XB-3", source_brand="aurora",
            added_at=T + 10 * DAY),  # at `until`: outside
    ]  # fmt: skip


QUERY = (
    "query($s: DateTime!, $u: DateTime!) { groupKpis(since: $s, until: $u) { since until "
    "crossTrafficCartAdds crossTrafficConversions crossTrafficConversionRate "
    "crossBrandAttributedRevenueFen singleBrandAttributedRevenueFen "
    "crossToSingleBrandRevenueRatio paidOrders revenueFen } }"
)


async def load(app) -> None:
    async with app.state.database.session() as session:
        assert await seed.import_orders(session, ORDERS) == 5
        assert await seed.import_orders(session, ORDERS) == 0  # importing twice: nothing
        session.add_all(extra_adds())  # fresh rows per backend
        await session.commit()


def window(since, until):
    return {"s": since.isoformat(), "u": until.isoformat()}


async def test_kpis_on_constructed_history(app):
    await load(app)
    got = (await data(app, QUERY, window(T, T + 10 * DAY), token=as_operator()))["groupKpis"]
    assert got == {
        "since": T.isoformat(),
        "until": (T + 10 * DAY).isoformat(),
        "crossTrafficCartAdds": 5,  # O1, O2, O3, O4 lines and the open add
        "crossTrafficConversions": 3,  # O1, O2, O3 (refunded after paying still converted)
        "crossTrafficConversionRate": 0.6,
        "crossBrandAttributedRevenueFen": 20_000,  # O1 lumen line + O2 (O3 refunded)
        "singleBrandAttributedRevenueFen": 16_000,  # O1 vitalis banner line
        "crossToSingleBrandRevenueRatio": 1.25,
        "paidOrders": 2,
        "revenueFen": 41_000,
    }
    empty = (await data(app, QUERY, window(T - 9 * DAY, T), token=as_operator()))["groupKpis"]
    assert empty["crossTrafficCartAdds"] == 0 and empty["crossTrafficConversionRate"] == 0.0
    assert empty["crossToSingleBrandRevenueRatio"] is None


async def test_kpis_are_for_operators_and_windows_are_checked(app):
    for token, code in [(as_member(ALICE), "FORBIDDEN"), (as_staff("lumen"), "FORBIDDEN"),
                        (None, "UNAUTHENTICATED")]:  # fmt: skip
        body = await gql(app, QUERY, window(T, T + DAY), token=token)
        assert error_code(body) == code
    body = await gql(app, QUERY, window(T + DAY, T), token=as_operator())
    assert error_code(body) == "BAD_USER_INPUT"
    entity = "query($r: [_Any!]!) { _entities(representations: $r) { ... on GroupKpis { " \
        "crossTrafficCartAdds } } }"  # fmt: skip
    rep = {"__typename": "GroupKpis", "since": T.isoformat(), "until": (T + DAY).isoformat()}
    got = await data(app, entity, {"r": [rep]}, token=as_operator())
    assert got["_entities"] == [{"crossTrafficCartAdds": 0}]


async def test_live_cart_adds_count_and_survive_cart_changes(seeded):
    xb = {"kind": "RECOMMENDATION", "id": "lumen:XB-1", "brand": "lumen"}
    await add(seeded, "vitalis:SKU-1", 1, xb)  # cross: shown in lumen, a vitalis product
    await add(seeded, "lumen:SKU-2", 1, {**xb, "kind": "BANNER"})  # same brand
    remove = 'mutation { removeCartLine(skuId: "lumen:SKU-2") { itemCount } }'
    await data(seeded, remove, token=as_member(ALICE))
    await placed(seeded)
    now = datetime.now(UTC)
    got = await data(seeded, QUERY, window(now - DAY, now + DAY), token=as_operator())
    got = got["groupKpis"]
    assert (got["crossTrafficCartAdds"], got["crossTrafficConversions"]) == (1, 1)
    assert got["crossBrandAttributedRevenueFen"] == 8_000
    assert got["crossToSingleBrandRevenueRatio"] is None


async def test_import_records_events_on_request_and_checks_rows(app):
    async with app.state.database.session() as session:
        await seed.import_orders(session, ORDERS[:4], record_events=True)
    topics = [(e[0], e[1]) for e in await outbox(app)]
    assert topics == [
        ("order:O1:paid", "order.paid"),
        ("order:O2:paid", "order.paid"),
        ("order:O3:paid", "order.paid"),
        ("order:O3:refunded", "order.refunded"),
        ("order:O4:cancelled", "order.cancelled"),
    ]
    assert await count(app, StatusChange, StatusChange.order_id == "O2") == 4  # to DELIVERED
    bad = order("O9", "PAID", T, [line("lumen", 1)], paid=False)
    async with app.state.database.session() as session:
        with pytest.raises(OrderError):
            await seed.import_orders(session, [bad])
    assert await count(app, Order) == 4
