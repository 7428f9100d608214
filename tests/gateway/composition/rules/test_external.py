"""@external (rules/external.py): unused, on interfaces, no base, type and argument
mismatches."""

from __future__ import annotations

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
type Product @key(fields: "id") {
  id: ID!
  name: String
  price: Int!
  weight(unit: String = "kg"): Int
}
"""
)


def test_external_not_used_by_any_directive() -> None:
    shipping = fed2(
        """
type Product @key(fields: "id") {
  id: ID!
  price: Int! @external
  weight(unit: String = "kg"): Int @external
  cost: Int @requires(fields: "weight")
}
"""
    )
    result = compose_sdls(products=PRODUCTS, shipping=shipping)
    error = the_error(
        result,
        "EXTERNAL_UNUSED",
        subgraphs=("shipping",),
        type_name="Product",
        field_name="price",
    )
    assert "@external" in error.message
    assert codes(result) == ["EXTERNAL_UNUSED"]


def test_external_used_by_key_requires_provides_or_interface_is_fine() -> None:
    products = fed2(
        """
type Query { product(id: ID!): Product }
type Product @key(fields: "id") {
  id: ID!
  name: String @shareable
  price: Int!
  sku: String!
  weight(unit: String = "kg"): Int
}
"""
    )
    shipping = fed2(
        """
interface Priced { price: Int! }
type Query { cheapest: Product @provides(fields: "name") priced: Priced }
type Product implements Priced @key(fields: "sku") {
  sku: String! @external
  name: String @external
  price: Int! @external
  weight(unit: String = "kg"): Int @external
  cost: Int @requires(fields: "weight")
}
"""
    )
    result = compose_sdls(products=products, shipping=shipping)
    assert "EXTERNAL_UNUSED" not in codes(result), [str(e) for e in result.errors]


def test_external_used_only_through_an_interface_in_a_field_set() -> None:
    products = fed2(
        """
type Query { product: Product }
type Product @key(fields: "id") { id: ID! weight: Int }
"""
    )
    shipping = fed2(
        """
interface Heavy { weight: Int }
type Query { heavy: [Heavy] @provides(fields: "weight") }
type Product implements Heavy @key(fields: "id") { id: ID! weight: Int @external }
"""
    )
    result = compose_sdls(products=products, shipping=shipping)
    assert "EXTERNAL_UNUSED" not in codes(result), [str(e) for e in result.errors]


def test_unused_external_is_no_error_in_federation_1() -> None:
    products = """
type Query { product(id: ID!): Product }
type Product @key(fields: "id") { id: ID! name: String price: Int! }
"""
    shipping = """
extend type Product @key(fields: "id") {
  id: ID! @external
  price: Int! @external
  cost: Int
}
"""
    assert_composes(compose_sdls(products=products, shipping=shipping))


def test_external_on_an_interface_field() -> None:
    catalog = fed2(
        """
type Query { node: Node }
interface Node { id: ID! @external }
type Book implements Node { id: ID! }
"""
    )
    result = compose_sdls(catalog=catalog)
    the_error(
        result,
        "EXTERNAL_ON_INTERFACE",
        subgraphs=("catalog",),
        type_name="Node",
        field_name="id",
    )


def test_field_external_everywhere_has_no_base() -> None:
    shipping = fed2(
        """
type Product @key(fields: "id") {
  id: ID!
  volume: Int @external
  cost: Int @requires(fields: "volume")
}
"""
    )
    result = compose_sdls(products=PRODUCTS, shipping=shipping)
    the_error(
        result,
        "EXTERNAL_MISSING_ON_BASE",
        subgraphs=("shipping",),
        type_name="Product",
        field_name="volume",
    )


def test_root_field_no_subgraph_resolves() -> None:
    stats = fed2('type Query { total: Int @external half: Int @requires(fields: "total") }')
    result = compose_sdls(products=PRODUCTS, stats=stats)
    error = the_error(
        result,
        "EXTERNAL_MISSING_ON_BASE",
        subgraphs=("stats",),
        type_name="Query",
        field_name="total",
    )
    assert "root field" in error.message


def test_unused_external_root_field() -> None:
    stats = fed2("type Query { total: Int @external half: Int }")
    result = compose_sdls(products=PRODUCTS, stats=stats)
    the_error(
        result,
        "EXTERNAL_UNUSED",
        subgraphs=("stats",),
        type_name="Query",
        field_name="total",
    )


def test_external_type_differs_from_the_resolving_subgraphs() -> None:
    shipping = fed2(
        """
type Product @key(fields: "id") {
  id: ID!
  price: String @external
  cost: Int @requires(fields: "price")
}
"""
    )
    result = compose_sdls(products=PRODUCTS, shipping=shipping)
    error = the_error(
        result,
        "EXTERNAL_TYPE_MISMATCH",
        subgraphs=("products", "shipping"),
        type_name="Product",
        field_name="price",
    )
    assert '"String" in subgraph "shipping"' in error.message
    assert '"Int!"' in error.hint  # type: ignore[operator]
    assert codes(result) == ["EXTERNAL_TYPE_MISMATCH"]  # no FIELD_TYPE_MISMATCH as well


def test_external_nullability_must_match_when_resolving_subgraphs_agree() -> None:
    shipping = fed2(
        """
type Product @key(fields: "id") {
  id: ID!
  price: Int @external
  cost: Int @requires(fields: "price")
}
"""
    )
    result = compose_sdls(products=PRODUCTS, shipping=shipping)
    the_error(
        result,
        "EXTERNAL_TYPE_MISMATCH",
        subgraphs=("products", "shipping"),
        type_name="Product",
        field_name="price",
    )


def test_external_may_be_stricter_when_resolving_subgraphs_differ() -> None:
    # The merged type is the nullable "Int"; an @external "Int!" is a subtype of it.
    products = PRODUCTS.replace("price: Int!", "price: Int! @shareable")
    offers = fed2(
        "type Query { offer: Product }\n"
        'type Product @key(fields: "id") { id: ID! price: Int @shareable }'
    )
    shipping = fed2(
        """
type Product @key(fields: "id") {
  id: ID!
  price: Int! @external
  cost: Int @requires(fields: "price")
}
"""
    )
    assert_composes(compose_sdls(products=products, offers=offers, shipping=shipping))


def test_external_missing_an_argument() -> None:
    shipping = fed2(
        """
type Product @key(fields: "id") {
  id: ID!
  weight: Int @external
  cost: Int @requires(fields: "weight")
}
"""
    )
    result = compose_sdls(products=PRODUCTS, shipping=shipping)
    error = the_error(
        result,
        "EXTERNAL_ARGUMENT_MISSING",
        subgraphs=("products", "shipping"),
        type_name="Product",
        field_name="weight",
    )
    assert '"unit"' in error.message


def test_external_argument_type_and_default_mismatch() -> None:
    shipping = fed2(
        """
type Product @key(fields: "id") {
  id: ID!
  weight(unit: Int = 1): Int @external
  cost: Int @requires(fields: "weight")
}
"""
    )
    result = compose_sdls(products=PRODUCTS, shipping=shipping)
    assert codes(result) == [
        "EXTERNAL_ARGUMENT_DEFAULT_MISMATCH",
        "EXTERNAL_ARGUMENT_TYPE_MISMATCH",
    ]
    for code in codes(result):
        the_error(
            result,
            code,
            subgraphs=("products", "shipping"),
            type_name="Product",
            field_name="weight",
        )
