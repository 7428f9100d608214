"""EXTENSION_WITH_NO_BASE (rules/extensions.py)."""

from __future__ import annotations

from tests.gateway.composition.rules.support import assert_composes, compose_sdls, the_error

SHOP = "type Query { ping: Int }"


def test_fed1_extension_of_a_type_nobody_defines() -> None:
    reviews = """
extend type Product @key(fields: "id") { id: ID! @external stars: Int }
type Query { top: Product }
"""
    result = compose_sdls(shop=SHOP, reviews=reviews)
    error = the_error(result, "EXTENSION_WITH_NO_BASE", subgraphs=("reviews",), type_name="Product")
    assert "extend" in error.message


def test_fed1_extends_directive_of_a_type_nobody_defines() -> None:
    reviews = """
type Product @key(fields: "id") @extends { id: ID! @external stars: Int }
type Query { top: Product }
"""
    result = compose_sdls(shop=SHOP, reviews=reviews)
    the_error(result, "EXTENSION_WITH_NO_BASE", subgraphs=("reviews",), type_name="Product")


def test_fed1_extension_with_a_base_elsewhere_composes() -> None:
    products = """
type Query { product: Product }
type Product @key(fields: "id") { id: ID! name: String }
"""
    reviews = 'extend type Product @key(fields: "id") { id: ID! @external stars: Int }'
    assert_composes(compose_sdls(products=products, reviews=reviews))


def test_root_type_extensions_need_no_base() -> None:
    reviews = """
extend type Query { reviews: [Review] }
type Review { body: String }
"""
    assert_composes(compose_sdls(reviews=reviews))
