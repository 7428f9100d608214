"""Usage-based safety: a breaking change nobody exercised in the last N days does not fail a
check. Which recorded coordinates count as "using" a change's coordinate:

- a field `Type.field`: that field;
- an argument `Type.field(arg:)`: the argument and its parent field (recorders count fields;
  a used field may pass the argument, so the field must be unused too);
- a type `Type` (removed or changed): the type and every field it had in the old schema;
- an enum value `Enum.VALUE` or input field `Input.field`: the coordinate, the type, and
  every field or argument of the old schema whose type is that enum or input (values and
  input fields travel inside them, and recorders may not count them on their own).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)


def usage_coordinates(coordinate: str, old_schema: GraphQLSchema) -> list[str]:
    """The coordinates whose recorded uses count as uses of `coordinate`."""
    type_name, _, rest = coordinate.partition(".")
    found = [coordinate]
    named = old_schema.type_map.get(type_name)
    if "(" in rest:  # Type.field(arg:)
        found.append(f"{type_name}.{rest.split('(', 1)[0]}")
    elif not rest:  # a whole type
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            found += [f"{type_name}.{field}" for field in named.fields]
        elif isinstance(named, GraphQLEnumType | GraphQLInputObjectType):
            found += _carriers(type_name, old_schema)
    elif isinstance(named, GraphQLEnumType | GraphQLInputObjectType):
        found += [type_name, *_carriers(type_name, old_schema)]
    return list(dict.fromkeys(found))


def is_unused(coordinate: str, old_schema: GraphQLSchema, counts: Mapping[str, int]) -> bool:
    # Coordinates outside the old schema's types (the schema definition, directives) are
    # never recorded: no evidence of "unused", so the change stays breaking.
    if coordinate.partition(".")[0] not in old_schema.type_map:
        return False
    return all(counts.get(c, 0) == 0 for c in usage_coordinates(coordinate, old_schema))


def _carriers(type_name: str, schema: GraphQLSchema) -> Iterable[str]:
    """Fields and arguments (of object/interface types) whose type is `type_name`, and the
    fields that take an input object carrying it (one level is enough for our recorders)."""
    for name, named in schema.type_map.items():
        if name.startswith("__") or not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            continue
        for field_name, field in named.fields.items():
            if get_named_type(field.type).name == type_name:
                yield f"{name}.{field_name}"
            for arg_name, arg in field.args.items():
                arg_type = get_named_type(arg.type)
                if arg_type.name == type_name or _carries(arg_type, type_name):
                    yield f"{name}.{field_name}({arg_name}:)"
                    yield f"{name}.{field_name}"


def _carries(input_type: object, type_name: str) -> bool:
    if not isinstance(input_type, GraphQLInputObjectType):
        return False
    return any(get_named_type(f.type).name == type_name for f in input_type.fields.values())
