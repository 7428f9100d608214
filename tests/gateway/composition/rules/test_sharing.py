"""INVALID_FIELD_SHARING (rules/sharing.py)."""

from __future__ import annotations

import pytest

from tests.gateway.composition.rules.support import (
    assert_composes,
    codes,
    compose_sdls,
    fed2,
    the_error,
)

PRODUCTS = fed2(
    """
type Query { product(id: ID!): Product }
type Product @key(fields: "id") { id: ID! name: String }
"""
)


def test_non_shareable_field_defined_twice() -> None:
    search = fed2(
        """
type Query { find(term: String): [Product] }
type Product @key(fields: "id") { id: ID! name: String }
"""
    )
    result = compose_sdls(products=PRODUCTS, search=search)
    error = the_error(
        result,
        "INVALID_FIELD_SHARING",
        subgraphs=("products", "search"),
        type_name="Product",
        field_name="name",
    )
    assert "all of them" in error.message
    assert "@shareable" in error.hint  # type: ignore[operator]
    assert codes(result) == ["INVALID_FIELD_SHARING"]  # "id", a key field, is shareable


def test_only_the_subgraphs_lacking_shareable_are_named() -> None:
    search = fed2(
        """
type Query { find(term: String): [Product] }
type Product @key(fields: "id") { id: ID! name: String @shareable }
"""
    )
    result = compose_sdls(products=PRODUCTS, search=search)
    error = the_error(
        result,
        "INVALID_FIELD_SHARING",
        subgraphs=("products", "search"),
        type_name="Product",
        field_name="name",
    )
    assert 'non-shareable in subgraph(s) "products"' in error.message


SHARED_PRODUCTS = PRODUCTS.replace("name: String", "name: String @shareable")


@pytest.mark.parametrize(
    ("products", "search_product"),
    [
        (SHARED_PRODUCTS, 'type Product @key(fields: "id") @shareable { id: ID! name: String }'),
        (
            PRODUCTS,
            'type Product @key(fields: "id") '
            '{ id: ID! name: String @external more: Int @requires(fields: "name") }',
        ),
        (
            PRODUCTS,
            'type Product @key(fields: "id") { id: ID! name: String @override(from: "products") }',
        ),
    ],
    ids=["shareable-type", "external", "override"],
)
def test_shareable_external_and_overriding_copies_are_fine(
    products: str, search_product: str
) -> None:
    search = fed2("type Query { find(term: String): [Product] }\n" + search_product)
    assert_composes(compose_sdls(products=products, search=search))


def test_nested_key_fields_are_shareable() -> None:
    products = fed2(
        """
type Query { product: Product }
type Product @key(fields: "id brand { code }") { id: ID! brand: Brand! name: String }
type Brand { code: ID! }
"""
    )
    offers = fed2(
        """
type Product @key(fields: "id brand { code }") { id: ID! brand: Brand! @shareable price: Int }
type Brand { code: ID! }
"""
    )
    assert_composes(compose_sdls(products=products, offers=offers))
    # Where the nested field is in no key, it must be @shareable.
    offers = offers.replace('@key(fields: "id brand { code }")', '@key(fields: "id")', 1)
    result = compose_sdls(products=products, offers=offers)
    the_error(
        result,
        "INVALID_FIELD_SHARING",
        subgraphs=("offers", "products"),
        type_name="Brand",
        field_name="code",
    )


def test_external_field_a_subgraph_provides_must_be_shareable_where_resolved() -> None:
    deals = fed2(
        """
type Query { deal: Product @provides(fields: "name") }
type Product @key(fields: "id") { id: ID! name: String @external }
"""
    )
    result = compose_sdls(products=PRODUCTS, deals=deals)
    error = the_error(
        result,
        "INVALID_FIELD_SHARING",
        subgraphs=("deals", "products"),
        type_name="Product",
        field_name="name",
    )
    assert 'non-shareable in subgraph(s) "products"' in error.message
    shared = PRODUCTS.replace("name: String", "name: String @shareable")
    assert_composes(compose_sdls(products=shared, deals=deals))


def test_federation_1_fields_are_all_shareable() -> None:
    products = """
type Query { product(id: ID!): Product }
type Product @key(fields: "id") { id: ID! name: String }
"""
    search = """
type Query { find(term: String): [Product] }
type Product @key(fields: "id") { id: ID! name: String }
"""
    assert_composes(compose_sdls(products=products, search=search))
    # A Federation 2 subgraph sharing the field must still say so.
    result = compose_sdls(products=products, search=fed2(search))
    the_error(
        result,
        "INVALID_FIELD_SHARING",
        subgraphs=("products", "search"),
        type_name="Product",
        field_name="name",
    )
