"""The cart: adds checked against the SKU replica, quantities 1..99, lines merged per SKU,
updates and removals, its owner only; bad inputs are GraphQL errors."""

from __future__ import annotations

import pytest

from subgraphs.order.models import CartAdd

from .conftest import (
    ADD,
    ALICE,
    BOB,
    as_member,
    as_operator,
    as_staff,
    count,
    data,
    error_code,
    gql,
)

CART = "query($m: _Any!) { _entities(representations: [$m]) { ... on Member { cart { " \
    "itemCount subtotalFen lines { skuId quantity } } } } }"  # fmt: skip
UPDATE = "mutation($s: ID!, $q: Int!) { updateCartLine(skuId: $s, quantity: $q) { itemCount } }"
REMOVE = "mutation($s: ID!) { removeCartLine(skuId: $s) { itemCount lines { skuId } } }"
REC = {"kind": "RECOMMENDATION", "id": "lumen:XB-1", "brand": "lumen"}


async def test_add_merges_lines_and_keeps_the_first_source(seeded):
    got = (await data(seeded, ADD, {"sku": "vitalis:SKU-1", "q": 2, "src": REC},
                      token=as_member(ALICE)))["addToCart"]  # fmt: skip
    assert got["lines"] == [
        {
            "skuId": "vitalis:SKU-1",
            "quantity": 2,
            "unitPriceFen": 8_000,
            "amountFen": 16_000,
            "available": True,
            "product": {"id": "vitalis:P-SKU-1"},
            "source": REC,
        }
    ]
    got = (await data(seeded, ADD, {"sku": "vitalis:SKU-1", "q": 1, "src": None},
                      token=as_member(ALICE)))["addToCart"]  # fmt: skip
    assert (got["itemCount"], got["subtotalFen"]) == (3, 24_000)
    assert got["lines"][0]["source"] == REC
    got = (await data(seeded, ADD, {"sku": "lumen:SKU-2", "q": 1, "src": None},
                      token=as_member(ALICE)))["addToCart"]  # fmt: skip
    assert got["brands"] == ["vitalis", "lumen"] and got["subtotalFen"] == 29_000
    assert await count(seeded, CartAdd) == 3  # every add is kept


@pytest.mark.parametrize(
    ("sku", "quantity", "source", "code"),
    [
        ("lumen:NOPE", 1, None, "NOT_FOUND"),
        ("vitalis:SKU-OFF", 1, None, "SKU_UNAVAILABLE"),
        ("lumen:SKU-1", 0, None, "BAD_USER_INPUT"),
        ("lumen:SKU-1", -3, None, "BAD_USER_INPUT"),
        ("lumen:SKU-1", 100, None, "BAD_USER_INPUT"),
        ("x" * 10_000, 1, None, "BAD_USER_INPUT"),
        (
            "lumen:SKU-1",
            1,
            {"kind": "BANNER", "id": "b" * 5000, "brand": "lumen"},
            "BAD_USER_INPUT",
        ),
        (
            "lumen:SKU-1",
            1,
            {"kind": "BANNER", "id": "b", "brand": "NOT A BRAND" * 99},
            "BAD_USER_INPUT",
        ),
    ],
)
async def test_bad_adds_are_graphql_errors(seeded, sku, quantity, source, code):
    body = await gql(
        seeded, ADD, {"sku": sku, "q": quantity, "src": source}, token=as_member(ALICE)
    )
    assert body["data"] is None and error_code(body) == code, body
    assert await count(seeded, CartAdd) == 0


async def test_a_line_holds_at_most_99_and_graphql_refuses_non_ints(seeded):
    await data(seeded, ADD, {"sku": "lumen:SKU-1", "q": 60}, token=as_member(ALICE))
    body = await gql(seeded, ADD, {"sku": "lumen:SKU-1", "q": 40}, token=as_member(ALICE))
    assert error_code(body) == "BAD_USER_INPUT"
    body = await gql(seeded, ADD, {"sku": "lumen:SKU-1", "q": 2**40}, token=as_member(ALICE))
    assert "errors" in body and body.get("data") is None
    body = await gql(seeded, ADD, {"sku": "lumen:SKU-1", "q": 1, "src": {"kind": "TV", "id": "x",
                                   "brand": "lumen"}}, token=as_member(ALICE))  # fmt: skip
    assert "errors" in body


async def test_update_and_remove(seeded):
    await data(seeded, ADD, {"sku": "lumen:SKU-1", "q": 1}, token=as_member(ALICE))
    await data(seeded, ADD, {"sku": "lumen:SKU-2", "q": 1}, token=as_member(ALICE))
    got = await data(seeded, UPDATE, {"s": "lumen:SKU-1", "q": 5}, token=as_member(ALICE))
    assert got["updateCartLine"]["itemCount"] == 6
    for q in (0, -1, 100):
        body = await gql(seeded, UPDATE, {"s": "lumen:SKU-1", "q": q}, token=as_member(ALICE))
        assert error_code(body) == "BAD_USER_INPUT"
    body = await gql(seeded, UPDATE, {"s": "vitalis:SKU-1", "q": 1}, token=as_member(ALICE))
    assert error_code(body) == "NOT_FOUND"
    got = await data(seeded, REMOVE, {"s": "lumen:SKU-1"}, token=as_member(ALICE))
    assert got["removeCartLine"] == {"itemCount": 1, "lines": [{"skuId": "lumen:SKU-2"}]}
    body = await gql(seeded, REMOVE, {"s": "lumen:SKU-1"}, token=as_member(ALICE))
    assert error_code(body) == "NOT_FOUND"
    assert await count(seeded, CartAdd, CartAdd.closed) == 1  # the removed line's add


async def test_only_the_member_reads_their_cart(seeded):
    await data(seeded, ADD, {"sku": "lumen:SKU-1", "q": 2}, token=as_member(ALICE))
    rep = {"__typename": "Member", "id": ALICE}
    got = await data(seeded, CART, {"m": rep}, token=as_member(ALICE))
    assert got["_entities"][0]["cart"]["lines"] == [{"skuId": "lumen:SKU-1", "quantity": 2}]
    assert (await data(seeded, CART, {"m": rep}, token=as_operator()))["_entities"][0]["cart"]
    for token, code in [(as_member(BOB), "FORBIDDEN"), (as_staff("lumen"), "FORBIDDEN"),
                        (None, "UNAUTHENTICATED")]:  # fmt: skip
        body = await gql(seeded, CART, {"m": rep}, token=token)
        assert error_code(body) == code
    body = await gql(seeded, ADD, {"sku": "lumen:SKU-1", "q": 1}, token=as_staff("lumen"))
    assert error_code(body) == "FORBIDDEN"
