"""A classified diff of two API schemas: every change, breaking, dangerous or safe.

Covers what graphql-inspector reports; each change carries a GraphQL schema coordinate.
The modules beside this one hold the rules per element kind.
"""

from __future__ import annotations

from graphql import (
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    build_schema,
    is_introspection_type,
    is_specified_scalar_type,
    validate_schema,
)

from gateway.checks.diff_directives import diff_directives, diff_schema_definition
from gateway.checks.diff_model import Criticality, SchemaChange, sort_key
from gateway.checks.diff_types import diff_named_type, kind_name

__all__ = ["Criticality", "SchemaChange", "diff_schemas", "diff_sdl"]


def diff_schemas(old: GraphQLSchema, new: GraphQLSchema) -> list[SchemaChange]:
    """Every change from old to new, in a stable order (by coordinate, then kind)."""
    old_types = _own_types(old)
    new_types = _own_types(new)
    changes: list[SchemaChange] = []
    for name in old_types.keys() - new_types.keys():
        changes.append(
            SchemaChange(
                Criticality.BREAKING,
                "TYPE_REMOVED",
                name,
                f"Type '{name}' ({kind_name(old_types[name])}) was removed",
            )
        )
    for name in new_types.keys() - old_types.keys():
        changes.append(
            SchemaChange(
                Criticality.SAFE,
                "TYPE_ADDED",
                name,
                f"Type '{name}' ({kind_name(new_types[name])}) was added",
            )
        )
    for name in old_types.keys() & new_types.keys():
        changes += diff_named_type(old_types[name], new_types[name])
    changes += diff_directives(old, new)
    changes += diff_schema_definition(old, new)
    return sorted(changes, key=sort_key)


def diff_sdl(old_sdl: str, new_sdl: str) -> list[SchemaChange]:
    """diff_schemas over two SDL documents; ValueError names the side that is invalid."""
    return diff_schemas(_schema(old_sdl, "old"), _schema(new_sdl, "new"))


def _own_types(schema: GraphQLSchema) -> dict[str, GraphQLNamedType]:
    # Built-in scalars and introspection types are the same in every schema.
    return {
        name: type_
        for name, type_ in schema.type_map.items()
        if not is_introspection_type(type_) and not is_specified_scalar_type(type_)
    }


def _schema(sdl: str, side: str) -> GraphQLSchema:
    try:
        schema = build_schema(sdl)
    except (GraphQLError, TypeError) as error:
        raise ValueError(f"The {side} schema SDL is invalid: {error}") from error
    errors = validate_schema(schema)
    if errors:
        details = "; ".join(error.message for error in errors)
        raise ValueError(f"The {side} schema SDL is invalid: {details}")
    return schema
