"""INVALID_FIELD_SHARING: a field resolved by several subgraphs must be @shareable in all."""

from __future__ import annotations

from gateway.composition.errors import Issues
from gateway.composition.merge import MergedSchema
from gateway.composition.overrides import Overrides
from gateway.supergraph.fieldset import FieldSetField, parse_field_set


def check_field_sharing(schema: MergedSchema, overrides: Overrides, issues: Issues) -> None:
    for merged_type in schema.types.values():
        if merged_type.kind != "object":
            continue
        for merged_field in merged_type.fields.values():
            dropped = {
                g
                for g, state in overrides.get((merged_type.name, merged_field.name), {}).items()
                if state in ("dropped", "used")
            }
            resolving = [
                g for g, f in merged_field.per_graph.items() if not f.external and g not in dropped
            ]
            if len(resolving) < 2:
                continue
            unshared = [
                g
                for g in resolving
                if not merged_field.per_graph[g].shareable
                and not _is_key_field(schema, g, merged_type.name, merged_field.name)
                and not merged_field.per_graph[g].override_label
            ]
            if not unshared:
                continue
            issues.error(
                "INVALID_FIELD_SHARING",
                f'Non-shareable field "{merged_type.name}.{merged_field.name}" is resolved '
                f"from multiple subgraphs: it is resolved from subgraphs "
                f"{', '.join(repr(g) for g in resolving)} and defined as non-shareable in "
                f"subgraph(s) {', '.join(repr(g) for g in unshared)}",
                subgraphs=resolving,
                type_name=merged_type.name,
                field_name=merged_field.name,
                hint="mark the field @shareable in every subgraph that resolves it, or move it "
                "with @override, or make all but one copy @external",
            )


def _is_key_field(schema: MergedSchema, graph: str, type_name: str, field_name: str) -> bool:
    sub_type = schema.subgraphs[graph].types.get(type_name)
    if sub_type is None:
        return False
    for key in sub_type.keys:
        try:
            parsed = parse_field_set(key.fields)
        except Exception:
            continue
        if any(isinstance(i, FieldSetField) and i.name == field_name for i in parsed.items):
            return True
    return False
