"""Where @override may not be used (overrides.py decides what an @override moves).

Codes (Apollo's): OVERRIDE_ON_INTERFACE (on an interface field),
OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE (on an @external field or an @interfaceObject
field, or taking over a field whose source copy has @requires or @provides),
OVERRIDE_LABEL_INVALID (a progressive-override label that is neither a name nor
`percent(x)`).
"""

from __future__ import annotations

import re

from gateway.composition.errors import Issues
from gateway.composition.merge import MergedSchema
from gateway.composition.overrides import Overrides
from gateway.composition.rules.common import has_subgraph_errors
from gateway.composition.subgraph import SubField

_LABEL = re.compile(r"^[a-zA-Z][a-zA-Z0-9_\-:./]*$")
_PERCENT = re.compile(r"^percent\((\d{1,2}(\.\d{1,8})?|100)\)$")


def check_override_usage(schema: MergedSchema, overrides: Overrides, issues: Issues) -> None:
    if has_subgraph_errors(issues):
        return
    for merged_type in schema.types.values():
        for merged_field in merged_type.fields.values():
            for graph, sub_field in merged_field.per_graph.items():
                source = sub_field.override
                if source is None:
                    continue
                coordinate = f"{merged_type.name}.{merged_field.name}"
                where = dict(type_name=merged_type.name, field_name=merged_field.name)
                sub_type = merged_type.per_graph[graph]
                if sub_type.kind == "interface":
                    issues.error(
                        "OVERRIDE_ON_INTERFACE",
                        f'In subgraph "{graph}", interface field "{coordinate}" has @override: '
                        "interface fields are not resolved themselves, so they cannot move",
                        subgraphs=[graph],
                        hint=f'put the @override on the "{merged_field.name}" field of the '
                        f'implementations of "{merged_type.name}" instead',
                        **where,  # type: ignore[arg-type]
                    )
                    continue
                if sub_type.interface_object:
                    issues.error(
                        "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                        f'In subgraph "{graph}", field "{coordinate}" of @interfaceObject '
                        f'"{merged_type.name}" has @override, which is not supported on '
                        "@interfaceObject fields",
                        subgraphs=[graph],
                        hint=f'remove the @override from "{coordinate}" in subgraph "{graph}"',
                        **where,  # type: ignore[arg-type]
                    )
                    continue
                source_field = merged_field.per_graph.get(source)
                if source == graph or source_field is None or source_field.override:
                    continue  # overrides.py reports these
                _check_collision(graph, source, coordinate, sub_field, source_field, issues)
                label = sub_field.override_label
                if label is not None and not (_LABEL.match(label) or _PERCENT.match(label)):
                    issues.error(
                        "OVERRIDE_LABEL_INVALID",
                        f'In subgraph "{graph}", @override(label: "{label}") on field '
                        f'"{coordinate}" is no valid label',
                        subgraphs=[graph],
                        hint="use a label that starts with a letter followed by letters, "
                        'digits, "_", "-", ":", "." or "/", or "percent(x)" with x from 0 to '
                        "100",
                        **where,  # type: ignore[arg-type]
                    )


def _check_collision(
    graph: str,
    source: str,
    coordinate: str,
    sub_field: SubField,
    source_field: SubField,
    issues: Issues,
) -> None:
    type_name, _, field_name = coordinate.partition(".")
    conflict = None
    if source_field.requires is not None:
        conflict = (source, "@requires")
    elif source_field.provides is not None:
        conflict = (source, "@provides")
    elif sub_field.external:
        conflict = (graph, "@external")
    if conflict is None:
        return
    where, directive = conflict
    issues.error(
        "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
        f'@override(from: "{source}") on field "{coordinate}" in subgraph "{graph}" cannot be '
        f'used: "{coordinate}" in subgraph "{where}" is marked {directive}',
        subgraphs=sorted({graph, source}),
        type_name=type_name,
        field_name=field_name,
        hint=(
            f'remove @external from "{coordinate}" in subgraph "{graph}": the overriding '
            "subgraph must resolve the field itself"
            if directive == "@external"
            else f'remove {directive} from "{coordinate}" in subgraph "{source}" before moving '
            "the field, or move it together with what it requires or provides"
        ),
    )
