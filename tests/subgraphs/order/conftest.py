"""The order tests run on SQLite and PostgreSQL (the foundation's `database_url` fixture: a
fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards).

Requests carry access tokens minted with the test key ring: `as_member(id)`,
`as_staff(brand)`, `as_operator()`. `seeded` is an app whose replicas hold two members'
addresses and payment methods and a few SKUs of two brands (loaded through the `order`
consumer, as the member and catalogue subgraphs would publish them)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from subgraphs.common.auth import KeyRing, issue_token
from subgraphs.common.bus import InProcessBus
from subgraphs.common.events import Event, OutboxEvent
from subgraphs.order.app import create_app, migrate
from tests.subgraphs.common.conftest import database_url  # noqa: F401  (SQLite, PostgreSQL)

from ..common.asgi import call

RING = KeyRing.from_env()
ALICE, BOB = "mbr_alice", "mbr_bob"


def as_member(member_id: str, brand: str | None = "lumen") -> str:
    return issue_token(RING, subject=member_id, kind="member", brand=brand)


def as_staff(brand: str) -> str:
    return issue_token(RING, subject=f"staff-{brand}", kind="staff", brand=brand)


def as_operator() -> str:
    return issue_token(RING, subject="ops-1", kind="operator")


_counter = 0


def event(topic: str, payload: dict[str, Any], event_id: str | None = None) -> Event:
    global _counter
    _counter += 1
    return Event(event_id or f"test-{_counter}", topic, payload, "2030-01-01T00:00:00+00:00")


def address(member: str, address_id: str, city: str = "Shanghai") -> Event:
    payload = {
        "memberId": member,
        "address": {
            "id": address_id,
            "recipient": "Wang Wei",
            "phone": "13800000000",
            "region": "Shanghai",
            "city": city,
            "line1": "1 Nanjing Rd",
            "postalCode": "200000",
        },
    }
    return event("member.address.saved", payload)


def payment_method(member: str, method_id: str, token: str) -> Event:
    payload = {
        "memberId": member,
        "paymentMethod": {"id": method_id, "provider": "sandbox", "token": token, "label": "WX"},
    }
    return event("member.payment_method.saved", payload)


def sku(brand: str, code: str, price_fen: int, *, active: bool = True, category="skincare"):
    payload = {
        "brand": brand,
        "productId": f"{brand}:P-{code}",
        "skuId": f"{brand}:{code}",
        "productName": f"{brand} product {code}",
        "skuName": f"{code} 50ml",
        "categoryId": category,
        "priceFen": price_fen,
        "active": active,
    }
    return event("catalogue.sku.changed", payload)


REPLICAS = [
    address(ALICE, "adr_a1"),
    address(BOB, "adr_b1"),
    payment_method(ALICE, "pm_ok", "tok_sandbox_alice"),
    payment_method(ALICE, "pm_decline", "tok_sandbox_decline_alice"),
    payment_method(ALICE, "pm_bad", "card_4242"),
    payment_method(BOB, "pm_bob", "tok_sandbox_bob"),
    sku("lumen", "SKU-1", 12_000, category="skincare"),  # 120 yuan
    sku("lumen", "SKU-2", 5_000, category="makeup"),
    sku("vitalis", "SKU-1", 8_000, category="vitamins"),
    sku("vitalis", "SKU-OFF", 3_000, active=False, category="vitamins"),
]


async def deliver(app, *events: Event) -> None:
    """Hand each event to the order consumer's handler, as the bus does."""
    (subscription,) = app.state.events.subscriptions
    assert subscription.consumer == "order"
    for item in events:
        assert item.topic in subscription.topics
        await subscription.handler(item)


@pytest.fixture
async def make_app(database_url):  # noqa: F811
    """`make_app(**kwargs)`: order on a migrated, empty database with its own in-process bus
    (not started)."""
    migrate(database_url)
    apps = []

    def make(**kwargs):
        kwargs.setdefault("bus", InProcessBus())
        app = create_app(database_url, key_ring=RING, **kwargs)
        apps.append(app)
        return app

    try:
        yield make
    finally:
        for app in apps:
            await app.state.events.stop()
            await app.state.database.dispose()


@pytest.fixture
async def app(make_app):
    return make_app()


@pytest.fixture
async def seeded(app):
    await deliver(app, *REPLICAS)
    return app


async def gql(
    app,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    brand: str | None = "lumen",
    token: str | None = None,
) -> dict[str, Any]:
    headers = {"x-brand": brand} if brand else {}
    if token:
        headers["authorization"] = f"Bearer {token}"
    status, body = await call(
        app, "POST", "/graphql", json={"query": query, "variables": variables or {}},
        headers=headers,
    )  # fmt: skip
    assert status == 200, body
    return body


async def data(app, query: str, variables: dict[str, Any] | None = None, **kw) -> dict[str, Any]:
    body = await gql(app, query, variables, **kw)
    assert "errors" not in body, body
    return body["data"]


def error_code(body: dict[str, Any]) -> str | None:
    return body["errors"][0].get("extensions", {}).get("code")


async def outbox(app, topic: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    async with app.state.database.session() as session:
        rows = (await session.exec(select(OutboxEvent).order_by(OutboxEvent.position))).all()
    return [(r.event_id, r.topic, r.payload) for r in rows if topic in (None, r.topic)]


async def count(app, model, *conditions) -> int:
    async with app.state.database.session() as session:
        query = select(func.count()).select_from(model)
        if conditions:
            query = query.where(*conditions)
        return (await session.exec(query)).one()


ADD = (
    "mutation($sku: ID!, $q: Int!, $src: AttributionInput) { addToCart(skuId: $sku, "
    "quantity: $q, source: $src) { itemCount subtotalFen brands lines { skuId quantity "
    "unitPriceFen amountFen available product { id } source { kind id brand } } } }"
)
ORDER_FIELDS = (
    "id status channelBrand subtotalFen discountFen totalFen couponId "
    "payment { status error paymentMethodId } "
    "shippingAddress { addressId recipient city } "
    "lines { skuId brand quantity unitPriceFen subtotalFen discountFen amountFen "
    "product { id } source { kind id brand } } history { status actor }"
)
PLACE = "mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { " + ORDER_FIELDS + " } }"


async def add(app, sku_id: str, quantity: int = 1, source=None, member: str = ALICE) -> dict:
    variables = {"sku": sku_id, "q": quantity, "src": source}
    return (await data(app, ADD, variables, token=as_member(member)))["addToCart"]


def place_input(key: str = "k1", method: str = "pm_ok", coupon: str | None = None, **extra):
    return {
        "shippingAddressId": extra.get("address", "adr_a1"),
        "paymentMethodId": method,
        "idempotencyKey": key,
        "couponToken": coupon,
    }


async def place(app, member: str = ALICE, brand: str = "lumen", **kw) -> dict[str, Any]:
    return await gql(app, PLACE, {"in": place_input(**kw)}, token=as_member(member), brand=brand)


async def placed(app, member: str = ALICE, brand: str = "lumen", **kw) -> dict[str, Any]:
    body = await place(app, member, brand, **kw)
    assert "errors" not in body, body
    return body["data"]["placeOrder"]
