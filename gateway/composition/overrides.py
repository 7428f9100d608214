"""@override: which subgraph's copy of a field the supergraph keeps."""

from __future__ import annotations

import difflib

from gateway.composition.errors import Issues
from gateway.composition.merge import MergedSchema

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
                    close = difflib.get_close_matches(source, list(schema.subgraphs), n=1)
                    guess = f' Did you mean "{close[0]}"?' if close else ""
                    issues.hint(
                        "FROM_SUBGRAPH_DOES_NOT_EXIST",
                        f'Source subgraph "{source}" for field {label} on subgraph "{graph}" '
                        f"does not exist; the @override has no effect.{guess}",
                        subgraphs=[graph],
                        hint=f"name an existing subgraph in @override(from:) on {label} in "
                        f'subgraph "{graph}"'
                        + (f' (e.g. "{close[0]}")' if close else "")
                        + ", or remove the @override",
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
                if source_field.external:
                    issues.hint(
                        "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
                        f'Field {label} on subgraph "{graph}" overrides subgraph "{source}", '
                        "where it is @external (not resolved); the @override can be removed",
                        subgraphs=[graph, source],
                        **where,  # type: ignore[arg-type]
                    )
                    continue
                # A progressive override (label) records the source like a plain one; the
                # printer gives both copies the label.
                used = (merged_type.name, merged_field.name) in _used_in(schema, source)
                out.setdefault((merged_type.name, merged_field.name), {})[source] = (
                    "used" if used else "dropped"
                )
    return out


def _used_in(schema: MergedSchema, graph: str) -> set[tuple[str, str]]:
    """Fields the subgraph still needs although overridden: those its @key, @requires and
    @provides select, and those an interface of the subgraph asks for (as Apollo counts)."""
    from gateway.composition.rules.common import used_fields  # rules import this module

    return used_fields(schema.subgraphs[graph])
