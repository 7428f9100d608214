"""Entity interfaces and @interfaceObject (rules/interfaces.py)."""

from __future__ import annotations

from tests.gateway.composition.rules.support import (
    assert_composes,
    codes,
    compose_sdls,
    fed2,
    the_error,
)

CATALOG = fed2(
    """
type Query { media(id: ID!): Media }
interface Media @key(fields: "id") { id: ID! title: String! }
type Book implements Media @key(fields: "id") { id: ID! title: String! pages: Int }
type Film implements Media @key(fields: "id") { id: ID! title: String! minutes: Int }
"""
)
RATINGS = fed2(
    """
type Media @key(fields: "id") @interfaceObject { id: ID! stars: Float }
type Query { topRated: [Media] }
"""
)


def test_entity_interface_with_interface_object_composes() -> None:
    assert_composes(compose_sdls(catalog=CATALOG, ratings=RATINGS))


def test_interface_object_without_key() -> None:
    ratings = RATINGS.replace('@key(fields: "id") @interfaceObject', "@interfaceObject")
    result = compose_sdls(catalog=CATALOG, ratings=ratings)
    error = the_error(
        result, "INTERFACE_OBJECT_USAGE_ERROR", subgraphs=("ratings",), type_name="Media"
    )
    assert "@key" in error.hint  # type: ignore[operator]


def test_interface_object_everywhere_and_interface_nowhere() -> None:
    catalog = fed2(
        """
type Query { media: Media }
type Media @key(fields: "id") @interfaceObject { id: ID! title: String! }
"""
    )
    result = compose_sdls(catalog=catalog, ratings=RATINGS)
    the_error(
        result,
        "INTERFACE_OBJECT_USAGE_ERROR",
        subgraphs=("catalog", "ratings"),
        type_name="Media",
    )


def test_interface_object_subgraph_defining_an_implementation() -> None:
    ratings = RATINGS + 'type Book @key(fields: "id") { id: ID! }\n'
    result = compose_sdls(catalog=CATALOG, ratings=ratings)
    error = the_error(
        result, "INTERFACE_OBJECT_USAGE_ERROR", subgraphs=("ratings",), type_name="Media"
    )
    assert '"Book"' in error.message


def test_interface_object_returned_while_the_interface_has_no_key() -> None:
    catalog = CATALOG.replace('interface Media @key(fields: "id")', "interface Media")
    result = compose_sdls(catalog=catalog, ratings=RATINGS)
    error = the_error(
        result,
        "INTERFACE_OBJECT_USAGE_ERROR",
        subgraphs=("catalog", "ratings"),
        type_name="Media",
    )
    assert "Query.topRated" in error.message


def test_interface_object_reached_only_through_implementation_keys_composes() -> None:
    # Without fields returning Media, the @interfaceObject subgraph is only entered
    # through the implementations' keys: Apollo accepts this, so do we.
    catalog = CATALOG.replace('interface Media @key(fields: "id")', "interface Media")
    ratings = fed2('type Media @key(fields: "id") @interfaceObject { id: ID! stars: Float }')
    assert_composes(compose_sdls(catalog=catalog, ratings=ratings))


def test_interface_key_missing_on_an_implementation() -> None:
    catalog = CATALOG.replace(
        'type Film implements Media @key(fields: "id")', "type Film implements Media"
    )
    result = compose_sdls(catalog=catalog, ratings=RATINGS)
    error = the_error(
        result,
        "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
        subgraphs=("catalog",),
        type_name="Media",
    )
    assert '"Film"' in error.message
    assert codes(result) == ["INTERFACE_KEY_NOT_ON_IMPLEMENTATION"]


def test_interface_key_unresolvable_on_an_implementation() -> None:
    catalog = CATALOG.replace(
        'type Film implements Media @key(fields: "id")',
        'type Film implements Media @key(fields: "id", resolvable: false)',
    )
    result = compose_sdls(catalog=catalog, ratings=RATINGS)
    error = the_error(
        result,
        "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
        subgraphs=("catalog",),
        type_name="Media",
    )
    assert "resolvable" in error.message


def test_interface_key_with_different_spelling_matches() -> None:
    catalog = CATALOG.replace(
        'type Film implements Media @key(fields: "id")',
        'type Film implements Media @key(fields: "  id ")',
    )
    assert_composes(compose_sdls(catalog=catalog, ratings=RATINGS))


def test_interface_key_subgraph_missing_an_implementation_type() -> None:
    audio = fed2(
        """
interface Media { id: ID! title: String! }
type Podcast implements Media @key(fields: "id") { id: ID! title: String! }
type Query { podcasts: [Podcast] }
"""
    )
    result = compose_sdls(catalog=CATALOG, audio=audio)
    error = the_error(
        result,
        "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE",
        subgraphs=("catalog",),
        type_name="Media",
    )
    assert '"Podcast"' in error.message


def test_implementation_lacking_an_interface_field_after_merging() -> None:
    shop = fed2(
        """
type Query { item: Item }
interface Item { sku: ID! }
type Shirt implements Item { sku: ID! }
"""
    )
    catalog = fed2(
        """
type Query { items: [Item] }
interface Item { sku: ID! colour: String }
type Mug implements Item { sku: ID! colour: String }
"""
    )
    result = compose_sdls(shop=shop, catalog=catalog)
    error = the_error(
        result,
        "INTERFACE_FIELD_NO_IMPLEM",
        subgraphs=("catalog", "shop"),
        type_name="Shirt",
        field_name="colour",
    )
    assert "Item.colour" in error.message
