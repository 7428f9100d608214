"""Changes to directive definitions and to the schema definition (root types, description)."""

from __future__ import annotations

from graphql import GraphQLDirective, GraphQLSchema, is_specified_directive

from gateway.checks.diff_inputs import diff_input_values
from gateway.checks.diff_meta import description_changes
from gateway.checks.diff_model import SCHEMA_COORDINATE, Criticality, SchemaChange

B, S = Criticality.BREAKING, Criticality.SAFE


def diff_directives(old: GraphQLSchema, new: GraphQLSchema) -> list[SchemaChange]:
    old_by_name = {d.name: d for d in old.directives}
    new_by_name = {d.name: d for d in new.directives}
    changes: list[SchemaChange] = []
    for name in old_by_name.keys() - new_by_name.keys():
        if not is_specified_directive(old_by_name[name]):  # a schema object may omit them
            changes.append(
                SchemaChange(B, "DIRECTIVE_REMOVED", f"@{name}", f"Directive '@{name}' was removed")
            )
    for name in new_by_name.keys() - old_by_name.keys():
        if not is_specified_directive(new_by_name[name]):
            changes.append(
                SchemaChange(S, "DIRECTIVE_ADDED", f"@{name}", f"Directive '@{name}' was added")
            )
    for name in old_by_name.keys() & new_by_name.keys():
        changes += _directive(old_by_name[name], new_by_name[name])
    return changes


def _directive(old: GraphQLDirective, new: GraphQLDirective) -> list[SchemaChange]:
    coordinate = f"@{old.name}"
    label = f"directive '{coordinate}'"
    changes = description_changes("DIRECTIVE", coordinate, label, old.description, new.description)
    old_locations = {loc.name for loc in old.locations}
    new_locations = {loc.name for loc in new.locations}
    changes += [
        SchemaChange(
            B, "DIRECTIVE_LOCATION_REMOVED", coordinate, f"Location {loc} was removed from {label}"
        )
        for loc in old_locations - new_locations
    ]
    changes += [
        SchemaChange(
            S, "DIRECTIVE_LOCATION_ADDED", coordinate, f"Location {loc} was added to {label}"
        )
        for loc in new_locations - old_locations
    ]
    if old.is_repeatable and not new.is_repeatable:
        changes.append(
            SchemaChange(
                B,
                "DIRECTIVE_REPEATABLE_REMOVED",
                coordinate,
                f"Directive '{coordinate}' is no longer repeatable",
            )
        )
    elif new.is_repeatable and not old.is_repeatable:
        changes.append(
            SchemaChange(
                S,
                "DIRECTIVE_REPEATABLE_ADDED",
                coordinate,
                f"Directive '{coordinate}' became repeatable",
            )
        )
    # An optional directive argument changes nothing until someone passes it.
    changes += diff_input_values(
        "DIRECTIVE_ARG", f"{coordinate}({{name}}:)", label, old.args, new.args, S
    )
    return changes


def diff_schema_definition(old: GraphQLSchema, new: GraphQLSchema) -> list[SchemaChange]:
    changes = description_changes(
        "SCHEMA", SCHEMA_COORDINATE, "the schema", old.description, new.description
    )
    for operation in ("query", "mutation", "subscription"):
        before = getattr(old, f"{operation}_type")
        after = getattr(new, f"{operation}_type")
        before_name = before.name if before else None
        after_name = after.name if after else None
        if before_name == after_name:
            continue
        if before_name is None:
            kind, criticality = "ROOT_TYPE_ADDED", S
            message = f"Root {operation} type '{after_name}' was added"
        elif after_name is None:
            kind, criticality = "ROOT_TYPE_REMOVED", B
            message = f"Root {operation} type '{before_name}' was removed"
        else:
            # Fragments and __typename checks on the old root type stop matching.
            kind, criticality = "ROOT_TYPE_CHANGED", B
            message = f"Root {operation} type changed from '{before_name}' to '{after_name}'"
        changes.append(SchemaChange(criticality, kind, SCHEMA_COORDINATE, message))
    return changes
