"""placeOrder and payOrder: cart -> order at replica prices, address snapshot, idempotent by
key (one order, one charge, one order.paid), key reuse refused, declined then payOrder."""

from __future__ import annotations

import asyncio

from subgraphs.order.models import CartLine, Order, SandboxCharge

from .conftest import (
    ALICE,
    BOB,
    ORDER_FIELDS,
    add,
    address,
    as_member,
    count,
    data,
    deliver,
    error_code,
    gql,
    outbox,
    place,
    placed,
    sku,
)

PAY = (
    "mutation($o: ID!, $pm: ID!, $k: String!) { payOrder(orderId: $o, paymentMethodId: $pm, "
    "idempotencyKey: $k) { " + ORDER_FIELDS + " } }"
)
READ = "query($id: ID!) { order(id: $id) { shippingAddress { city } } }"
XB = {"kind": "RECOMMENDATION", "id": "lumen:XB-1", "brand": "lumen"}


async def test_place_builds_the_order_pays_it_and_empties_the_cart(seeded):
    await add(seeded, "lumen:SKU-1", 2)
    await add(seeded, "vitalis:SKU-1", 1, XB)
    # the price changes after the add: the order takes the replica's price at placement
    await deliver(seeded, sku("vitalis", "SKU-1", 7_500, category="vitamins"))
    order = await placed(seeded, brand="lumen")
    assert order["status"] == "PAID" and order["channelBrand"] == "lumen"
    assert (order["subtotalFen"], order["discountFen"], order["totalFen"]) == (31_500, 0, 31_500)
    assert order["payment"] == {"status": "PAID", "error": None, "paymentMethodId": "pm_ok"}
    assert order["shippingAddress"] == {
        "addressId": "adr_a1", "recipient": "Wang Wei", "city": "Shanghai",
    }  # fmt: skip
    got = [(ln["skuId"], ln["quantity"], ln["amountFen"], ln["source"]) for ln in order["lines"]]
    assert got == [
        ("lumen:SKU-1", 2, 24_000, None),
        ("vitalis:SKU-1", 1, 7_500, XB),
    ]
    assert [h["status"] for h in order["history"]] == ["PLACED", "PAID"]
    assert await count(seeded, CartLine) == 0
    (paid,) = await outbox(seeded, "order.paid")
    assert paid[0] == f"order:{order['id']}:paid"
    payload = paid[2]
    assert payload["orderId"] == order["id"] and payload["memberId"] == ALICE
    assert payload["totalFen"] == 31_500 and payload["couponId"] is None
    assert payload["channelBrand"] == "lumen"
    assert payload["lines"][1] == {
        "brand": "vitalis",
        "productId": "vitalis:P-SKU-1",
        "skuId": "vitalis:SKU-1",
        "categoryId": "vitamins",
        "quantity": 1,
        "amountFen": 7_500,
        "source": XB,
    }
    # the address snapshot stays when the member later changes the address
    await deliver(seeded, address(ALICE, "adr_a1", city="Hangzhou"))
    again = await data(seeded, READ, {"id": order["id"]}, token=as_member(ALICE))
    assert again["order"]["shippingAddress"]["city"] == "Shanghai"


async def test_the_same_key_twice_is_one_order_one_charge_one_event(seeded):
    await add(seeded, "lumen:SKU-1")
    first = await placed(seeded, key="same")
    again = await placed(seeded, key="same")
    assert again == first
    assert await count(seeded, Order) == 1
    assert await count(seeded, SandboxCharge, SandboxCharge.kind == "CHARGE") == 1
    assert len(await outbox(seeded, "order.paid")) == 1


async def test_a_key_reused_for_another_request_is_refused(seeded):
    await add(seeded, "lumen:SKU-1")
    await placed(seeded, key="k")
    await add(seeded, "lumen:SKU-2")
    body = await place(seeded, key="k", method="pm_decline")
    assert error_code(body) == "IDEMPOTENCY_KEY_REUSED" and body["data"] is None
    body = await place(seeded, key="k", brand="vitalis")  # another channel: another request
    assert error_code(body) == "IDEMPOTENCY_KEY_REUSED"
    assert await count(seeded, Order) == 1 and await count(seeded, CartLine) == 1
    # keys are per member: Bob may use the same key
    await add(seeded, "lumen:SKU-2", member=BOB)
    assert (await placed(seeded, BOB, key="k", method="pm_bob", address="adr_b1"))[
        "status"
    ] == "PAID"


async def test_concurrent_placements_with_one_key_make_one_order(seeded):
    await add(seeded, "lumen:SKU-1", 3)
    results = await asyncio.gather(*(place(seeded, key="race") for _ in range(4)))
    orders = {r["data"]["placeOrder"]["id"] for r in results if "errors" not in r}
    assert len(orders) == 1, results
    assert all("errors" not in r for r in results), results
    assert await count(seeded, Order) == 1
    assert await count(seeded, SandboxCharge, SandboxCharge.kind == "CHARGE") == 1
    assert len(await outbox(seeded, "order.paid")) == 1


async def test_declined_payment_leaves_the_order_placed_then_pay_order(seeded):
    await add(seeded, "lumen:SKU-1")
    order = await placed(seeded, method="pm_decline")
    assert order["status"] == "PLACED"
    assert order["payment"]["status"] == "DECLINED" and "declined" in order["payment"]["error"]
    assert await count(seeded, CartLine) == 0  # emptied on placement anyway
    assert await outbox(seeded, "order.paid") == []
    token = as_member(ALICE)
    body = await gql(seeded, PAY, {"o": order["id"], "pm": "pm_bad", "k": "p1"}, token=token)
    got = body["data"]["payOrder"]
    assert got["status"] == "PLACED" and got["payment"]["status"] == "FAILED"
    assert got["payment"]["error"] == "invalid payment token"
    got = (await data(seeded, PAY, {"o": order["id"], "pm": "pm_ok", "k": "p2"}, token=token))[
        "payOrder"
    ]
    assert got["status"] == "PAID" and got["payment"] == {
        "status": "PAID", "error": None, "paymentMethodId": "pm_ok",
    }  # fmt: skip
    assert [h["status"] for h in got["history"]] == ["PLACED", "PAID"]
    # replaying p2 changes nothing; paying a paid order with a new key is refused
    again = await data(seeded, PAY, {"o": order["id"], "pm": "pm_ok", "k": "p2"}, token=token)
    assert again["payOrder"]["status"] == "PAID"
    body = await gql(seeded, PAY, {"o": order["id"], "pm": "pm_ok", "k": "p3"}, token=token)
    assert error_code(body) == "INVALID_ORDER_STATE"
    assert len(await outbox(seeded, "order.paid")) == 1
    assert await count(seeded, SandboxCharge, SandboxCharge.status == "SUCCEEDED") == 1
    # Bob cannot pay Alice's order, nor with Alice's payment method
    body = await gql(
        seeded, PAY, {"o": order["id"], "pm": "pm_bob", "k": "b"}, token=as_member(BOB)
    )
    assert error_code(body) == "NOT_FOUND"


async def test_placement_refusals(seeded):
    body = await place(seeded)
    assert error_code(body) == "CART_EMPTY"
    await add(seeded, "lumen:SKU-1")
    for kw, code in [
        ({"address": "adr_b1"}, "NOT_FOUND"),  # Bob's address
        ({"method": "pm_bob"}, "NOT_FOUND"),
        ({"address": "a" * 5000}, "BAD_USER_INPUT"),
        ({"key": ""}, "BAD_USER_INPUT"),
        ({"key": "k" * 201}, "BAD_USER_INPUT"),
        ({"coupon": "not-a-jwt" * 1000}, "INVALID_COUPON"),
    ]:
        body = await place(seeded, **kw)
        assert error_code(body) == code, (kw, body)
    body = await place(seeded, brand=None)
    assert "errors" not in body  # the member token's brand is the channel
    assert body["data"]["placeOrder"]["channelBrand"] == "lumen"
    await add(seeded, "lumen:SKU-2")
    await deliver(seeded, sku("lumen", "SKU-2", 5_000, active=False))
    body = await place(seeded, key="k2")
    assert error_code(body) == "SKU_UNAVAILABLE"
    assert await count(seeded, Order) == 1
