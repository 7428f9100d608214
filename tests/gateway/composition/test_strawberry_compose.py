"""Strawberry subgraphs, at the federation version our subgraphs pin, compose cleanly and the
gateway serves cross-subgraph queries over the supergraph composed from them."""

from __future__ import annotations

from typing import Any

from gateway.composition import SubgraphInput, compose
from gateway.service import Gateway, GraphQLRequest
from gateway.supergraph import load_supergraph
from gateway.transport.asgi import AsgiTransport
from tests.gateway.composition import strawberry_shop


def _composed() -> str:
    schemas = strawberry_shop.schemas()
    inputs = [
        SubgraphInput(name, f"http://{name}:4000/graphql", strawberry_shop.service_sdl(schema))
        for name, schema in schemas.items()
    ]
    result = compose(inputs)
    assert result.errors == []
    assert result.hints == []
    assert result.supergraph_sdl is not None
    return result.supergraph_sdl


async def _execute(query: str) -> dict[str, Any]:
    transports = {name: AsgiTransport(name, app) for name, app in strawberry_shop.apps().items()}
    gateway = Gateway(_composed(), transports)
    try:
        response = await gateway.execute(GraphQLRequest(query))
    finally:
        await gateway.aclose()
    return response.body


def test_subgraphs_use_the_pinned_federation_version() -> None:
    for schema in strawberry_shop.schemas().values():
        sdl = strawberry_shop.service_sdl(schema)
        assert '@link(url: "https://specs.apollo.dev/federation/v2.9"' in sdl


def test_strawberry_subgraphs_compose_without_errors() -> None:
    supergraph = load_supergraph(_composed())
    assert set(supergraph.graphs) == {"products", "reviews"}
    assert supergraph.graphs["reviews"].url == "http://reviews:4000/graphql"
    product = supergraph.types["Product"]
    assert set(product.fields) == {"upc", "name", "price", "weight", "shippingEstimate", "reviews"}


def test_composed_supergraph_has_the_federation_directives_as_join_fields() -> None:
    sdl = _composed()
    assert '@join__type(graph: PRODUCTS, key: "upc")' in sdl
    assert '@join__type(graph: REVIEWS, key: "upc")' in sdl
    assert '@join__field(graph: REVIEWS, requires: "price weight")' in sdl
    assert '@join__field(graph: REVIEWS, provides: "name")' in sdl
    assert "@join__field(graph: REVIEWS, external: true)" in sdl


async def test_gateway_answers_a_query_that_crosses_both_subgraphs() -> None:
    body = await _execute(
        "{ topProducts(first: 2) { upc name price shippingEstimate"
        " reviews { body product { name } } } }"
    )
    assert body == {
        "data": {
            "topProducts": [
                {
                    "upc": "1",
                    "name": "Table",
                    "price": 899,
                    "shippingEstimate": 50,  # @requires: price and weight came from products
                    "reviews": [
                        {"body": "Sturdy.", "product": {"name": "table"}},
                        {"body": "Wobbles a bit.", "product": {"name": "table"}},
                    ],
                },
                {
                    "upc": "2",
                    "name": "Couch",
                    "price": 1299,
                    "shippingEstimate": 0,
                    "reviews": [],
                },
            ]
        }
    }


async def test_gateway_uses_provides_and_jumps_back_to_the_owner() -> None:
    body = await _execute("{ latestReviews { body product { upc name price } } }")
    assert body == {
        "data": {
            "latestReviews": [
                # name: the reviews subgraph's copy (@provides); price: from products.
                {"body": "Comfy.", "product": {"upc": "3", "name": "chair", "price": 54}},
                {"body": "Wobbles a bit.", "product": {"upc": "1", "name": "table", "price": 899}},
                {"body": "Sturdy.", "product": {"upc": "1", "name": "table", "price": 899}},
            ]
        }
    }
