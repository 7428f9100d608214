"""Which schema coordinates an operation uses: fragments, interfaces, unions, aliases,
arguments, literals, variables, @skip."""

from __future__ import annotations

from graphql import build_schema, parse, validate

from gateway.planning.operation import find_operation
from gateway.usage.extract import operation_usage, used_coordinates

SCHEMA = build_schema(
    """
    interface Node { id: ID! }
    interface Named { name(locale: String): String }
    type Product implements Node & Named {
      id: ID!
      name(locale: String): String
      price(currency: Currency = CNY): Int
      reviews(first: Int, filter: ReviewFilter): [Review!]!
    }
    type Store implements Node & Named { id: ID!  name(locale: String): String  city: String }
    type Review { stars: Int  body: String }
    type Article { title: String }
    union SearchResult = Product | Article
    enum Currency { CNY USD }
    input ReviewFilter { minStars: Int  tags: [String!]  since: DateRange }
    input DateRange { from: String  to: String }
    type Query {
      node(id: ID!): Node
      named: [Named!]!
      search(text: String!): [SearchResult!]!
      product(id: ID!): Product
    }
    type Mutation { rename(id: ID!, name: String!): Product }
    """
)


def coordinates(query: str, name: str | None = None) -> set[str]:
    document = parse(query)
    assert not validate(SCHEMA, document)
    definition = find_operation(document, name)
    assert definition is not None
    return used_coordinates(SCHEMA, document, definition)


def test_fields_and_aliases_count_under_their_own_name() -> None:
    assert coordinates("{ p: product(id: 1) { n: name  __typename } }") == {
        "Query.product",
        "Query.product(id:)",
        "Product.name",
    }


def test_named_and_inline_fragments_count_for_the_type_condition() -> None:
    query = """
    query Search { search(text: "x") { ...P  ... on Article { title } } }
    fragment P on Product { price }
    """
    assert coordinates(query) == {
        "Query.search",
        "Query.search(text:)",
        "Product.price",
        "Article.title",
    }


def test_interface_selections_count_for_the_interface_and_its_implementations() -> None:
    query = '{ named { name(locale: "zh") ... on Store { city } } }'
    assert coordinates(query) == {
        "Query.named",
        "Named.name",
        "Named.name(locale:)",
        "Product.name",
        "Product.name(locale:)",
        "Store.name",
        "Store.name(locale:)",
        "Store.city",
    }


def test_a_fragment_on_an_interface_inside_a_union() -> None:
    query = '{ search(text: "x") { ... on Node { id } } }'
    assert coordinates(query) >= {"Node.id", "Product.id", "Store.id"}


def test_arguments_given_by_variable_or_literal_and_input_literals() -> None:
    query = """
    query Reviews($first: Int, $tags: [String!]) {
      product(id: 1) {
        price(currency: USD)
        reviews(first: $first, filter: {minStars: 4, tags: $tags, since: {from: "2026"}}) {
          stars
        }
      }
    }
    """
    found = coordinates(query)
    assert found >= {
        "Product.price(currency:)",
        "Currency.USD",
        "Product.reviews(first:)",
        "Product.reviews(filter:)",
        "ReviewFilter.minStars",
        "ReviewFilter.tags",
        "ReviewFilter.since",
        "DateRange.from",
    }
    assert "DateRange.to" not in found and "Currency.CNY" not in found  # defaults: not given
    assert "Review.body" not in found


def test_skipped_and_included_fields_still_count() -> None:
    # Removing them would fail the operation's validation, whatever its variables.
    query = """
    query ($skip: Boolean!) {
      product(id: 1) { name @skip(if: $skip)  price @include(if: false) }
    }
    """
    assert {"Product.name", "Product.price"} <= coordinates(query)


def test_only_the_chosen_operation_and_the_fragments_it_reaches() -> None:
    query = """
    query A { product(id: 1) { ...F } }
    mutation B { rename(id: 1, name: "n") { id } }
    fragment F on Product { name ...G }
    fragment G on Product { price }
    query C { product(id: 2) { ...Other } }
    fragment Other on Product { reviews { body } }
    """
    assert coordinates(query, "A") == {
        "Query.product", "Query.product(id:)", "Product.name", "Product.price",
    }  # fmt: skip
    assert coordinates(query, "B") == {
        "Mutation.rename", "Mutation.rename(id:)", "Mutation.rename(name:)", "Product.id",
    }  # fmt: skip


def test_introspection_fields_are_not_schema_coordinates() -> None:
    assert coordinates("{ __schema { types { name } } __typename }") == set()


def test_operation_usage_is_sorted_and_named() -> None:
    document = parse("query Q { product(id: 1) { price name } }")
    definition = find_operation(document, None)
    assert definition is not None
    usage = operation_usage(SCHEMA, document, definition)
    assert usage.name == "Q"
    assert usage.coordinates == (
        "Product.name", "Product.price", "Query.product", "Query.product(id:)",
    )  # fmt: skip
