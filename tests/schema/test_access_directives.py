"""The subgraphs' access directives, enforced by the gateway over the whole dev stack.

The gateway runs as `brand-matrix dev` runs it (tokens verified, `@authenticated` and
`@requiresScopes` enforced). A field the caller may not ask is nulled with
UNAUTHORIZED_FIELD_OR_TYPE before any fetch: its subgraph never sees it, and the rest of the
response stands. Each central subgraph's transport records what the gateway sent it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from graphql import build_ast_schema, parse

from gateway.auth import GatewayAuth
from gateway.dev import build_dev_server
from gateway.service import GraphQLRequest
from gateway.transport.base import SubgraphRequest
from subgraphs.common.auth import issue_token

ROOT = Path(__file__).resolve().parents[2]
UNAUTHORIZED = "UNAUTHORIZED_FIELD_OR_TYPE"
CENTRAL = ("member", "loyalty", "order")


def tiny_stack(data_dir: Path, brands: Any = None) -> Any:
    from subgraphs.stack import DEMO_BRANDS, dev_stack

    return dev_stack(data_dir, brands or DEMO_BRANDS, demo_members=5)


class Recording:
    """Passes fetches on to the subgraph's transport and keeps their query texts."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.queries: list[str] = []

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        self.queries.append(request.query)
        return await self.inner.fetch(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def system(tmp_path_factory):
    server = build_dev_server(
        tmp_path_factory.mktemp("access-directives"), stack_spec=f"{__name__}:tiny_stack"
    )
    await server.stack.prepare()
    await server.stack.start()
    recorded = {name: Recording(server.transports[name]) for name in CENTRAL}
    server.transports.update(recorded)
    gateway = server.gateway(auth=GatewayAuth())
    ring = server.stack.key_ring
    signed = await gateway.execute(
        GraphQLRequest(
            'mutation { signIn(brand: "lumen", credentials: {openId: "o-dir", unionId: "u-dir"})'
            " { accessToken member { id } } }"
        ),
        allow_mutations=True,
        headers={"x-brand": "lumen"},
    )
    tokens = {
        "member": signed.body["data"]["signIn"]["accessToken"],
        "staff": issue_token(ring, subject="lumen-staff", kind="staff", brand="lumen"),
        "operator": issue_token(ring, subject="ops", kind="operator"),
    }
    try:
        yield gateway, recorded, tokens
    finally:
        await gateway.aclose()
        await server.stack.stop()


async def ask(system, query: str, token: str | None = None) -> tuple[dict, dict[str, list[str]]]:
    """The response body and, per central subgraph, the queries this request sent it."""
    gateway, recorded, tokens = system
    before = {name: len(r.queries) for name, r in recorded.items()}
    headers = {"x-brand": "lumen"}
    if token is not None:
        headers["authorization"] = f"Bearer {tokens[token]}"
    response = await gateway.execute(GraphQLRequest(query), allow_mutations=True, headers=headers)
    sent = {name: r.queries[before[name] :] for name, r in recorded.items()}
    return response.body, sent


def refused_paths(body: dict) -> list[list[Any]]:
    errors = body.get("errors", [])
    assert all(e["extensions"]["code"] == UNAUTHORIZED for e in errors), body
    return [e["path"] for e in errors]


@pytest.mark.asyncio(loop_scope="module")
async def test_anonymous_me_is_refused_before_the_member_subgraph_is_asked(system) -> None:
    body, sent = await ask(system, "{ me { id displayName } loyaltyTiers { tier threshold } }")
    assert refused_paths(body) == [["me"]]
    assert body["data"]["me"] is None
    assert body["data"]["loyaltyTiers"][0]["tier"] == "MEMBER"  # the rest stands
    assert sent["member"] == []  # not one fetch for the refused field
    assert len(sent["loyalty"]) == 1


@pytest.mark.asyncio(loop_scope="module")
async def test_anonymous_mutations_that_need_a_caller_fetch_nothing(system) -> None:
    body, sent = await ask(
        system, 'mutation { addToCart(skuId: "lumen:SKU-1001-30ML") { itemCount } }'
    )
    assert refused_paths(body) == [["addToCart"]] and body["data"] is None
    assert sent == {name: [] for name in CENTRAL}


@pytest.mark.asyncio(loop_scope="module")
async def test_a_member_asking_an_operator_field_gets_the_rest(system) -> None:
    body, sent = await ask(
        system, '{ me { id points } erasureRequest(id: "era_none") { id status } }', "member"
    )
    assert refused_paths(body) == [["erasureRequest"]]
    assert body["data"]["erasureRequest"] is None
    assert body["data"]["me"]["id"] and body["data"]["me"]["points"] == 0
    assert sent["member"] and not any("erasureRequest" in q for q in sent["member"])


@pytest.mark.asyncio(loop_scope="module")
async def test_staff_are_refused_operator_fields_and_members_staff_ones(system) -> None:
    body, sent = await ask(system, 'mutation { eraseMember(memberId: "mbr_x") { id } }', "staff")
    assert refused_paths(body) == [["eraseMember"]]
    assert sent == {name: [] for name in CENTRAL}
    body, sent = await ask(
        system, 'mutation { refundOrder(orderId: "ord_x") { status } }', "member"
    )
    assert refused_paths(body) == [["refundOrder"]]
    assert sent == {name: [] for name in CENTRAL}


@pytest.mark.parametrize("caller", ["staff", "operator"])
@pytest.mark.asyncio(loop_scope="module")
async def test_me_is_for_members_only(system, caller: str) -> None:
    """`me` needs the member scope: staff and operators have no member of their own."""
    body, sent = await ask(system, "{ me { id addresses { id } } }", caller)
    assert refused_paths(body) == [["me"]] and sent["member"] == []


@pytest.mark.asyncio(loop_scope="module")
async def test_the_allowed_callers_pass_the_gateway(system) -> None:
    body, _ = await ask(
        system, "{ me { id addresses { id } points cart { itemCount } } }", "member"
    )
    assert "errors" not in body, body
    body, _ = await ask(
        system,
        '{ groupKpis(since: "2020-01-01T00:00:00Z", until: "2100-01-01T00:00:00Z") '
        "{ paidOrders multiBrandPointsMembers } }",
        "operator",
    )
    assert "errors" not in body, body


EXPECTED = {
    # (subgraph, "Type.field"): (scopes alternatives, tags); all of them @authenticated
    ("member", "Query.me"): ([["member"]], []),
    ("member", "Member.addresses"): ([["member"], ["operator"], ["member:read"]], []),
    ("member", "Mutation.eraseMember"): ([["operator"]], ["operator"]),
    ("member", "Query.erasureRequest"): ([["operator"]], ["operator"]),
    ("loyalty", "Member.points"): ([["member"], ["operator"]], []),
    ("loyalty", "Mutation.earnPoints"): (
        [["loyalty:earn"], ["staff"], ["operator"]],
        ["service", "staff"],
    ),
    ("order", "Query.groupKpis"): ([["operator"]], ["operator"]),
    ("order", "Mutation.refundOrder"): ([["staff"], ["operator"]], ["staff"]),
    ("order", "Mutation.placeOrder"): ([["member"]], []),
    ("catalogue", "Mutation.setSkuPrice"): ([["staff"], ["operator"]], ["staff"]),
    ("content", "Query.crossBrandPlacements"): ([["staff"], ["operator"]], ["staff"]),
    ("content", "Member.crossBrandRecommendations"): ([["member"]], []),
}


def _directives(subgraph: str, coordinate: str) -> dict[str, list[Any]]:
    sdl = (ROOT / "schema" / f"{subgraph}.graphql").read_text(encoding="utf-8")
    type_name, field_name = coordinate.split(".")
    schema = build_ast_schema(parse(sdl), assume_valid=True)
    node = schema.get_type(type_name).fields[field_name].ast_node  # type: ignore[union-attr]
    found: dict[str, list[Any]] = {}
    for directive in node.directives or ():
        args = {a.name.value: a.value for a in directive.arguments or ()}
        found.setdefault(directive.name.value, []).append(args)
    return found


@pytest.mark.parametrize(("subgraph", "coordinate"), sorted(EXPECTED))
def test_the_checked_in_sdl_declares_who_may_ask(subgraph: str, coordinate: str) -> None:
    from graphql import value_from_ast_untyped

    scopes, tags = EXPECTED[subgraph, coordinate]
    found = _directives(subgraph, coordinate)
    assert "authenticated" in found
    [requires] = found["requiresScopes"]
    assert value_from_ast_untyped(requires["scopes"]) == scopes
    assert sorted(value_from_ast_untyped(t["name"]) for t in found.get("tag", [])) == tags


@pytest.mark.parametrize(
    ("subgraph", "coordinate"),
    [
        ("member", "Mutation.signIn"),  # anyone signs in
        ("member", "Member.displayName"),  # signIn answers it to the caller just signed in
        ("catalogue", "Query.products"),
        ("loyalty", "Query.loyaltyTiers"),
    ],
)
def test_public_fields_stay_open(subgraph: str, coordinate: str) -> None:
    found = _directives(subgraph, coordinate)
    assert not {"authenticated", "requiresScopes", "policy"} & found.keys()
