"""Order lifecycle and who may see and change orders."""

from __future__ import annotations

from subgraphs.order.models import SandboxCharge

from .conftest import (
    ALICE,
    BOB,
    ORDER_FIELDS,
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

ORDER = "query($id: ID!) { order(id: $id) { id status history { status actor at } } }"
ENTITY = (
    "query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { "
    + ORDER_FIELDS
    + " } } }"
)
ORDERS = (
    "query($m: _Any!, $first: Int, $brand: String) { _entities(representations: [$m]) "
    "{ ... on Member { orders(first: $first, brand: $brand) { id brands } } } }"
)


def change(name: str) -> str:
    return f"mutation($o: ID!) {{ {name}(orderId: $o) {{ status history {{ status }} }} }}"


async def paid_order(app, *skus: str) -> dict:
    for sku_id in skus or ("lumen:SKU-1",):
        await add(app, sku_id)
    return await placed(app, key=f"k-{len(await outbox(app))}")


async def test_paid_shipped_delivered_refunded(seeded):
    order = await paid_order(seeded, "lumen:SKU-1", "vitalis:SKU-1")
    staff = as_staff("vitalis")  # a brand in the order
    got = await data(seeded, change("shipOrder"), {"o": order["id"]}, token=staff)
    assert got["shipOrder"]["status"] == "SHIPPED"
    body = await gql(seeded, change("shipOrder"), {"o": order["id"]}, token=staff)
    assert error_code(body) == "INVALID_ORDER_STATE" and "SHIPPED" in body["errors"][0]["message"]
    got = await data(seeded, change("markOrderDelivered"), {"o": order["id"]}, token=staff)
    assert got["markOrderDelivered"]["status"] == "DELIVERED"
    body = await gql(seeded, change("cancelOrder"), {"o": order["id"]}, token=as_member(ALICE))
    assert error_code(body) == "INVALID_ORDER_STATE"
    got = await data(seeded, change("refundOrder"), {"o": order["id"]}, token=as_operator())
    assert [h["status"] for h in got["refundOrder"]["history"]] == [
        "PLACED", "PAID", "SHIPPED", "DELIVERED", "REFUNDED",
    ]  # fmt: skip
    body = await gql(seeded, change("refundOrder"), {"o": order["id"]}, token=as_operator())
    assert error_code(body) == "INVALID_ORDER_STATE"
    assert await count(seeded, SandboxCharge, SandboxCharge.kind == "REFUND") == 1
    (refunded,) = await outbox(seeded, "order.refunded")
    assert refunded[0] == f"order:{order['id']}:refunded"
    assert refunded[2]["amountFen"] == 20_000 and refunded[2]["memberId"] == ALICE
    got = await data(seeded, ORDER, {"id": order["id"]}, token=as_member(ALICE))
    assert got["order"]["history"][-1]["actor"] == "operator:ops-1"


async def test_invalid_transitions(seeded):
    await add(seeded, "lumen:SKU-1")
    unpaid = await placed(seeded, key="d", method="pm_decline")
    staff = as_staff("lumen")
    for name in ("shipOrder", "markOrderDelivered", "refundOrder"):
        body = await gql(seeded, change(name), {"o": unpaid["id"]}, token=staff)
        assert error_code(body) == "INVALID_ORDER_STATE", name
    got = await data(seeded, change("cancelOrder"), {"o": unpaid["id"]}, token=staff)
    assert got["cancelOrder"]["status"] == "CANCELLED"
    body = await gql(seeded, change("cancelOrder"), {"o": unpaid["id"]}, token=staff)
    assert error_code(body) == "INVALID_ORDER_STATE"
    paid = await paid_order(seeded)
    body = await gql(seeded, change("markOrderDelivered"), {"o": paid["id"]}, token=staff)
    assert error_code(body) == "INVALID_ORDER_STATE"  # not shipped yet
    body = await gql(seeded, change("cancelOrder"), {"o": paid["id"]}, token=staff)
    assert error_code(body) == "INVALID_ORDER_STATE"  # paid: refund instead
    body = await gql(seeded, change("shipOrder"), {"o": "ord_nope"}, token=staff)
    assert error_code(body) == "NOT_FOUND"


async def test_who_may_change_an_order(seeded):
    order = await paid_order(seeded)  # lumen only
    for name, token, code in [
        ("shipOrder", as_staff("vitalis"), "FORBIDDEN"),  # unrelated brand
        ("shipOrder", as_member(ALICE), "FORBIDDEN"),  # members do not ship
        ("refundOrder", as_staff("aurora"), "FORBIDDEN"),
        ("refundOrder", as_member(ALICE), "FORBIDDEN"),
        ("cancelOrder", as_member(BOB), "FORBIDDEN"),
        ("shipOrder", None, "UNAUTHENTICATED"),
    ]:
        body = await gql(seeded, change(name), {"o": order["id"]}, token=token)
        assert error_code(body) == code, (name, body)
    assert await outbox(seeded, "order.refunded") == []


async def test_who_may_read_an_order(seeded):
    order = await paid_order(seeded, "lumen:SKU-1", "vitalis:SKU-1")
    for token in (as_member(ALICE), as_staff("lumen"), as_staff("vitalis"), as_operator()):
        assert (await data(seeded, ORDER, {"id": order["id"]}, token=token))["order"]["id"]
    for token, code in [
        (as_member(BOB), "FORBIDDEN"),
        (as_staff("aurora"), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ]:
        body = await gql(seeded, ORDER, {"id": order["id"]}, token=token)
        assert body["data"]["order"] is None and error_code(body) == code
    got = await data(seeded, ORDER, {"id": "ord_unknown"}, token=as_member(ALICE))
    assert got["order"] is None
    rep = [{"__typename": "Order", "id": order["id"]}]
    got = await data(seeded, ENTITY, {"r": rep}, token=as_staff("vitalis"))
    assert got["_entities"][0]["totalFen"] == 20_000
    body = await gql(seeded, ENTITY, {"r": rep}, token=as_member(BOB))
    assert body["data"]["_entities"] == [None] and error_code(body) == "FORBIDDEN"


async def test_member_orders_newest_first_by_brand(seeded):
    one = await paid_order(seeded, "lumen:SKU-1")
    two = await paid_order(seeded, "vitalis:SKU-1")
    three = await paid_order(seeded, "lumen:SKU-2", "vitalis:SKU-1")
    await add(seeded, "lumen:SKU-1", member=BOB)
    await placed(seeded, BOB, key="bob", method="pm_bob", address="adr_b1")
    alice = {"__typename": "Member", "id": ALICE}

    async def ids(token, **kw):
        got = await data(seeded, ORDERS, {"m": alice, **kw}, token=token)
        return [o["id"] for o in got["_entities"][0]["orders"]]

    me = as_member(ALICE)
    assert await ids(me) == [three["id"], two["id"], one["id"]]
    assert await ids(me, first=2) == [three["id"], two["id"]]
    assert await ids(me, brand="lumen") == [three["id"], one["id"]]
    assert await ids(me, first=0) == []
    assert await ids(as_operator(), brand="vitalis") == [three["id"], two["id"]]
    assert await ids(as_staff("vitalis"), brand="vitalis") == [three["id"], two["id"]]
    for token, kw in [(as_member(BOB), {}), (as_staff("vitalis"), {}),
                      (as_staff("vitalis"), {"brand": "lumen"})]:  # fmt: skip
        body = await gql(seeded, ORDERS, {"m": alice, **kw}, token=token)
        assert error_code(body) == "FORBIDDEN"
    body = await gql(seeded, ORDERS, {"m": alice, "first": -1}, token=me)
    assert error_code(body) == "BAD_USER_INPUT"


async def test_orders_of_many_members_load_in_one_query(seeded):
    from ..catalogue.conftest import selects_from, statements

    await paid_order(seeded, "lumen:SKU-1")
    await add(seeded, "lumen:SKU-1", member=BOB)
    await placed(seeded, BOB, key="bob", method="pm_bob", address="adr_b1")
    query = (
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { "
        "orders { id lines { skuId } history { status } } } } }"
    )
    reps = [{"__typename": "Member", "id": m} for m in (ALICE, BOB)]
    with statements(seeded) as seen:
        got = await data(seeded, query, {"r": reps}, token=as_operator())
    assert [len(e["orders"]) for e in got["_entities"]] == [1, 1]
    assert len(selects_from(seen, "order_orders")) == 1, seen
    assert len(selects_from(seen, "order_lines")) == 1, seen
    assert len(selects_from(seen, "order_status_changes")) == 1, seen
