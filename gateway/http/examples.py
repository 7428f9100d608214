"""A small example operation built from a schema, for GraphiQL's first screen."""

from __future__ import annotations

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
    is_object_type,
)

_MAX_FIELDS = 5
_HINT = "# An example: run it with the ▶ button or Ctrl-Enter."


def example_operation(schema: GraphQLSchema) -> str:
    """`query Example { ... }` over the first root fields that need no arguments: leaves as
    they are, objects with their first leaf fields. `{ __typename }` when there are none."""
    query_type = schema.query_type
    lines: list[str] = []
    if query_type is not None:
        for name, field in _callable_fields(query_type):
            selection = _selection(field)
            if selection is not None:
                lines.append(f"  {name}{selection}")
            if len(lines) == _MAX_FIELDS:
                break
    body = "\n".join(lines) or "  __typename"
    return f"{_HINT}\nquery Example {{\n{body}\n}}\n"


def _selection(field: GraphQLField) -> str | None:
    named = get_named_type(field.type)
    if is_leaf_type(named):
        return ""
    if not is_object_type(named):
        return None  # interfaces and unions would need fragments: skip them in an example
    assert isinstance(named, GraphQLObjectType)
    leaves = [n for n, f in _callable_fields(named) if is_leaf_type(get_named_type(f.type))]
    if not leaves:
        return None
    return " { " + " ".join(leaves[:_MAX_FIELDS]) + " }"


def _callable_fields(type_: GraphQLObjectType) -> list[tuple[str, GraphQLField]]:
    return [
        (name, field)
        for name, field in type_.fields.items()
        if not name.startswith("__") and not any(_required(arg) for arg in field.args.values())
    ]


def _required(arg: GraphQLArgument) -> bool:
    # graphql-core 3.3 keeps SDL defaults in `default`; `default_value` is the older field.
    has_default = getattr(arg, "default", None) is not None or arg.default_value is not Undefined
    return is_non_null_type(arg.type) and not has_default
