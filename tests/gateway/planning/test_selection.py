"""SelectionNode: the selection set of one subgraph query, built up and printed."""

from __future__ import annotations

from graphql import parse, print_ast

from gateway.planning.operation import Condition
from gateway.planning.selection import SelectionNode


def same(actual: str, expected: str) -> None:
    """Compare selection sets as GraphQL (whitespace aside), after checking they parse."""
    assert print_ast(parse(actual)) == print_ast(parse(expected)), actual


def test_empty_node_prints_empty_braces() -> None:
    assert SelectionNode().print().replace(" ", "") == "{}"


def test_fields_printed_in_order() -> None:
    node = SelectionNode()
    node.add_field("b", "b")
    node.add_field("a", "a")
    same(node.print(), "{ b a }")


def test_nested_fields() -> None:
    node = SelectionNode()
    user = node.add_field("me", "me", composite=True)
    assert user is not None
    user.add_field("id", "id")
    org = user.add_field("org", "org", composite=True)
    assert org is not None
    org.add_field("name", "name")
    same(node.print(), "{ me { id org { name } } }")


def test_leaf_field_has_no_children() -> None:
    assert SelectionNode().add_field("id", "id") is None


def test_composite_field_without_children_asks_for_typename() -> None:
    node = SelectionNode()
    node.add_field("me", "me", composite=True)
    same(node.print(), "{ me { __typename } }")


def test_alias_and_arguments() -> None:
    node = SelectionNode()
    node.add_field("cheap", "products", '(maxPrice: 10, tags: ["a"])', composite=True)
    node.add_field("price", "price")
    node.add_field("priceEur", "price", '(currency: "EUR")')
    same(
        node.print(),
        '{ cheap: products(maxPrice: 10, tags: ["a"]) { __typename } '
        'price priceEur: price(currency: "EUR") }',
    )


def test_same_field_added_twice_is_one_entry_sharing_children() -> None:
    node = SelectionNode()
    first = node.add_field("me", "me", composite=True)
    second = node.add_field("me", "me", composite=True)
    assert first is second
    assert first is not None
    first.add_field("id", "id")
    second.add_field("id", "id")
    second.add_field("name", "name")
    same(node.print(), "{ me { id name } }")


def test_same_key_with_different_arguments_is_kept_apart() -> None:
    node = SelectionNode()
    node.add_field("price", "price")
    node.add_field("price", "price", "(currency: EUR)")
    assert node.print().count("price") == 2


def test_other_directives_printed_on_the_field() -> None:
    node = SelectionNode()
    node.add_field("name", "name", directives="@lowercase")
    same(node.print(), "{ name @lowercase }")


def test_fragments() -> None:
    node = SelectionNode()
    node.add_field("__typename", "__typename")
    book = node.add_fragment("Book")
    book.add_field("isbn", "isbn")
    assert node.add_fragment("Book") is book
    node.add_fragment("Movie")  # empty: not printed
    same(node.print(), "{ __typename ... on Book { isbn } }")


def test_skip_and_include_conditions() -> None:
    node = SelectionNode()
    node.add_field("a", "a", conditions=(Condition("s", False),))
    node.add_field("b", "b", conditions=(Condition("i", True),))
    node.add_field("c", "c", conditions=(Condition("i", True), Condition("s", False)))
    same(
        node.print(),
        "{ a @skip(if: $s) b @include(if: $i) c @include(if: $i) @skip(if: $s) }",
    )


def test_two_includes_wrap_the_field_in_an_inline_fragment() -> None:
    node = SelectionNode()
    me = node.add_field(
        "me", "me", conditions=(Condition("a", True), Condition("b", True)), composite=True
    )
    assert me is not None
    me.add_field("id", "id")
    printed = node.print()
    same(printed, "{ ... @include(if: $b) { me @include(if: $a) { id } } }")


def test_two_skips_and_an_include() -> None:
    node = SelectionNode()
    node.add_field(
        "x",
        "x",
        conditions=(Condition("s1", False), Condition("s2", False), Condition("i", True)),
    )
    same(node.print(), "{ ... @skip(if: $s2) { x @skip(if: $s1) @include(if: $i) } }")


def test_conditions_distinguish_entries() -> None:
    node = SelectionNode()
    node.add_field("a", "a")
    node.add_field("a", "a", conditions=(Condition("s", False),))
    same(node.print(), "{ a a @skip(if: $s) }")


def test_variables_collects_condition_variables_at_any_depth() -> None:
    node = SelectionNode()
    me = node.add_field("me", "me", conditions=(Condition("x", True),), composite=True)
    assert me is not None
    me.add_field("id", "id", "(arg: $notACondition)")
    book = me.add_fragment("Book")
    book.add_field("isbn", "isbn", conditions=(Condition("y", False),))
    assert node.variables() == {"x", "y"}


def test_used_keys() -> None:
    node = SelectionNode()
    node.add_field("a", "a")
    node.add_field("b", "price", "(currency: EUR)")
    node.add_fragment("Book").add_field("isbn", "isbn")
    assert node.used_keys() == {"a": ("a", ""), "b": ("price", "(currency: EUR)")}
