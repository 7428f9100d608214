from __future__ import annotations

from pathlib import Path

from gateway.composition import SubgraphInput, compose
from subgraphs.loyalty.print_schema import SCHEMA_FILE, main
from subgraphs.loyalty.schema import sdl

ROOT = Path(__file__).resolve().parents[3]


def test_checked_in_sdl_is_current():
    assert SCHEMA_FILE == ROOT / "schema" / "loyalty.graphql"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == sdl(), (
        "schema/loyalty.graphql is stale: run python -m subgraphs.loyalty.print_schema"
    )


def test_print_schema_writes_the_sdl(tmp_path, capsys):
    target = tmp_path / "out" / "loyalty.graphql"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == sdl()


def test_the_sdl_is_federation_2_9_with_integer_points():
    text = sdl()
    assert 'url: "https://specs.apollo.dev/federation/v2.9"' in text
    assert 'type Member @key(fields: "id")' in text
    for field in ("points: Int!", "tier: Tier!", "pointsHistory(first: Int = 20): [PointsEntry!]!"):
        assert field in text


def test_loyalty_composes_alone():
    result = compose([SubgraphInput("loyalty", "http://loyalty/graphql", sdl())])
    assert result.errors == [] and result.ok, [e.message for e in result.errors]
    assert 'join__type(graph: LOYALTY, key: "id")' in result.supergraph_sdl
    assert "type Member" in result.supergraph_sdl


def test_the_sdl_has_coupons_and_the_group_kpi():
    text = sdl()
    for field in (
        "coupons(status: CouponStatus = null): [Coupon!]!",
        "reserveCoupon(couponId: ID!): CouponReservation!",
        "couponToken: String!",
        'type GroupKpis @key(fields: "since until")',
        "multiBrandPointsMembers: Int!",
        "valueFen: Int!",
        "loyaltyTiers: [TierLevel!]!",
    ):
        assert field in text, field


ORDER_LIKE = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
scalar DateTime
type GroupKpis @key(fields: "since until") {
  since: DateTime!
  until: DateTime!
  ordersCount: Int!
}
type Query {
  groupKpis(since: DateTime!, until: DateTime!): GroupKpis!
}
"""


def test_group_kpis_compose_with_the_owner():
    result = compose(
        [
            SubgraphInput("loyalty", "http://loyalty/graphql", sdl()),
            SubgraphInput("order", "http://order/graphql", ORDER_LIKE),
        ]
    )
    assert result.errors == [] and result.ok, [e.message for e in result.errors]
    assert 'join__type(graph: LOYALTY, key: "since until")' in result.supergraph_sdl
