"""Each wrong actor on each sensitive field and mutation, through the gateway, over the dev stack.

The stack runs as `brand-matrix dev` does: subgraphs answer only the gateway (a random shared
secret, sent by the gateway on every fetch), and the gateway verifies tokens and enforces the
schemas' `@authenticated`/`@requiresScopes`. For every (operation, actor) a refusal comes back
and nothing changes in any database; then the right actor succeeds. A caller without the
token (or the kind, carried as a scope) a field needs is refused by the gateway before any
fetch (UNAUTHORIZED_FIELD_OR_TYPE); one with the right kind but the wrong member or brand by
the subgraph's own guard (FORBIDDEN).

Actors: anonymous; another member; staff of another brand; a member whose token claims a
staff role (a member acting as staff); staff of the right brand where only operators may.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import pytest
import pytest_asyncio
from sqlmodel import select

from gateway.auth import GatewayAuth
from gateway.dev import build_dev_server
from gateway.service import GraphQLRequest
from subgraphs.common.auth import issue_token
from subgraphs.stack import DEMO_BRANDS, dev_stack
from tests.subgraphs.common.asgi import call

pytestmark = pytest.mark.asyncio(loop_scope="module")

SKU = "lumen:SKU-1002-50ML"
KPIS = '{ groupKpis(since: "2020-01-01T00:00:00Z", until: "2100-01-01T00:00:00Z") { since } }'
PLACEMENT = {
    "id": "lumen:XB-ACCESS",
    "targetBrand": "vitalis",
    "targetProductId": "vitalis:SKU-1001",
    "targetCategory": "supplements",
    "headline": "Pairs well",
}
MEMBER_DATA = (
    "query($id: ID!) { order(id: $id) { id member { id addresses { id } paymentMethods { id } "
    "points coupons { id } cart { itemCount } orders { id } } } }"
)


def access_stack(data_dir, brands=None):
    return dev_stack(data_dir, brands or DEMO_BRANDS, demo_members=30)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def system(tmp_path_factory):
    server = build_dev_server(
        tmp_path_factory.mktemp("access"),
        stack_spec=f"{__name__}:access_stack",
        gateway_secret=secrets.token_urlsafe(16),
    )
    await server.stack.prepare()
    await server.stack.start()
    gateway = server.gateway(auth=GatewayAuth())  # as `brand-matrix dev` runs it
    try:
        world = await _world(server, gateway)
        yield server, gateway, world
    finally:
        await gateway.aclose()
        await server.stack.stop()


async def gql(gateway, query: str, variables=None, *, token=None, brand="lumen") -> dict:
    headers = {"x-brand": brand}
    if token:
        headers["authorization"] = f"Bearer {token}"
    response = await gateway.execute(
        GraphQLRequest(query, variables=variables or {}), allow_mutations=True, headers=headers
    )
    return response.body


async def _sign_in(gateway, name: str) -> tuple[str, str]:
    signed = await gql(
        gateway,
        'mutation($o: String, $u: String) { signIn(brand: "lumen", credentials: '
        "{openId: $o, unionId: $u}) { accessToken member { id } } }",
        {"o": f"o-{name}", "u": f"u-{name}"},
    )
    return signed["data"]["signIn"]["accessToken"], signed["data"]["signIn"]["member"]["id"]


async def _world(server, gateway) -> dict[str, Any]:
    """Member A with a paid lumen order, member B, and a token per actor."""
    a_token, a_id = await _sign_in(gateway, "access-a")
    b_token, b_id = await _sign_in(gateway, "access-b")
    address = await gql(
        gateway,
        'mutation { saveAddress(input: {recipient: "Wu Lei", phone: "13900000000", '
        'region: "Zhejiang", city: "Hangzhou", line1: "9 Wensan Rd"}) { id } }',
        token=a_token,
    )
    method = await gql(
        gateway,
        'mutation { savePaymentMethod(input: {provider: "sandbox", token: "tok_sandbox_1", '
        'label: "Visa"}) { id } }',
        token=a_token,
    )
    await server.stack.settle()
    await gql(gateway, f'mutation {{ addToCart(skuId: "{SKU}", quantity: 1) {{ itemCount }} }}',
              token=a_token)  # fmt: skip
    placed = await gql(
        gateway,
        "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id status } }",
        {
            "i": {
                "shippingAddressId": address["data"]["saveAddress"]["id"],
                "paymentMethodId": method["data"]["savePaymentMethod"]["id"],
                "idempotencyKey": "access-1",
            }
        },
        token=a_token,
    )
    assert placed["data"]["placeOrder"]["status"] == "PAID", placed
    await server.stack.settle()
    ring = server.stack.key_ring

    def token(kind: str, subject: str, brand: str | None = None, roles=()) -> str:
        return issue_token(ring, subject=subject, kind=kind, brand=brand, roles=roles)

    return {
        "a": a_id,
        "b": b_id,
        "order": placed["data"]["placeOrder"]["id"],
        "tokens": {
            "anonymous": None,
            "member A": a_token,
            "another member": b_token,
            "staff of another brand": token("staff", "vitalis-staff", "vitalis"),
            "member acting as staff": token("member", b_id, "lumen", roles=("staff", "admin")),
            "staff of the brand": token("staff", "lumen-staff", "lumen"),
            "operator": token("operator", "ops"),
        },
    }


# -- what each operation is, and what "nothing changed" means ---------------------------------


def _doc(name: str, world: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    order = {"id": world["order"]}
    return {
        "setSkuPrice": (
            f'mutation {{ setSkuPrice(skuId: "{SKU}", priceFen: 1) {{ id priceFen }} }}',
            {},
        ),
        "upsertCrossBrandPlacement": (
            "mutation($i: CrossBrandPlacementInput!) { upsertCrossBrandPlacement(input: $i) "
            "{ id } }",
            {"i": PLACEMENT},
        ),
        "shipOrder": ("mutation($id: ID!) { shipOrder(orderId: $id) { status } }", order),
        "refundOrder": ("mutation($id: ID!) { refundOrder(orderId: $id) { status } }", order),
        "earnPoints": (
            'mutation($m: ID!) { earnPoints(memberId: $m, points: 500, idempotencyKey: "acc") '
            "{ __typename } }",
            {"m": world["a"]},
        ),
        "order": ("query($id: ID!) { order(id: $id) { id status } }", order),
        "order.member data": (MEMBER_DATA, order),
        "groupKpis": (KPIS, {}),
        "eraseMember": (
            "mutation($m: ID!) { eraseMember(memberId: $m) { id } }",
            {"m": world["b"]},
        ),
        "erasureRequest": ('{ erasureRequest(id: "era_none") { id status } }', {}),
    }[name]


# G: the gateway (the token lacks the kind the field's @requiresScopes names, or there is no
# token for its @authenticated); F: the subgraph's guard (right kind, wrong member or brand).
G, F = "UNAUTHORIZED_FIELD_OR_TYPE", "FORBIDDEN"
STAFF_MUTATIONS = ("setSkuPrice", "upsertCrossBrandPlacement", "shipOrder", "refundOrder")
REFUSALS: list[tuple[str, str, str]] = [
    *[(op, "anonymous", G) for op in STAFF_MUTATIONS],
    *[(op, "member A", G) for op in STAFF_MUTATIONS],
    *[(op, "member acting as staff", G) for op in STAFF_MUTATIONS],  # a role is not a kind
    *[(op, "staff of another brand", F) for op in STAFF_MUTATIONS],
    # another member's order, and the member's private data reached through it
    ("order", "anonymous", G),
    ("order", "another member", F),
    ("order", "staff of another brand", F),
    ("order", "member acting as staff", F),
    ("order.member data", "anonymous", G),
    ("order.member data", "another member", F),
    ("order.member data", "staff of another brand", F),
    # points: staff of the brand (or operators) credit them, never a member for themself
    ("earnPoints", "anonymous", G),
    ("earnPoints", "member A", G),
    ("earnPoints", "member acting as staff", G),
    ("earnPoints", "staff of another brand", F),
    # operators only: everyone else is refused by the gateway
    *[
        (op, actor, G)
        for op in ("groupKpis", "eraseMember", "erasureRequest")
        for actor in (
            "anonymous",
            "member A",
            "member acting as staff",
            "staff of another brand",
            "staff of the brand",
        )
    ],
]


async def _snapshot(server, world: dict[str, Any]) -> str:
    """What a refused operation must not have changed, from the databases themselves."""
    from subgraphs.catalogue.models import Sku
    from subgraphs.content.models import CrossBrandPlacement
    from subgraphs.loyalty.models import LedgerEntry
    from subgraphs.member.models import ErasureRequest, Member
    from subgraphs.order.models import Order, StatusChange

    databases = {d.label: d.app.state.database for d in server.stack.deployments}
    reads = [
        ("catalogue@lumen", select(Sku)),
        ("content@lumen", select(CrossBrandPlacement)),
        ("order", select(Order).where(Order.id == world["order"])),
        ("order", select(StatusChange)),
        ("loyalty", select(LedgerEntry).where(LedgerEntry.member_id == world["a"])),
        ("member", select(ErasureRequest)),
        ("member", select(Member).where(Member.id.in_([world["a"], world["b"]]))),
    ]
    found = []
    for label, statement in reads:
        async with databases[label].session() as session:
            rows = (await session.exec(statement)).all()
            found.append([row.model_dump(mode="json") for row in rows])
    return json.dumps(found, sort_keys=True, default=str)


@pytest.mark.parametrize(("operation", "actor", "code"), REFUSALS)
async def test_the_wrong_actor_is_refused_and_nothing_changes(system, operation, actor, code):
    server, gateway, world = system
    query, variables = _doc(operation, world)
    before = await _snapshot(server, world)
    body = await gql(gateway, query, variables, token=world["tokens"][actor])
    codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
    assert codes == {code}, body
    data = body.get("data") or {}
    assert all(value is None for value in data.values()), body
    await server.stack.settle()
    assert await _snapshot(server, world) == before


async def test_the_right_actor_succeeds(system):
    """Runs after the refusals (module order): each operation works for the one allowed."""
    _, gateway, world = system
    tokens = world["tokens"]

    async def ok(operation: str, actor: str) -> dict[str, Any]:
        query, variables = _doc(operation, world)
        body = await gql(gateway, query, variables, token=tokens[actor])
        assert "errors" not in body, (operation, actor, body)
        return body["data"]

    own = await ok("order.member data", "member A")
    assert own["order"]["member"]["id"] == world["a"]
    assert own["order"]["member"]["addresses"]
    assert (await ok("order", "staff of the brand"))["order"]["status"] == "PAID"
    assert (await ok("order", "operator"))["order"]["id"] == world["order"]
    assert (await ok("setSkuPrice", "staff of the brand"))["setSkuPrice"]["priceFen"] == 1
    placed = await ok("upsertCrossBrandPlacement", "staff of the brand")
    assert placed["upsertCrossBrandPlacement"]["id"] == PLACEMENT["id"]
    assert (await ok("earnPoints", "staff of the brand"))["earnPoints"]
    assert (await ok("shipOrder", "staff of the brand"))["shipOrder"]["status"] == "SHIPPED"
    assert (await ok("refundOrder", "operator"))["refundOrder"]["status"] == "REFUNDED"
    assert (await ok("groupKpis", "operator"))["groupKpis"]["since"]
    erasure = (await ok("eraseMember", "operator"))["eraseMember"]["id"]
    read = await gql(
        gateway, "query($id: ID!) { erasureRequest(id: $id) { id } }", {"id": erasure},
        token=tokens["operator"],
    )  # fmt: skip
    assert read["data"]["erasureRequest"]["id"] == erasure, read


async def test_a_member_sees_only_their_own_data_through_me(system):
    _, gateway, world = system
    mine = await gql(gateway, "{ me { id } }", token=world["tokens"]["member A"])
    assert mine["data"]["me"]["id"] == world["a"]


async def test_subgraphs_refuse_what_did_not_come_through_the_gateway(system):
    """`_entities` and `_service` straight to a subgraph: 403 GATEWAY_REQUIRED; through the
    gateway (which sends the secret) they answer; a client's own header changes nothing."""
    server, gateway, world = system
    member = next(d for d in server.stack.deployments if d.label == "member").app
    entities = {
        "query": "query($r: [_Any!]!) { _entities(representations: $r) { ... on Member "
        "{ id addresses { id } } } }",
        "variables": {"r": [{"__typename": "Member", "id": world["a"]}]},
    }
    for body in (entities, {"query": "{ _service { sdl } }"}):
        for headers in ({}, {"x-brand-matrix-gateway": "guess"}):
            status, answer = await call(member, "POST", "/graphql", json=body, headers=headers)
            assert status == 403
            assert answer["errors"][0]["extensions"]["code"] == "GATEWAY_REQUIRED"
    assert (await call(member, "GET", "/health"))[0] == 200
    good = {"x-brand-matrix-gateway": server.gateway_secret}
    status, answer = await call(
        member, "POST", "/graphql", json={"query": "{ _service { sdl } }"}, headers=good
    )
    assert status == 200 and "type Member" in answer["data"]["_service"]["sdl"]
    spoofed = await gateway.execute(
        GraphQLRequest("{ me { id } }"),
        headers={
            "x-brand": "lumen",
            "authorization": f"Bearer {world['tokens']['member A']}",
            "x-brand-matrix-gateway": "not-the-secret",
        },
    )
    assert spoofed.body["data"]["me"]["id"] == world["a"], spoofed.body
