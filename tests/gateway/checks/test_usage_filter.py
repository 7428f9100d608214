"""Which recorded uses keep a breaking change breaking (gateway/checks/usage_filter.py)."""

from __future__ import annotations

from graphql import build_schema

from gateway.checks.usage_filter import is_unused, usage_coordinates

SCHEMA = build_schema(
    """
    type Query { product(id: ID!, locale: Locale): Product, search(filter: Filter): [Product] }
    type Product { id: ID!, name: String, tier: Tier }
    enum Tier { GOLD SILVER }
    enum Locale { ZH EN }
    input Filter { brand: String, locale: Locale }
    """
)


def test_a_field_is_used_by_its_own_count() -> None:
    assert usage_coordinates("Product.name", SCHEMA) == ["Product.name"]
    assert is_unused("Product.name", SCHEMA, {"Product.id": 5})
    assert not is_unused("Product.name", SCHEMA, {"Product.name": 1})


def test_an_argument_counts_its_parent_field() -> None:
    assert usage_coordinates("Query.product(id:)", SCHEMA) == [
        "Query.product(id:)",
        "Query.product",
    ]
    assert not is_unused("Query.product(id:)", SCHEMA, {"Query.product": 2})


def test_a_removed_type_counts_every_field_it_had() -> None:
    assert not is_unused("Product", SCHEMA, {"Product.id": 1})
    assert is_unused("Product", SCHEMA, {"Query.search": 1})


def test_enum_values_and_input_fields_count_the_fields_that_carry_them() -> None:
    coordinates = usage_coordinates("Tier.GOLD", SCHEMA)
    assert coordinates[:2] == ["Tier.GOLD", "Tier"] and "Product.tier" in coordinates
    assert not is_unused("Tier.GOLD", SCHEMA, {"Product.tier": 1})
    assert not is_unused("Locale.ZH", SCHEMA, {"Query.search(filter:)": 1})  # inside Filter
    assert not is_unused("Filter.brand", SCHEMA, {"Query.search": 1})
    assert is_unused("Filter.brand", SCHEMA, {"Query.product": 1})


def test_changes_outside_the_types_are_never_unused() -> None:
    assert not is_unused("schema", SCHEMA, {})
    assert not is_unused("@auth", SCHEMA, {})
    assert not is_unused("Gone.field", SCHEMA, {})
