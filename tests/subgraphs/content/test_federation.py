"""Content's @requires with a member subgraph: composition, the gateway's plan (member first,
the required fields in the representation) and the field served end to end."""

from __future__ import annotations

from datetime import UTC, datetime

from gateway.composition import SubgraphInput, compose
from gateway.planning.plan import iter_fetches
from gateway.service import Gateway, GraphQLRequest
from gateway.transport.asgi import AsgiTransport
from subgraphs.common.auth import KeyRing, issue_token
from subgraphs.content.app import create_app, migrate
from subgraphs.content.schema import sdl
from subgraphs.content.seed import seed_demo

from . import member_standin
from .conftest import NOW

QUERY = (
    '{ member(id: "mbr_1") { displayName crossBrandRecommendations(first: 2) '
    "{ id reason source { kind id brand } } } }"
)


def _supergraph() -> str:
    result = compose(
        [
            SubgraphInput("content", "http://content/graphql", sdl()),
            SubgraphInput("member", "http://member/graphql", member_standin.sdl()),
        ]
    )
    assert result.ok and result.errors == [], [e.message for e in result.errors]
    assert result.supergraph_sdl is not None
    return result.supergraph_sdl


def test_composes_with_a_member_subgraph_that_owns_the_required_fields():
    supergraph = _supergraph()
    assert "crossBrandRecommendations(first: Int = 4): [CrossBrandRecommendation!]!" in supergraph
    assert 'requires: "crossBrandConsent { granted } engagement { firstSeenAt' in supergraph
    assert "@join__field(graph: CONTENT, external: true)" in supergraph


def test_the_plan_fetches_the_required_fields_from_member_first():
    gateway = Gateway(_supergraph(), {})
    plan = gateway.plan(QUERY)
    member, content = iter_fetches(plan.root)
    assert (member.subgraph, content.subgraph) == ("member", "content")
    assert "crossBrandConsent" in member.operation and "categoriesPurchased" in member.operation
    assert content.depends_on == (member.id,)
    assert content.entities is not None
    fields = {f.name for f in content.entities["Member"].fields}
    assert {"id", "crossBrandConsent", "engagement"} <= fields


async def test_the_gateway_serves_recommendations_from_the_members_signals(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'content.db'}"
    migrate(url)
    content = create_app("lumen", url, clock=lambda: NOW)
    async with content.state.database.session() as session:
        await seed_demo(session, "lumen")
    member_standin.MEMBERS["mbr_1"] = member_standin.Member(
        id="mbr_1",
        display_name="Ann",
        cross_brand_consent=member_standin.CrossBrandConsent(
            granted=True, version="v1", channel="lumen-app", changed_at=None
        ),
        engagement=member_standin.Engagement(
            first_seen_at=datetime(2024, 1, 1, tzinfo=UTC),
            orders_count=1,
            last_order_at=datetime(2024, 12, 1, tzinfo=UTC),
            brands_used=["lumen"],
            brands_purchased=["lumen"],
            categories_purchased=["skincare"],
        ),
    )
    gateway = Gateway(
        _supergraph(),
        {
            "content": AsgiTransport("content", content),
            "member": AsgiTransport("member", member_standin.app()),
        },
        forward_headers=("authorization",),
    )
    bearer = issue_token(KeyRing.from_env(), subject="mbr_1", kind="member", brand="lumen")
    try:
        response = await gateway.execute(
            GraphQLRequest(QUERY), headers={"authorization": f"Bearer {bearer}"}
        )
    finally:
        await gateway.aclose()
        await content.state.database.dispose()
        member_standin.MEMBERS.clear()
    assert response.body == {
        "data": {
            "member": {
                "displayName": "Ann",
                "crossBrandRecommendations": [  # a buyer: 2
                    {
                        "id": "lumen:XB-7",
                        "reason": "pairs-with:skincare",
                        "source": {"kind": "RECOMMENDATION", "id": "lumen:XB-7", "brand": "lumen"},
                    },
                    {
                        "id": "lumen:XB-1",
                        "reason": "pairs-with:skincare",
                        "source": {"kind": "RECOMMENDATION", "id": "lumen:XB-1", "brand": "lumen"},
                    },
                ],
            }
        }
    }
