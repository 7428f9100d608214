"""Which wrapped-type changes clients survive, and how default values compare."""

from __future__ import annotations

from graphql import (
    GraphQLArgument,
    GraphQLInputField,
    GraphQLType,
    is_list_type,
    is_named_type,
    is_non_null_type,
    print_ast,
)
from graphql.utilities.get_default_value_ast import get_default_value_ast
from graphql.utilities.sort_value_node import sort_value_node


def is_safe_output_change(old: GraphQLType, new: GraphQLType) -> bool:
    """Output positions are covariant: the new type may promise more (add non-null), never less."""
    if is_non_null_type(old):
        return is_non_null_type(new) and is_safe_output_change(old.of_type, new.of_type)
    if is_non_null_type(new):
        return is_safe_output_change(old, new.of_type)
    if is_list_type(old):
        return is_list_type(new) and is_safe_output_change(old.of_type, new.of_type)
    return is_named_type(new) and old.name == new.name  # type: ignore[union-attr]


def is_safe_input_change(old: GraphQLType, new: GraphQLType) -> bool:
    """Input positions are contravariant: the new type may accept more (drop non-null)."""
    if is_non_null_type(old):
        inner = new.of_type if is_non_null_type(new) else new
        return is_safe_input_change(old.of_type, inner)
    if is_non_null_type(new):
        return False
    if is_list_type(old):
        return is_list_type(new) and is_safe_input_change(old.of_type, new.of_type)
    return is_named_type(new) and old.name == new.name  # type: ignore[union-attr]


def printed_default(value: GraphQLArgument | GraphQLInputField) -> str | None:
    """The default as introspection shows it (object fields sorted), or None without one."""
    ast = get_default_value_ast(value)
    return None if ast is None else print_ast(sort_value_node(ast))
