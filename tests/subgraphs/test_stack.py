"""The whole group in one process (subgraphs/stack.py), through the gateway: the effects that
cross subgraphs — erasure reaching every subgraph, a refund reversing points — end to end."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio

from gateway.dev import build_dev_server
from gateway.service import GraphQLRequest
from subgraphs.common.auth import issue_token
from subgraphs.stack import DEMO_BRANDS, dev_stack

pytestmark = pytest.mark.asyncio(loop_scope="module")


def tiny_stack(data_dir, brands=None):
    return dev_stack(data_dir, brands or DEMO_BRANDS, demo_members=40)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def system(tmp_path_factory):
    server = build_dev_server(tmp_path_factory.mktemp("stack"), stack_spec=f"{__name__}:tiny_stack")
    await server.stack.prepare()
    await server.stack.start()
    gateway = server.gateway()
    try:
        yield server, gateway
    finally:
        await gateway.aclose()
        await server.stack.stop()


async def gql(system, query: str, variables=None, *, token=None, brand="lumen") -> dict[str, Any]:
    _, gateway = system
    headers = {"x-brand": brand}
    if token:
        headers["authorization"] = f"Bearer {token}"
    response = await gateway.execute(
        GraphQLRequest(query, variables=variables or {}), allow_mutations=True, headers=headers
    )
    return response.body


def token(server, kind: str, subject: str = "ops", brand: str | None = None) -> str:
    return issue_token(server.stack.key_ring, subject=subject, kind=kind, brand=brand)


async def shopper(system, name: str) -> tuple[str, str, str]:
    """A new member who bought one lumen product: (token, member id, order id)."""
    server, _ = system
    signed = await gql(
        system,
        'mutation($o: String, $u: String) { signIn(brand: "lumen", credentials: '
        "{openId: $o, unionId: $u}) { accessToken member { id } } }",
        {"o": f"o-{name}", "u": f"u-{name}"},
    )
    member_token = signed["data"]["signIn"]["accessToken"]
    member_id = signed["data"]["signIn"]["member"]["id"]
    address = await gql(
        system,
        'mutation { saveAddress(input: {recipient: "Wu Lei", phone: "13900000000", '
        'region: "Zhejiang", city: "Hangzhou", line1: "9 Wensan Rd"}) { id } }',
        token=member_token,
    )
    method = await gql(
        system,
        'mutation { savePaymentMethod(input: {provider: "sandbox", token: '
        '"tok_sandbox_1", label: "Visa"}) { id } }',
        token=member_token,
    )
    await gql(system, "mutation { setCrossBrandConsent(granted: true, version: \"v1\", "
              "channel: \"app\") { granted } }", token=member_token)  # fmt: skip
    await server.stack.settle()
    await gql(
        system,
        'mutation { addToCart(skuId: "lumen:SKU-1002-50ML", quantity: 2) { itemCount } }',
        token=member_token,
    )
    placed = await gql(
        system,
        "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id status } }",
        {
            "i": {
                "shippingAddressId": address["data"]["saveAddress"]["id"],
                "paymentMethodId": method["data"]["savePaymentMethod"]["id"],
                "idempotencyKey": "k1",
            }
        },
        token=member_token,
    )
    assert placed["data"]["placeOrder"]["status"] == "PAID", placed
    await server.stack.settle()
    return member_token, member_id, placed["data"]["placeOrder"]["id"]


ME = "{ me { points lifetimePoints engagement { ordersCount } } }"


async def test_a_refund_reverses_the_points_the_payment_earned(system) -> None:
    server, _ = system
    member_token, _, order_id = await shopper(system, "refunded")
    earned = (await gql(system, ME, token=member_token))["data"]["me"]
    assert earned["points"] > 0 and earned["engagement"]["ordersCount"] == 1
    staff = token(server, "staff", "lumen-staff", brand="lumen")
    refunded = await gql(
        system,
        "mutation($id: ID!) { refundOrder(orderId: $id) { status } }",
        {"id": order_id},
        token=staff,
    )
    assert refunded["data"]["refundOrder"]["status"] == "REFUNDED", refunded
    await server.stack.settle()
    after = (await gql(system, ME, token=member_token))["data"]["me"]
    assert after["points"] == 0


async def test_the_same_tier_in_every_brand_app(system) -> None:
    member_token, _, _ = await shopper(system, "tiered")
    tiers = set()
    for brand in DEMO_BRANDS:
        body = await gql(system, "{ me { tier points } }", token=member_token, brand=brand)
        tiers.add((body["data"]["me"]["tier"], body["data"]["me"]["points"]))
    assert len(tiers) == 1


async def test_erasure_reaches_every_subgraph(system) -> None:
    server, _ = system
    member_token, member_id, order_id = await shopper(system, "forgotten")
    lumen_home = "{ me { crossBrandRecommendations { id } } }"
    assert "errors" not in await gql(system, lumen_home, token=member_token)

    erased = await gql(system, "mutation { eraseMe { id status } }", token=member_token)
    request_id = erased["data"]["eraseMe"]["id"]
    await server.stack.settle()

    operator = token(server, "operator")
    status = await gql(
        system,
        "query($id: ID!) { erasureRequest(id: $id) { status "
        "participants { participant completedAt } } }",
        {"id": request_id},
        token=operator,
    )
    assert "data" in status, status
    request = status["data"]["erasureRequest"]
    assert request["status"] == "COMPLETED", request
    names = {p["participant"] for p in request["participants"]}
    assert {"loyalty", "order"} | {f"content:{b}" for b in DEMO_BRANDS} <= names
    assert all(p["completedAt"] for p in request["participants"])

    # No subgraph returns the member's personal data any more (asked by an operator).
    entity = await gql(
        system,
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { id } } }",
        {"r": [{"__typename": "Member", "id": member_id}]},
        token=operator,
    )
    assert "errors" in entity  # _entities is not part of the API schema
    order = await gql(
        system,
        "query($id: ID!) { order(id: $id) { shippingAddress { recipient city line1 } "
        "member { unionId displayName addresses { id } paymentMethods { id } points "
        "coupons { id } } } }",
        {"id": order_id},
        token=operator,
    )
    data = order["data"]["order"]
    assert data["shippingAddress"] is None or not any(data["shippingAddress"].values())
    member = data["member"]
    assert member["unionId"] is None and member["displayName"] is None
    assert member["addresses"] == [] and member["paymentMethods"] == []
    assert member["points"] == 0 and member["coupons"] == []
    # and the member's old token no longer works for their data
    me = await gql(system, "{ me { id } }", token=member_token)
    assert me.get("data", {}).get("me") is None and me["errors"]


KPIS = """query($since: DateTime!, $until: DateTime!) { groupKpis(since: $since, until: $until) {
  paidOrders revenueFen crossTrafficCartAdds crossTrafficConversions crossTrafficConversionRate
  crossBrandAttributedRevenueFen singleBrandAttributedRevenueFen crossToSingleBrandRevenueRatio
  multiBrandPointsMembers } }"""
WINDOW = {"since": "2020-01-01T00:00:00+00:00", "until": "2030-01-01T00:00:00+00:00"}


async def test_group_kpis_come_from_order_and_loyalty_for_operators_only(system) -> None:
    server, _ = system
    body = await gql(system, KPIS, WINDOW, token=token(server, "operator"))
    assert "errors" not in body, body
    kpis = body["data"]["groupKpis"]
    assert kpis["paidOrders"] > 0 and kpis["revenueFen"] > 0
    assert 0 <= kpis["crossTrafficConversions"] <= kpis["crossTrafficCartAdds"]
    if kpis["crossTrafficCartAdds"]:
        expected = kpis["crossTrafficConversions"] / kpis["crossTrafficCartAdds"]
        assert kpis["crossTrafficConversionRate"] == pytest.approx(expected)
    assert kpis["multiBrandPointsMembers"] >= 0  # loyalty's field, joined by the entity key
    refused = await gql(system, KPIS, WINDOW, token=token(server, "staff", brand="lumen"))
    assert refused["errors"] and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
