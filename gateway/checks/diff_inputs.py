"""Changes to input values: field and directive arguments, input object fields."""

from __future__ import annotations

from collections.abc import Mapping

from graphql import GraphQLArgument, GraphQLInputField, is_non_null_type

from gateway.checks.diff_meta import capitalised, deprecation_changes, description_changes
from gateway.checks.diff_model import Criticality, SchemaChange
from gateway.checks.diff_rules import is_safe_input_change, printed_default

InputValue = GraphQLArgument | GraphQLInputField


def diff_input_value(
    prefix: str, coordinate: str, label: str, old: InputValue, new: InputValue
) -> list[SchemaChange]:
    """One argument or input field present in both schemas."""
    changes: list[SchemaChange] = []
    if str(old.type) != str(new.type):
        safe = is_safe_input_change(old.type, new.type)
        changes.append(
            SchemaChange(
                Criticality.SAFE if safe else Criticality.BREAKING,
                f"{prefix}_TYPE_CHANGED",
                coordinate,
                f"Type of {label} changed from '{old.type}' to '{new.type}'",
            )
        )
    old_default, new_default = printed_default(old), printed_default(new)
    if old_default != new_default:
        # Clients that omit the value get a different one: valid, but behaviour changes.
        changes.append(
            SchemaChange(
                Criticality.DANGEROUS,
                f"{prefix}_DEFAULT_CHANGED",
                coordinate,
                f"Default value of {label} changed from {old_default or 'none'}"
                f" to {new_default or 'none'}",
            )
        )
    changes += description_changes(prefix, coordinate, label, old.description, new.description)
    changes += deprecation_changes(
        prefix, coordinate, label, old.deprecation_reason, new.deprecation_reason
    )
    return changes


def diff_input_values(
    prefix: str,
    coordinate_of: str,
    owner_label: str,
    old: Mapping[str, InputValue],
    new: Mapping[str, InputValue],
    optional_added: Criticality,
) -> list[SchemaChange]:
    """Added, removed and changed input values of one owner.

    `coordinate_of` is a format string with `{name}`, e.g. "Type.field({name}:)";
    `owner_label` reads like "field 'Type.field'".
    """
    noun = "input field" if prefix == "INPUT_FIELD" else "argument"
    changes: list[SchemaChange] = []
    for name in old.keys() - new.keys():
        coordinate = coordinate_of.format(name=name)
        changes.append(
            SchemaChange(
                Criticality.BREAKING,
                f"{prefix}_REMOVED",
                coordinate,
                f"{capitalised(noun)} '{name}' was removed from {owner_label}",
            )
        )
    for name in new.keys() - old.keys():
        value = new[name]
        # Required = every existing operation now lacks it (the spec's "required" rule).
        required = is_non_null_type(value.type) and printed_default(value) is None
        adjective = "required" if required else "optional"
        changes.append(
            SchemaChange(
                Criticality.BREAKING if required else optional_added,
                f"{prefix}_ADDED",
                coordinate_of.format(name=name),
                f"{capitalised(adjective)} {noun} '{name}: {value.type}'"
                f" was added to {owner_label}",
            )
        )
    for name in old.keys() & new.keys():
        coordinate = coordinate_of.format(name=name)
        label = f"{noun} '{coordinate}'"
        changes += diff_input_value(prefix, coordinate, label, old[name], new[name])
    return changes
