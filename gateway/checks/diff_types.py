"""Changes inside one named type present in both schemas, by the type's kind."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
)

from gateway.checks.diff_inputs import diff_input_values
from gateway.checks.diff_meta import capitalised, deprecation_changes, description_changes
from gateway.checks.diff_model import Criticality, SchemaChange
from gateway.checks.diff_rules import is_safe_output_change

B, D, S = Criticality.BREAKING, Criticality.DANGEROUS, Criticality.SAFE


def kind_name(type_: GraphQLNamedType) -> str:
    match type_:
        case GraphQLObjectType():
            return "object type"
        case GraphQLInterfaceType():
            return "interface type"
        case GraphQLUnionType():
            return "union type"
        case GraphQLEnumType():
            return "enum type"
        case GraphQLInputObjectType():
            return "input object type"
        case _:
            return "scalar type"


def diff_named_type(old: GraphQLNamedType, new: GraphQLNamedType) -> list[SchemaChange]:
    """Same name in both schemas; a kind change hides every finer difference."""
    name = old.name
    if kind_name(old) != kind_name(new):
        message = f"Type '{name}' changed kind from {kind_name(old)} to {kind_name(new)}"
        return [SchemaChange(B, "TYPE_KIND_CHANGED", name, message)]
    label = f"{kind_name(old)} '{name}'"
    changes = description_changes("TYPE", name, label, old.description, new.description)
    match old, new:
        case (
            GraphQLObjectType() | GraphQLInterfaceType(),
            GraphQLObjectType() | GraphQLInterfaceType(),
        ):
            changes += _interfaces(old, new, label)
            changes += _fields(old, new, label)
        case (GraphQLUnionType(), GraphQLUnionType()):
            changes += _union_members(old, new, label)
        case (GraphQLEnumType(), GraphQLEnumType()):
            changes += _enum_values(old, new, label)
        case (GraphQLInputObjectType(), GraphQLInputObjectType()):
            changes += _one_of(old, new, label)
            changes += diff_input_values(
                "INPUT_FIELD", f"{name}.{{name}}", label, old.fields, new.fields, D
            )
        case (GraphQLScalarType(), GraphQLScalarType()):
            changes += _specified_by(old, new, label)
    return changes


Composite = GraphQLObjectType | GraphQLInterfaceType


def _interfaces(old: Composite, new: Composite, label: str) -> list[SchemaChange]:
    old_names = {i.name for i in old.interfaces}
    new_names = {i.name for i in new.interfaces}
    # Added: fragments on the interface now match objects they never matched before.
    return [
        SchemaChange(
            B,
            "IMPLEMENTED_INTERFACE_REMOVED",
            old.name,
            f"{capitalised(label)} no longer implements interface '{i}'",
        )
        for i in old_names - new_names
    ] + [
        SchemaChange(
            D,
            "IMPLEMENTED_INTERFACE_ADDED",
            old.name,
            f"{capitalised(label)} now implements interface '{i}'",
        )
        for i in new_names - old_names
    ]


def _fields(old: Composite, new: Composite, label: str) -> list[SchemaChange]:
    changes: list[SchemaChange] = []
    for name in old.fields.keys() - new.fields.keys():
        deprecated = " (deprecated)" if old.fields[name].deprecation_reason is not None else ""
        changes.append(
            SchemaChange(
                B,
                "FIELD_REMOVED",
                f"{old.name}.{name}",
                f"Field '{old.name}.{name}'{deprecated} was removed from {label}",
            )
        )
    for name in new.fields.keys() - old.fields.keys():
        changes.append(
            SchemaChange(
                S,
                "FIELD_ADDED",
                f"{old.name}.{name}",
                f"Field '{old.name}.{name}' was added to {label}",
            )
        )
    for name in old.fields.keys() & new.fields.keys():
        changes += _field(f"{old.name}.{name}", old.fields[name], new.fields[name])
    return changes


def _field(coordinate: str, old: GraphQLField, new: GraphQLField) -> list[SchemaChange]:
    label = f"field '{coordinate}'"
    changes: list[SchemaChange] = []
    if str(old.type) != str(new.type):
        safe = is_safe_output_change(old.type, new.type)
        changes.append(
            SchemaChange(
                S if safe else B,
                "FIELD_TYPE_CHANGED",
                coordinate,
                f"Type of {label} changed from '{old.type}' to '{new.type}'",
            )
        )
    changes += description_changes("FIELD", coordinate, label, old.description, new.description)
    changes += deprecation_changes(
        "FIELD", coordinate, label, old.deprecation_reason, new.deprecation_reason
    )
    # An optional argument is dangerous: the resolver may now act differently by default.
    changes += diff_input_values("ARG", f"{coordinate}({{name}}:)", label, old.args, new.args, D)
    return changes


def _union_members(old: GraphQLUnionType, new: GraphQLUnionType, label: str) -> list[SchemaChange]:
    old_names = {t.name for t in old.types}
    new_names = {t.name for t in new.types}
    # Added: clients switching over __typename meet a type they do not handle.
    return [
        SchemaChange(B, "UNION_MEMBER_REMOVED", old.name, f"Member '{t}' was removed from {label}")
        for t in old_names - new_names
    ] + [
        SchemaChange(D, "UNION_MEMBER_ADDED", old.name, f"Member '{t}' was added to {label}")
        for t in new_names - old_names
    ]


def _enum_values(old: GraphQLEnumType, new: GraphQLEnumType, label: str) -> list[SchemaChange]:
    changes: list[SchemaChange] = []
    for name in old.values.keys() - new.values.keys():
        changes.append(
            SchemaChange(
                B,
                "ENUM_VALUE_REMOVED",
                f"{old.name}.{name}",
                f"Enum value '{name}' was removed from {label}",
            )
        )
    for name in new.values.keys() - old.values.keys():
        # Dangerous: clients with exhaustive switches meet a value they do not handle.
        changes.append(
            SchemaChange(
                D,
                "ENUM_VALUE_ADDED",
                f"{old.name}.{name}",
                f"Enum value '{name}' was added to {label}",
            )
        )
    for name in old.values.keys() & new.values.keys():
        coordinate = f"{old.name}.{name}"
        value_label = f"enum value '{coordinate}'"
        before, after = old.values[name], new.values[name]
        changes += description_changes(
            "ENUM_VALUE", coordinate, value_label, before.description, after.description
        )
        changes += deprecation_changes(
            "ENUM_VALUE",
            coordinate,
            value_label,
            before.deprecation_reason,
            after.deprecation_reason,
        )
    return changes


def _one_of(
    old: GraphQLInputObjectType, new: GraphQLInputObjectType, label: str
) -> list[SchemaChange]:
    if old.is_one_of == new.is_one_of:
        return []
    if new.is_one_of:
        # Inputs that set several fields, or none, stop validating.
        return [
            SchemaChange(
                B, "INPUT_ONE_OF_ADDED", old.name, f"{capitalised(label)} became a @oneOf input"
            )
        ]
    # Still valid for every client, but the server now accepts combinations it refused.
    return [
        SchemaChange(
            D, "INPUT_ONE_OF_REMOVED", old.name, f"{capitalised(label)} is no longer a @oneOf input"
        )
    ]


def _specified_by(old: GraphQLScalarType, new: GraphQLScalarType, label: str) -> list[SchemaChange]:
    if old.specified_by_url == new.specified_by_url:
        return []
    # The scalar's wire format may have changed under the same name.
    return [
        SchemaChange(
            D,
            "SCALAR_SPECIFIED_BY_CHANGED",
            old.name,
            f"Specification URL of {label} changed from"
            f" {old.specified_by_url or 'none'} to {new.specified_by_url or 'none'}",
        )
    ]
