"""@override: which subgraph's copy of a field the supergraph keeps."""

from __future__ import annotations

from gateway.composition.errors import Issues
from gateway.composition.merge import MergedSchema
from gateway.supergraph.fieldset import FieldSetField, parse_field_set

# (type, field) -> {overridden subgraph: "used" (still needed as key/requires) | "dropped"}
Overrides = dict[tuple[str, str], dict[str, str]]


def resolve_overrides(schema: MergedSchema, issues: Issues) -> Overrides:
    out: Overrides = {}
    for merged_type in schema.types.values():
        for merged_field in merged_type.fields.values():
            for graph, sub_field in merged_field.per_graph.items():
                source = sub_field.override
                if source is None:
                    continue
                where = dict(type_name=merged_type.name, field_name=merged_field.name)
                label = f'"{merged_type.name}.{merged_field.name}"'
                if source == graph:
                    issues.error(
                        "OVERRIDE_FROM_SELF_ERROR",
                        f'Source and destination subgraphs "{graph}" are the same for '
                        f"overridden field {label}",
                        subgraphs=[graph],
                        hint="name the subgraph the field moves from in @override(from:)",
                        **where,  # type: ignore[arg-type]
                    )
                    continue
                if source not in schema.subgraphs:
                    issues.hint(
                        "FROM_SUBGRAPH_DOES_NOT_EXIST",
                        f'Source subgraph "{source}" for field {label} on subgraph "{graph}" '
                        "does not exist; the @override has no effect",
                        subgraphs=[graph],
                        **where,  # type: ignore[arg-type]
                    )
                    continue
                source_field = merged_field.per_graph.get(source)
                if source_field is None:
                    issues.hint(
                        "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
                        f'Field {label} on subgraph "{graph}" overrides subgraph "{source}", '
                        "which does not define it; the @override can be removed",
                        subgraphs=[graph, source],
                        **where,  # type: ignore[arg-type]
                    )
                    continue
                if source_field.override is not None:
                    issues.error(
                        "OVERRIDE_SOURCE_HAS_OVERRIDE",
                        f'Field {label} on subgraph "{graph}" overrides subgraph "{source}", '
                        f'whose copy of the field itself overrides "{source_field.override}"',
                        subgraphs=[graph, source],
                        hint="override a field from the subgraph that really resolves it, once",
                        **where,  # type: ignore[arg-type]
                    )
                    continue
                if sub_field.override_label:
                    continue  # progressive override: both copies stay in use
                used = (merged_type.name, merged_field.name) in _used_in(schema, source)
                out.setdefault((merged_type.name, merged_field.name), {})[source] = (
                    "used" if used else "dropped"
                )
    return out


def _used_in(schema: MergedSchema, graph: str) -> set[tuple[str, str]]:
    subgraph = schema.subgraphs[graph]
    used: set[tuple[str, str]] = set()
    for sub_type in subgraph.types.values():
        for key in sub_type.keys:
            used |= {(sub_type.name, n) for n in _names(key.fields)}
        for sub_field in sub_type.fields.values():
            if sub_field.requires:
                used |= {(sub_type.name, n) for n in _names(sub_field.requires)}
    return used


def _names(fields: str) -> set[str]:
    try:
        parsed = parse_field_set(fields)
    except Exception:
        return set()
    return {i.name for i in parsed.items if isinstance(i, FieldSetField)}
