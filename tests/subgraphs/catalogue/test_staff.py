"""Staff mutations: only the brand's staff (or operators) change prices, stock and sale flags,
and every change records `catalogue.sku.changed` in its transaction."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from subgraphs.catalogue.models import Sku
from subgraphs.catalogue.service import SKU_CHANGED, announce_catalogue
from subgraphs.common.auth import KeyRing, issue_token
from subgraphs.common.events import OutboxEvent

from ..common.asgi import call


def token(kind: str, brand: str | None = "lumen", subject: str = "someone") -> str:
    return issue_token(KeyRing.from_env(), subject=subject, kind=kind, brand=brand)


STAFF = token("staff")


async def gql(app, query: str, variables: dict[str, Any], bearer: str | None = STAFF) -> dict:
    headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
    status, body = await call(
        app, "POST", "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert status == 200, body
    return body


async def events(app) -> list[dict[str, Any]]:
    async with app.state.database.session() as session:
        rows = (await session.exec(select(OutboxEvent).order_by(OutboxEvent.position))).all()
    assert all(r.topic == SKU_CHANGED for r in rows)
    return [r.payload for r in rows]


PRICE = "mutation($id: ID!, $fen: Int!) { setSkuPrice(skuId: $id, priceFen: $fen) { id priceFen } }"
STOCK = "mutation($id: ID!, $n: Int!) { setSkuStock(skuId: $id, stock: $n) { id stock inStock } }"
SKU_ACTIVE = (
    "mutation($id: ID!, $on: Boolean!) { setSkuActive(skuId: $id, active: $on) "
    "{ id active inStock } }"
)
PRODUCT_ACTIVE = (
    "mutation($id: ID!, $on: Boolean!) { setProductActive(productId: $id, active: $on) "
    "{ id active inStock } }"
)


async def test_set_price_records_sku_changed(app):
    body = await gql(app, PRICE, {"id": "lumen:SKU-1001-30ML", "fen": 15800})
    assert body == {"data": {"setSkuPrice": {"id": "lumen:SKU-1001-30ML", "priceFen": 15800}}}
    assert await events(app) == [
        {
            "brand": "lumen",
            "productId": "lumen:SKU-1001",
            "skuId": "lumen:SKU-1001-30ML",
            "productName": "Lumen Glow Serum",
            "skuName": "30 ml",
            "categoryId": "skincare",
            "priceFen": 15800,
            "active": True,
        }
    ]


async def test_set_stock_and_sale_flags(app):
    got = await gql(app, STOCK, {"id": "lumen:SKU-1001-50ML", "n": 7})
    assert got["data"]["setSkuStock"] == {"id": "lumen:SKU-1001-50ML", "stock": 7, "inStock": True}
    got = await gql(app, SKU_ACTIVE, {"id": "lumen:SKU-1001-50ML", "on": False})
    assert got["data"]["setSkuActive"] == {
        "id": "lumen:SKU-1001-50ML",
        "active": False,
        "inStock": False,  # off sale: not purchasable whatever the stock
    }
    got = await gql(app, PRODUCT_ACTIVE, {"id": "lumen:SKU-1003", "on": False})
    assert got["data"]["setProductActive"] == {
        "id": "lumen:SKU-1003",
        "active": False,
        "inStock": True,
    }
    recorded = await events(app)
    assert [(e["skuId"], e["active"]) for e in recorded] == [
        ("lumen:SKU-1001-50ML", True),
        ("lumen:SKU-1001-50ML", False),
        ("lumen:SKU-1003-RED", False),  # the product went off sale: each of its SKUs
        ("lumen:SKU-1003-NUDE", False),
    ]
    # off sale: not listed, still resolvable by id (orders refer to it)
    _, body = await call(
        app,
        "POST",
        "/graphql",
        json={"query": '{ products(search: "velvet") { id } product(id: "lumen:SKU-1003") '
              "{ active } }"},
    )  # fmt: skip
    assert body["data"] == {"products": [], "product": {"active": False}}


@pytest.mark.parametrize(
    "bearer, code",
    [
        (None, "UNAUTHENTICATED"),
        (token("staff", "aurora"), "FORBIDDEN"),  # staff of another brand
        (token("member", "lumen", "mbr_1"), "FORBIDDEN"),
        (token("service", None, "order"), "FORBIDDEN"),
    ],
)
async def test_only_the_brands_staff_may_change_the_catalogue(app, bearer, code):
    for query, variables in [
        (PRICE, {"id": "lumen:SKU-1001-30ML", "fen": 1}),
        (STOCK, {"id": "lumen:SKU-1001-30ML", "n": 1}),
        (SKU_ACTIVE, {"id": "lumen:SKU-1001-30ML", "on": False}),
        (PRODUCT_ACTIVE, {"id": "lumen:SKU-1001", "on": False}),
    ]:
        body = await gql(app, query, variables, bearer)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code, body
    assert await events(app) == []
    async with app.state.database.session() as session:
        sku = await session.get(Sku, "SKU-1001-30ML")
        assert (sku.price_fen, sku.stock, sku.active) == (16800, 12, True)


async def test_an_operator_may_change_any_brand(app):
    body = await gql(app, PRICE, {"id": "lumen:SKU-1002-50ML", "fen": 100}, token("operator", None))
    assert body["data"]["setSkuPrice"]["priceFen"] == 100


@pytest.mark.parametrize(
    "query, variables, code",
    [
        (PRICE, {"id": "lumen:SKU-1001-30ML", "fen": -1}, "BAD_USER_INPUT"),
        (STOCK, {"id": "lumen:SKU-1001-30ML", "n": -5}, "BAD_USER_INPUT"),
        (PRICE, {"id": "lumen:SKU-NOPE", "fen": 1}, "NOT_FOUND"),
        (PRICE, {"id": "aurora:SKU-1001-30ML", "fen": 1}, "NOT_FOUND"),  # not this brand's
        (PRODUCT_ACTIVE, {"id": "lumen:SKU-NOPE", "on": True}, "NOT_FOUND"),
    ],
)
async def test_bad_input_is_a_clear_error_and_changes_nothing(app, query, variables, code):
    body = await gql(app, query, variables)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == code, body
    assert "Traceback" not in str(body)
    assert await events(app) == []


async def test_announce_records_every_sku(app):
    async with app.state.database.session() as session:
        count = await announce_catalogue(session, "lumen")
        skus = (await session.exec(select(Sku))).all()
    recorded = await events(app)
    assert count == len(skus) == len(recorded) > 100
    assert {e["skuId"] for e in recorded} == {f"lumen:{s.id}" for s in skus}
    assert all(e["brand"] == "lumen" and isinstance(e["priceFen"], int) for e in recorded)
    first = recorded[0]
    assert first["skuId"] == "lumen:SKU-1001-30ML" and first["productName"] == "Lumen Glow Serum"
