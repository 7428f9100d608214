"""@key, @requires and @provides field sets (rules/fieldsets.py)."""

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
type Product @key(fields: "id") { id: ID! name: String price: Int! weight: Int }
"""
)


def test_valid_keys_requires_and_provides_compose() -> None:
    shipping = fed2(
        """
type Query { cheapest: Product @provides(fields: "name") }
type Product @key(fields: "id") {
  id: ID!
  name: String @external
  weight: Int @external
  price: Int! @external
  cost: Int @requires(fields: "weight price")
}
"""
    )
    products = PRODUCTS.replace("name: String", "name: String @shareable")
    assert_composes(compose_sdls(products=products, shipping=shipping))


@pytest.mark.parametrize(
    ("fields", "field_name", "said"),
    [
        ("sku", "sku", 'selects field "Product.sku"'),
        ("id {", None, "does not parse"),
        ("ref: id", "id", 'alias "ref"'),
        ("id dims", "dims", "without choosing its subfields"),
        ("id { value }", "id", 'subfields of "Product.id"'),
        ("...Frag", None, 'named fragment "Frag"'),
    ],
)
def test_key_invalid_fields(fields: str, field_name: str | None, said: str) -> None:
    reviews = fed2(
        f"""
type Dims {{ w: Int }}
type Product @key(fields: "{fields}") {{ id: ID! dims: Dims stars: Int }}
"""
    )
    result = compose_sdls(products=PRODUCTS, reviews=reviews)
    error = the_error(
        result,
        "KEY_INVALID_FIELDS",
        subgraphs=("reviews",),
        type_name="Product",
        field_name=field_name,
    )
    assert said in error.message
    assert fields in error.message
    # The broken key does not also show up as a sharing error on "Product.id".
    assert codes(result) == ["KEY_INVALID_FIELDS"]


def test_key_field_with_arguments() -> None:
    reviews = fed2('type Product @key(fields: "code") { code(region: String): ID! stars: Int }')
    result = compose_sdls(products=PRODUCTS, reviews=reviews)
    error = the_error(
        result,
        "KEY_FIELDS_HAS_ARGS",
        subgraphs=("reviews",),
        type_name="Product",
        field_name="code",
    )
    assert "arguments" in error.message


@pytest.mark.parametrize("kind", ["interface", "union"])
def test_key_selecting_an_interface_or_union_field(kind: str) -> None:
    owner = (
        "interface Owner { id: ID! }\ntype Person implements Owner { id: ID! }"
        if kind == "interface"
        else "type Person { id: ID! }\nunion Owner = Person"
    )
    selection = "owner { id }" if kind == "interface" else "owner { ... on Person { id } }"
    reviews = fed2(
        f"""
{owner}
type Query {{ top: Product }}
type Product @key(fields: "id {selection}") {{ id: ID! owner: Owner stars: Int }}
"""
    )
    result = compose_sdls(products=PRODUCTS, reviews=reviews)
    error = the_error(
        result,
        "KEY_FIELDS_SELECT_INVALID_TYPE",
        subgraphs=("reviews",),
        type_name="Product",
        field_name="owner",
    )
    assert f"an {kind}" in error.message or f"a {kind}" in error.message


def test_key_list_fields_are_allowed() -> None:
    catalog = fed2(
        """
type Query { items: [Item] }
type Item @key(fields: "tags") { tags: [String!]! name: String }
"""
    )
    assert_composes(compose_sdls(catalog=catalog))


def test_key_with_directive_in_field_set() -> None:
    reviews = fed2('type Product @key(fields: "id @skip(if: true)") { id: ID! stars: Int }')
    result = compose_sdls(products=PRODUCTS, reviews=reviews)
    error = the_error(
        result, "KEY_DIRECTIVE_IN_FIELDS_ARG", subgraphs=("reviews",), type_name="Product"
    )
    assert "@skip" in error.message


def test_key_on_interface_needs_federation_2_3() -> None:
    catalog = fed2(
        """
type Query { node: Node }
interface Node @key(fields: "id") { id: ID! }
type Book implements Node @key(fields: "id") { id: ID! }
""",
        version="2.2",
    )
    result = compose_sdls(catalog=catalog)
    error = the_error(
        result, "KEY_UNSUPPORTED_ON_INTERFACE", subgraphs=("catalog",), type_name="Node"
    )
    assert "2.3" in error.hint  # type: ignore[operator]


def test_requires_unknown_field() -> None:
    shipping = fed2(
        'type Product @key(fields: "id") { id: ID! cost: Int @requires(fields: "volume") }'
    )
    result = compose_sdls(products=PRODUCTS, shipping=shipping)
    error = the_error(
        result,
        "REQUIRES_INVALID_FIELDS",
        subgraphs=("shipping",),
        type_name="Product",
        field_name="cost",
    )
    assert "Product.volume" in error.message
    assert "@external" in error.hint  # type: ignore[operator]


def test_requires_unknown_argument() -> None:
    products = fed2(
        """
type Query { product: Product }
type Product @key(fields: "id") { id: ID! price(currency: String): Int }
"""
    )
    good = fed2(
        'type Product @key(fields: "id") { id: ID! price(currency: String): Int @external '
        'cost: Int @requires(fields: "price(currency: \\"EUR\\")") }'
    )
    assert_composes(compose_sdls(products=products, shipping=good))
    bad = good.replace("price(currency:", "price(curency:").replace(
        "price(curency: String)", "price(currency: String)"
    )
    result = compose_sdls(products=products, shipping=bad)
    error = the_error(
        result,
        "REQUIRES_INVALID_FIELDS",
        subgraphs=("shipping",),
        type_name="Product",
        field_name="cost",
    )
    assert '"curency"' in error.message


def test_requires_of_a_field_the_subgraph_resolves_itself() -> None:
    shipping = fed2(
        """
type Product @key(fields: "id") {
  id: ID!
  weight: Int @shareable
  cost: Int @requires(fields: "weight")
}
"""
    )
    products = PRODUCTS.replace("weight: Int", "weight: Int @shareable")
    result = compose_sdls(products=products, shipping=shipping)
    error = the_error(
        result,
        "REQUIRES_FIELDS_MISSING_EXTERNAL",
        subgraphs=("shipping",),
        type_name="Product",
        field_name="cost",
    )
    assert "Product.weight" in error.message


def test_requires_typename_is_not_external() -> None:
    shipping = fed2(
        'type Product @key(fields: "id") { id: ID! weight: Int @external '
        'cost: Int @requires(fields: "__typename weight") }'
    )
    result = compose_sdls(products=PRODUCTS, shipping=shipping)
    error = the_error(
        result,
        "REQUIRES_FIELDS_MISSING_EXTERNAL",
        subgraphs=("shipping",),
        type_name="Product",
        field_name="cost",
    )
    assert "__typename" in error.message


def test_requires_under_an_external_object_field_needs_no_more_externals() -> None:
    products = fed2(
        """
type Query { product: Product }
type Product @key(fields: "id") { id: ID! size: Size }
type Size @shareable { w: Int h: Int }
"""
    )
    shipping = fed2(
        """
type Product @key(fields: "id") {
  id: ID!
  size: Size @external
  cost: Int @requires(fields: "size { w }")
}
type Size @shareable { w: Int h: Int }
"""
    )
    assert_composes(compose_sdls(products=products, shipping=shipping))


def test_requires_with_an_alias() -> None:
    shipping = fed2(
        'type Product @key(fields: "id") { id: ID! weight: Int @external '
        'cost: Int @requires(fields: "w: weight") }'
    )
    result = compose_sdls(products=PRODUCTS, shipping=shipping)
    error = the_error(
        result,
        "REQUIRES_INVALID_FIELDS",
        subgraphs=("shipping",),
        type_name="Product",
        field_name="cost",
    )
    assert 'alias "w"' in error.message


def test_requires_on_an_interface_field() -> None:
    catalog = fed2(
        """
type Query { node: Node }
interface Node { id: ID! w: Int x: Int @requires(fields: "w") }
type Book implements Node { id: ID! w: Int x: Int }
"""
    )
    result = compose_sdls(catalog=catalog)
    the_error(
        result,
        "REQUIRES_UNSUPPORTED_ON_INTERFACE",
        subgraphs=("catalog",),
        type_name="Node",
        field_name="x",
    )


def test_provides_unknown_field() -> None:
    deals = fed2(
        """
type Query { deal: Product @provides(fields: "colour") }
type Product @key(fields: "id") { id: ID! }
"""
    )
    result = compose_sdls(products=PRODUCTS, deals=deals)
    error = the_error(
        result,
        "PROVIDES_INVALID_FIELDS",
        subgraphs=("deals",),
        type_name="Query",
        field_name="deal",
    )
    assert "Product.colour" in error.message


def test_provides_of_a_field_the_subgraph_resolves_itself() -> None:
    deals = fed2(
        """
type Query { deal: Product @provides(fields: "name") }
type Product @key(fields: "id") { id: ID! name: String @shareable }
"""
    )
    products = PRODUCTS.replace("name: String", "name: String @shareable")
    result = compose_sdls(products=products, deals=deals)
    error = the_error(
        result,
        "PROVIDES_FIELDS_MISSING_EXTERNAL",
        subgraphs=("deals",),
        type_name="Query",
        field_name="deal",
    )
    assert "Product.name" in error.message


def test_provides_field_with_arguments() -> None:
    products = fed2(
        """
type Query { product: Product }
type Product @key(fields: "id") { id: ID! label(lang: String): String @shareable }
"""
    )
    deals = fed2(
        """
type Query { deal: Product @provides(fields: "label") }
type Product @key(fields: "id") { id: ID! label(lang: String): String @external }
"""
    )
    result = compose_sdls(products=products, deals=deals)
    the_error(
        result,
        "PROVIDES_FIELDS_HAS_ARGS",
        subgraphs=("deals",),
        type_name="Query",
        field_name="deal",
    )


@pytest.mark.parametrize("returns", ["Int", "[String!]", "Colour"])
def test_provides_on_a_field_of_non_composite_type(returns: str) -> None:
    deals = fed2(
        f"""
enum Colour {{ RED }}
type Query {{ deal: {returns} @provides(fields: "name") }}
"""
    )
    result = compose_sdls(products=PRODUCTS, deals=deals)
    error = the_error(
        result,
        "PROVIDES_ON_NON_OBJECT_FIELD",
        subgraphs=("deals",),
        type_name="Query",
        field_name="deal",
    )
    assert returns.strip("[]!") in error.message


def test_provides_on_an_external_field() -> None:
    deals = fed2(
        """
type Query { deal: Product }
type Product @key(fields: "id") {
  id: ID!
  name: String @external
  related: Product @external @provides(fields: "name")
}
"""
    )
    products = PRODUCTS.replace("weight: Int", "weight: Int related: Product")
    result = compose_sdls(products=products, deals=deals)
    the_error(
        result,
        "EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE",
        subgraphs=("deals",),
        type_name="Product",
        field_name="related",
    )


def test_provides_through_a_union_fragment_composes() -> None:
    products = PRODUCTS.replace("name: String", "name: String @shareable")
    deals = fed2(
        """
union Offer = Product
type Query { offer: Offer @provides(fields: "... on Product { name }") }
type Product @key(fields: "id") { id: ID! name: String @external }
"""
    )
    assert_composes(compose_sdls(products=products, deals=deals))


# --- Federation 1 subgraphs: checked as Apollo checks them after its upgrade ------------

FED1_PRODUCTS = """
type Query { product(id: ID!): Product }
type Product @key(fields: "id") { id: ID! name: String price: Int! weight: Int }
"""


def test_fed1_unknown_key_field_is_an_error() -> None:
    reviews = 'extend type Product @key(fields: "sku") { id: ID! @external stars: Int }'
    result = compose_sdls(products=FED1_PRODUCTS, reviews=reviews)
    the_error(
        result,
        "KEY_INVALID_FIELDS",
        subgraphs=("reviews",),
        type_name="Product",
        field_name="sku",
    )


def test_fed1_unknown_requires_field_is_an_error() -> None:
    shipping = (
        'extend type Product @key(fields: "id") { id: ID! @external '
        'cost: Int @requires(fields: "volume") }'
    )
    result = compose_sdls(products=FED1_PRODUCTS, shipping=shipping)
    the_error(
        result,
        "REQUIRES_INVALID_FIELDS",
        subgraphs=("shipping",),
        type_name="Product",
        field_name="cost",
    )


def test_fed1_does_not_need_external_on_provided_or_required_fields() -> None:
    # Apollo's upgrade of Federation 1 subgraphs drops such @requires/@provides silently.
    shipping = """
type Query { cheapest: Product @provides(fields: "id") other: Int @provides(fields: "x") }
extend type Product @key(fields: "id") {
  id: ID! @external
  weight: Int @external
  cost: Int @requires(fields: "weight")
}
"""
    assert_composes(compose_sdls(products=FED1_PRODUCTS, shipping=shipping))
