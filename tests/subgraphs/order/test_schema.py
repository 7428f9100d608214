from __future__ import annotations

from pathlib import Path

from gateway.composition import SubgraphInput, compose
from subgraphs.order.print_schema import SCHEMA_FILE, main
from subgraphs.order.schema import sdl

ROOT = Path(__file__).resolve().parents[3]


def test_checked_in_sdl_is_current():
    assert SCHEMA_FILE == ROOT / "schema" / "order.graphql"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == sdl(), (
        "schema/order.graphql is stale: run python -m subgraphs.order.print_schema"
    )


def test_print_schema_writes_the_sdl(tmp_path):
    target = tmp_path / "out" / "order.graphql"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == sdl()


def test_the_sdl_has_the_contracts_fields():
    text = sdl()
    assert 'url: "https://specs.apollo.dev/federation/v2.9"' in text
    for field in (
        'type Order @key(fields: "id")',
        'type Member @key(fields: "id")',
        'type GroupKpis @key(fields: "since until")',
        'type Product @key(fields: "id", resolvable: false)',
        "type AttributionSource @shareable",
        "cart: Cart!",
        "orders(first: Int = 20, brand: String = null): [Order!]!",
        "groupKpis(since: DateTime!, until: DateTime!): GroupKpis!",
        "addToCart(skuId: ID!, quantity: Int! = 1, source: AttributionInput = null): Cart!",
        "placeOrder(input: PlaceOrderInput!): Order!",
        "crossTrafficConversionRate: Float!",
        "crossToSingleBrandRevenueRatio: Float",
        "crossBrandAttributedRevenueFen: Int!",
    ):
        assert field in text, field


def test_order_composes_with_every_checked_in_subgraph():
    names = ["member", "loyalty", "catalogue", "content"]
    inputs = [SubgraphInput("order", "http://order/graphql", sdl())] + [
        SubgraphInput(
            name, f"http://{name}/graphql", (ROOT / "schema" / f"{name}.graphql").read_text()
        )
        for name in names
        if (ROOT / "schema" / f"{name}.graphql").exists()
    ]
    result = compose(inputs)
    assert result.errors == [] and result.ok, [e.message for e in result.errors]
    assert 'join__type(graph: ORDER, key: "since until")' in result.supergraph_sdl
