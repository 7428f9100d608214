"""NO_QUERIES (rules/roots.py); root fields nobody resolves are in test_external.py."""

from __future__ import annotations

from tests.gateway.composition.rules.support import assert_composes, compose_sdls, fed2, the_error


def test_no_subgraph_has_a_query() -> None:
    orders = fed2("type Mutation { placeOrder(sku: ID!): Boolean }")
    stock = fed2('type Item @key(fields: "sku") { sku: ID! count: Int }')
    result = compose_sdls(orders=orders, stock=stock)
    error = the_error(result, "NO_QUERIES", subgraphs=("orders", "stock"), type_name="Query")
    assert "Query" in error.hint  # type: ignore[operator]


def test_federation_fields_alone_are_no_query() -> None:
    stock = fed2(
        """
scalar _Any
union _Entity = Item
type _Service { sdl: String }
type Query { _entities(representations: [_Any!]!): [_Entity]! _service: _Service! }
type Item @key(fields: "sku") { sku: ID! count: Int }
"""
    )
    result = compose_sdls(stock=stock)
    the_error(result, "NO_QUERIES", subgraphs=("stock",), type_name="Query")


def test_one_query_field_in_one_subgraph_is_enough() -> None:
    orders = fed2("type Mutation { placeOrder(sku: ID!): Boolean }")
    stock = fed2('type Query { item(sku: ID!): Item }\ntype Item @key(fields: "sku") { sku: ID! }')
    assert_composes(compose_sdls(orders=orders, stock=stock))


def test_renamed_query_root_counts() -> None:
    stock = fed2(
        """
schema { query: RootQuery }
type RootQuery { item(sku: ID!): Item }
type Item @key(fields: "sku") { sku: ID! }
"""
    )
    assert_composes(compose_sdls(stock=stock))
