"""INVALID_FIELD_SHARING: a field resolved by several subgraphs must be @shareable in all.

As Apollo counts them: a subgraph resolves a field it declares without @external, or with
@external when one of its @provides selects it (it then resolves it along those paths, and
that copy counts as shareable). Fields a @key of the subgraph selects, nested ones included,
are shareable there, as is every field of a Federation 1 subgraph; copies moved away by
@override do not count.
"""

from __future__ import annotations

from gateway.composition.errors import Issues
from gateway.composition.merge import MergedSchema
from gateway.composition.overrides import Overrides
from gateway.composition.rules.common import (
    field_sets,
    has_subgraph_errors,
    quote,
    walk_field_set,
)
from gateway.composition.subgraph import Subgraph


def check_field_sharing(schema: MergedSchema, overrides: Overrides, issues: Issues) -> None:
    if has_subgraph_errors(issues):
        return  # e.g. an invalid @key would make its key fields look non-shareable
    key_fields = {name: _selected(s, "key") for name, s in schema.subgraphs.items()}
    provided = {name: _selected(s, "provides") for name, s in schema.subgraphs.items()}
    for merged_type in schema.types.values():
        if merged_type.kind != "object":
            continue
        for merged_field in merged_type.fields.values():
            coordinate = (merged_type.name, merged_field.name)
            dropped = {
                g
                for g, state in overrides.get(coordinate, {}).items()
                if state in ("dropped", "used")
            }
            resolving = [
                g
                for g, f in merged_field.per_graph.items()
                if g not in dropped and (not f.external or coordinate in provided[g])
            ]
            if len(resolving) < 2:
                continue
            unshared = [
                g
                for g in resolving
                if not merged_field.per_graph[g].shareable
                and not merged_field.per_graph[g].external
                and coordinate not in key_fields[g]
                and not merged_field.per_graph[g].override_label
            ]
            if not unshared:
                continue
            _report(schema, merged_type.name, merged_field.name, resolving, unshared, issues)


def _report(
    schema: MergedSchema,
    type_name: str,
    field_name: str,
    resolving: list[str],
    unshared: list[str],
    issues: Issues,
) -> None:
    merged_field = schema.types[type_name].fields[field_name]
    misspelled = [
        g
        for g in unshared
        if merged_field.per_graph[g].override is not None
        and merged_field.per_graph[g].override not in schema.subgraphs
    ]
    note = (
        f' (note that its @override in subgraph "{misspelled[0]}" names no subgraph in from:, '
        "a misspelt subgraph name?)"
        if misspelled
        else ""
    )
    which = "all of them" if len(unshared) == len(resolving) else f"subgraph(s) {quote(unshared)}"
    issues.error(
        "INVALID_FIELD_SHARING",
        f'Non-shareable field "{type_name}.{field_name}" is resolved from multiple subgraphs: '
        f"it is resolved from subgraphs {quote(resolving)} and defined as non-shareable in "
        f"{which}{note}",
        subgraphs=resolving,
        type_name=type_name,
        field_name=field_name,
        hint=f'mark "{type_name}.{field_name}" @shareable in every subgraph that resolves it '
        f"({quote(unshared)} lack it), or move it with @override, or make all but one copy "
        "@external",
    )


def _selected(subgraph: Subgraph, directive: str) -> set[tuple[str, str]]:
    """(type, field) pairs that the subgraph's @key (or @provides) field sets select."""
    selected: set[tuple[str, str]] = set()
    for kind, parent, _field, source in field_sets(subgraph):
        if kind == directive:
            selected.update(walk_field_set(subgraph, parent, source, kind).selected)
    return selected
