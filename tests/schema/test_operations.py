"""The registered front-end operations (schema/operations/<front-end>/) against the real system.

Every operation validates against schema/api.graphql, and every one runs through the gateway
over the whole dev stack (member, loyalty, order, and each brand's catalogue and content, all
in-process on SQLite with a small deterministic demo) in the journeys a brand front-end makes:
sign-in, home, product page, checkout, order history, consent settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from graphql import OperationDefinitionNode, build_schema, parse, validate

from gateway.auth import GatewayAuth
from gateway.dev import build_dev_server
from gateway.service import GraphQLRequest

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "schema" / "operations"
BRAND = "lumen"


def registered() -> dict[str, tuple[str, str]]:
    """operation name -> (front-end, document text)."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(OPERATIONS.glob("*/*.graphql")):
        text = path.read_text(encoding="utf-8")
        for definition in parse(text).definitions:
            if isinstance(definition, OperationDefinitionNode):
                assert definition.name, f"{path}: every registered operation needs a name"
                name = definition.name.value
                assert name not in found, f"{path}: operation {name} is registered twice"
                found[name] = (path.parent.name, text)
    return found


OPS = registered()
EXECUTED: set[str] = set()


def test_every_registered_operation_is_valid_against_the_api_schema() -> None:
    schema = build_schema((ROOT / "schema" / "api.graphql").read_text(encoding="utf-8"))
    assert len(OPS) >= 10
    for path in sorted(OPERATIONS.glob("*/*.graphql")):
        errors = validate(schema, parse(path.read_text(encoding="utf-8")))
        assert not errors, f"{path}: {[e.message for e in errors]}"


def small_stack(data_dir: Path, brands: Any = None) -> Any:
    from subgraphs.stack import DEMO_BRANDS, dev_stack

    return dev_stack(data_dir, brands or DEMO_BRANDS, demo_members=120)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def system(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("dev")
    server = build_dev_server(data_dir, stack_spec=f"{__name__}:small_stack")
    await server.stack.prepare()
    await server.stack.start()
    gateway = server.gateway(auth=GatewayAuth())  # as `brand-matrix dev`: directives enforced
    try:
        yield server, gateway
    finally:
        await gateway.aclose()
        await server.stack.stop()


async def run(
    system, name: str, variables: dict[str, Any] | None = None, *, token: str | None = None
) -> dict[str, Any]:
    _, gateway = system
    _, document = OPS[name]
    headers = {"x-brand": BRAND}
    if token:
        headers["authorization"] = f"Bearer {token}"
    response = await gateway.execute(
        GraphQLRequest(document, variables=variables or {}, operation_name=name),
        allow_mutations=True,
        headers=headers,
    )
    body = response.body
    assert "errors" not in body, (name, body)
    EXECUTED.add(name)
    return body["data"]


async def sign_in(system, open_id: str, union_id: str) -> str:
    data = await run(system, "SignIn", {"brand": BRAND, "openId": open_id, "unionId": union_id})
    return data["signIn"]["accessToken"]


async def demo_member(server, *, consenting: bool, min_orders: int) -> tuple[str, str, str]:
    """(member id, lumen openId, unionId) of a demo member with a lumen account."""
    from sqlmodel import select

    from subgraphs.member.models import BrandAccount, ConsentRecord, Engagement, Member

    database = next(d for d in server.stack.deployments if d.label == "member").app.state.database
    async with database.session() as session:
        rows = (
            await session.exec(
                select(Member.id, Member.union_id, BrandAccount.open_id)
                .join(BrandAccount, BrandAccount.member_id == Member.id)
                .join(Engagement, Engagement.member_id == Member.id)
                .where(BrandAccount.brand == BRAND, Engagement.orders_count >= min_orders)
                .order_by(Member.id)
            )
        ).all()
        for member_id, union_id, open_id in rows:
            consents = (
                await session.exec(
                    select(ConsentRecord.granted)
                    .where(ConsentRecord.member_id == member_id)
                    .order_by(ConsentRecord.created_at.desc())  # type: ignore[union-attr]
                )
            ).all()
            if bool(consents and consents[0]) == consenting:
                return member_id, open_id, union_id
    raise AssertionError("the demo has no such member")


@pytest.mark.asyncio(loop_scope="module")
async def test_a_new_member_signs_in_and_sees_no_cross_brand_recommendations(system) -> None:
    token = await sign_in(system, "o-test-new-1", "union-test-new-1")
    home = await run(system, "Home", token=token)
    assert home["me"]["points"] == 0 and home["me"]["tier"] == "MEMBER"
    assert home["me"]["crossBrandRecommendations"] == []  # no consent, first visit
    assert home["banners"] and home["products"]
    assert all(p["id"].startswith(f"{BRAND}:") for p in home["products"])
    consent = await run(system, "ConsentSettings", token=token)
    assert consent["me"]["crossBrandConsent"]["granted"] is False
    changed = await run(
        system,
        "SetCrossBrandConsent",
        {"granted": True, "version": "2026-01", "channel": "mini-program"},
        token=token,
    )
    assert changed["setCrossBrandConsent"]["granted"] is True
    home = await run(system, "Home", token=token)
    assert home["me"]["crossBrandRecommendations"] == []  # consented, but a first visit


@pytest.mark.asyncio(loop_scope="module")
async def test_repeat_buyer_journey_from_recommendation_to_paid_order(system) -> None:
    server, _ = system
    member_id, open_id, union_id = await demo_member(server, consenting=True, min_orders=2)
    signed = await run(system, "SignIn", {"brand": BRAND, "openId": open_id, "unionId": union_id})
    assert signed["signIn"]["member"]["id"] == member_id
    refreshed = await run(
        system, "RefreshSession", {"refreshToken": signed["signIn"]["refreshToken"]}
    )
    token = refreshed["refreshSession"]["accessToken"]

    home = await run(system, "Home", token=token)
    points_before = home["me"]["points"]
    recommendations = home["me"]["crossBrandRecommendations"]
    assert recommendations, "a consenting repeat buyer sees cross-brand recommendations"
    assert all(r["targetBrand"] != BRAND for r in recommendations)
    pick = next(r for r in recommendations if r["product"]["inStock"])
    assert pick["product"]["id"].startswith(f"{pick['targetBrand']}:")  # another partition

    page = await run(system, "ProductPage", {"id": pick["product"]["id"]}, token=token)
    sku = next(s for s in page["product"]["skus"] if s["inStock"])
    source = {k: pick["source"][k] for k in ("kind", "id", "brand")}
    added = await run(system, "AddToCart", {"skuId": sku["id"], "source": source}, token=token)
    assert added["addToCart"]["itemCount"] >= 1

    checkout = (await run(system, "Checkout", token=token))["me"]
    assert pick["targetBrand"] in checkout["cart"]["brands"]
    assert checkout["addresses"] and checkout["paymentMethods"]  # shared across brands
    placed = await run(
        system,
        "PlaceOrder",
        {
            "input": {
                "shippingAddressId": checkout["addresses"][0]["id"],
                "paymentMethodId": checkout["paymentMethods"][0]["id"],
                "idempotencyKey": "journey-1",
            }
        },
        token=token,
    )
    order = placed["placeOrder"]
    assert order["status"] == "PAID" and order["totalFen"] == checkout["cart"]["subtotalFen"]

    await server.stack.settle()  # order.paid -> loyalty points, member engagement, catalogue stock
    history = await run(system, "OrderHistory", {"first": 5}, token=token)
    assert history["me"]["orders"][0]["id"] == order["id"]
    assert {line["brand"] for line in history["me"]["orders"][0]["lines"]} == set(order["brands"])
    home = await run(system, "Home", token=token)
    assert home["me"]["points"] > points_before

    vitalis = await run(system, "VitalisHome", token=token)
    assert vitalis["me"]["points"] == home["me"]["points"]  # one group-wide balance


@pytest.mark.asyncio(loop_scope="module")
async def test_withdrawn_consent_stops_recommendations_and_checkout_data_is_shared(system) -> None:
    server, _ = system
    _, open_id, union_id = await demo_member(server, consenting=True, min_orders=2)
    token = await sign_in(system, open_id, union_id)
    assert (await run(system, "Home", token=token))["me"]["crossBrandRecommendations"]
    await run(
        system,
        "SetCrossBrandConsent",
        {"granted": False, "version": "2026-01", "channel": "settings"},
        token=token,
    )
    assert (await run(system, "Home", token=token))["me"]["crossBrandRecommendations"] == []

    # A brand-new member saves an address and a payment token once; checkout sees them.
    token, pay_with = await new_shopper(system, "first-order")
    products = (await run(system, "Home", token=token))["products"]
    page = await run(system, "ProductPage", {"id": products[0]["id"]}, token=token)
    sku = next(s for s in page["product"]["skus"] if s["inStock"])
    await run(system, "AddToCart", {"skuId": sku["id"], "quantity": 2}, token=token)
    me = (await run(system, "Checkout", token=token))["me"]
    assert [a["id"] for a in me["addresses"]] == [pay_with["shippingAddressId"]]
    order = {**pay_with, "idempotencyKey": "first-order"}
    placed = await run(system, "PlaceOrder", {"input": order}, token=token)
    assert placed["placeOrder"]["status"] == "PAID"


async def new_shopper(system, name: str) -> tuple[str, dict[str, str]]:
    """A brand-new member with an address and a payment token (visible to checkout)."""
    server, _ = system
    token = await sign_in(system, f"o-{name}", f"union-{name}")
    address = {
        "recipient": "Li Na", "phone": "13800000000", "region": "Shanghai",
        "city": "Shanghai", "line1": "1 Nanjing Rd", "isDefault": True,
    }  # fmt: skip
    saved = await run(system, "SaveAddress", {"input": address}, token=token)
    method = {"provider": "sandbox", "token": "tok_sandbox_visa", "label": "Visa"}
    paying = await run(system, "SavePaymentMethod", {"input": method}, token=token)
    await server.stack.settle()  # the new address and token reach the order subgraph's replicas
    return token, {
        "shippingAddressId": saved["saveAddress"]["id"],
        "paymentMethodId": paying["savePaymentMethod"]["id"],
    }


async def fill_cart(system, token: str, brand: str, at_least_fen: int) -> int:
    subtotal, number = 0, 1001
    while subtotal < at_least_fen:
        page = await run(system, "ProductPage", {"id": f"{brand}:SKU-{number}"}, token=token)
        number += 1
        sku = next((s for s in page["product"]["skus"] if s["inStock"]), None)
        if sku is not None:
            added = await run(system, "AddToCart", {"skuId": sku["id"]}, token=token)
            subtotal = added["addToCart"]["subtotalFen"]
    return subtotal


@pytest.mark.asyncio(loop_scope="module")
async def test_spend_500_yuan_in_lumen_and_spend_the_coupon_in_vitalis(system) -> None:
    server, _ = system
    token, pay_with = await new_shopper(system, "coupon-hunter")
    assert (await run(system, "Checkout", token=token))["me"]["coupons"] == []
    await fill_cart(system, token, "lumen", 50_000)  # the default rule: 500 yuan in lumen
    first = {**pay_with, "idempotencyKey": "lumen-haul"}
    assert (await run(system, "PlaceOrder", {"input": first}, token=token))["placeOrder"][
        "status"
    ] == "PAID"
    await server.stack.settle()  # order.paid -> loyalty: points, and the rule issues the coupon

    (coupon,) = (await run(system, "Checkout", token=token))["me"]["coupons"]
    assert coupon["redeemableBrand"] == "vitalis"
    reserved = await run(system, "ReserveCoupon", {"couponId": coupon["id"]}, token=token)
    await fill_cart(system, token, "vitalis", coupon["minSpendFen"])
    second = {
        **pay_with,
        "idempotencyKey": "vitalis-with-coupon",
        "couponToken": reserved["reserveCoupon"]["couponToken"],
    }
    order = (await run(system, "PlaceOrder", {"input": second}, token=token))["placeOrder"]
    assert order["status"] == "PAID" and order["brands"] == ["vitalis"]
    assert order["discountFen"] == coupon["valueFen"]
    assert order["totalFen"] == order["subtotalFen"] - coupon["valueFen"]
    await server.stack.settle()  # order.paid marks the coupon redeemed in loyalty
    assert (await run(system, "Checkout", token=token))["me"]["coupons"] == []


@pytest.mark.asyncio(loop_scope="module")
async def test_every_registered_operation_ran_through_the_gateway(system) -> None:
    assert set(OPS) - EXECUTED == set(), "operations never exercised by these journeys"
