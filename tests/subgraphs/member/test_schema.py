from __future__ import annotations

from pathlib import Path

from gateway.composition import SubgraphInput, compose
from subgraphs.loyalty.schema import sdl as loyalty_sdl
from subgraphs.member.print_schema import SCHEMA_FILE, main
from subgraphs.member.schema import sdl

ROOT = Path(__file__).resolve().parents[3]


def test_checked_in_sdl_is_current():
    assert SCHEMA_FILE == ROOT / "schema" / "member.graphql"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == sdl(), (
        "schema/member.graphql is stale: run python -m subgraphs.member.print_schema"
    )


def test_print_schema_writes_the_sdl(tmp_path):
    target = tmp_path / "out" / "member.graphql"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == sdl()


def test_the_sdl_is_federation_2_9_with_the_contract_fields():
    text = sdl()
    assert 'url: "https://specs.apollo.dev/federation/v2.9"' in text
    for key in (
        'type Member @key(fields: "id")',
        'type Address @key(fields: "id")',
        'type PaymentMethod @key(fields: "id")',
    ):
        assert key in text
    for field in (
        "crossBrandConsent: CrossBrandConsent!",
        "engagement: Engagement!",
        "firstSeenAt: DateTime!",
        "ordersCount: Int!",
        "brandsUsed: [String!]!",
        "categoriesPurchased: [String!]!",
        "signIn(brand: String!, credentials: SignInInput!): AuthSession!",
        "me: Member",
    ):
        assert field in text, field
    assert "token: String" not in text.split("type PaymentMethod @key")[1].split("}")[0]


def test_member_composes_alone_and_with_loyalty():
    result = compose([SubgraphInput("member", "http://member/graphql", sdl())])
    assert result.errors == [] and result.ok, [e.message for e in result.errors]
    both = compose(
        [
            SubgraphInput("member", "http://member/graphql", sdl()),
            SubgraphInput("loyalty", "http://loyalty/graphql", loyalty_sdl()),
        ]
    )
    assert both.errors == [] and both.ok, [e.message for e in both.errors]
    assert 'join__type(graph: MEMBER, key: "id")' in both.supergraph_sdl
