"""@external: declared where a subgraph needs another subgraph's field, and only there.

Subgraph level (Federation 2; Apollo's upgrade of Federation 1 subgraphs silently drops
these): EXTERNAL_ON_INTERFACE, EXTERNAL_UNUSED (an @external field that no @key, @requires
or @provides of its subgraph selects and no interface of the subgraph asks for).

Merge level: EXTERNAL_MISSING_ON_BASE (no subgraph resolves the field, root fields
included), EXTERNAL_TYPE_MISMATCH (the @external copy's type differs from the field's),
EXTERNAL_ARGUMENT_MISSING / _TYPE_MISMATCH / _DEFAULT_MISMATCH.
"""

from __future__ import annotations

from graphql import ListTypeNode, NonNullTypeNode, TypeNode, print_ast

from gateway.composition.errors import Issues
from gateway.composition.merge import MergedField, MergedSchema, MergedType
from gateway.composition.overrides import Overrides
from gateway.composition.rules.common import has_subgraph_errors, quote, used_fields


def check_externals(schema: MergedSchema, overrides: Overrides, issues: Issues) -> None:
    for subgraph in schema.subgraphs.values():
        if subgraph.is_fed1:
            continue
        used = used_fields(subgraph)
        for sub_type in subgraph.types.values():
            if sub_type.kind not in ("object", "interface"):
                continue
            for sub_field in sub_type.fields.values():
                if not sub_field.external:
                    continue
                coordinate = f"{sub_type.name}.{sub_field.name}"
                where = dict(
                    subgraphs=[subgraph.name],
                    type_name=sub_type.name,
                    field_name=sub_field.name,
                )
                if sub_type.kind == "interface":
                    issues.error(
                        "EXTERNAL_ON_INTERFACE",
                        f'In subgraph "{subgraph.name}", interface field "{coordinate}" is '
                        "marked @external: interface fields are never resolved themselves "
                        "(their implementations are), so @external means nothing there",
                        hint=f'remove @external from "{coordinate}" in subgraph '
                        f'"{subgraph.name}" (mark the implementations\' fields instead)',
                        **where,  # type: ignore[arg-type]
                    )
                if (sub_type.name, sub_field.name) not in used and sub_field.provides is None:
                    issues.error(
                        "EXTERNAL_UNUSED",
                        f'In subgraph "{subgraph.name}", field "{coordinate}" is marked '
                        "@external but no @key, @requires or @provides of the subgraph "
                        "selects it, and no interface needs it",
                        hint=f'remove "{coordinate}" from subgraph "{subgraph.name}", or drop '
                        "@external if this subgraph resolves it (with @shareable if others "
                        "do too)",
                        **where,  # type: ignore[arg-type]
                    )
    if has_subgraph_errors(issues):
        return
    for merged_type in schema.types.values():
        if merged_type.kind not in ("object", "interface"):
            continue
        for merged_field in merged_type.fields.values():
            if not any(f.external for f in merged_field.per_graph.values()):
                continue
            if all(f.external for f in merged_field.per_graph.values()):
                if not _from_interface_object(schema, merged_type, merged_field.name):
                    _missing_on_base(merged_type, merged_field, issues)
                continue
            _check_type(schema, merged_type, merged_field, issues)
            _check_arguments(merged_type, merged_field, issues)


def _from_interface_object(schema: MergedSchema, merged_type: MergedType, name: str) -> bool:
    """Whether an @interfaceObject of one of the type's interfaces resolves the field."""
    for interface_name in merged_type.interfaces:
        interface = schema.types.get(interface_name)
        interface_field = interface.fields.get(name) if interface else None
        if interface is None or interface_field is None:
            continue
        for graph, sub_field in interface_field.per_graph.items():
            if interface.per_graph[graph].interface_object and not sub_field.external:
                return True
    return False


def _missing_on_base(merged_type: MergedType, merged_field: MergedField, issues: Issues) -> None:
    coordinate = f"{merged_type.name}.{merged_field.name}"
    graphs = list(merged_field.per_graph)
    root = " (a root field)" if merged_type.name in ("Query", "Mutation", "Subscription") else ""
    issues.error(
        "EXTERNAL_MISSING_ON_BASE",
        f'Field "{coordinate}"{root} is marked @external in every subgraph that declares it '
        f"({quote(graphs)}): no subgraph resolves it",
        subgraphs=graphs,
        type_name=merged_type.name,
        field_name=merged_field.name,
        hint=f'define "{coordinate}" without @external in the subgraph that resolves it, or '
        "remove the @external declarations",
    )


def _check_type(
    schema: MergedSchema, merged_type: MergedType, merged_field: MergedField, issues: Issues
) -> None:
    resolving = {print_ast(f.type) for f in merged_field.per_graph.values() if not f.external}
    all_equal = len(resolving) == 1
    expected = print_ast(merged_field.type)
    wrong = [
        g
        for g, f in merged_field.per_graph.items()
        if f.external
        and print_ast(f.type) != expected
        and (all_equal or not _is_subtype(schema, merged_field.type, f.type))
    ]
    if not wrong:
        return
    coordinate = f"{merged_type.name}.{merged_field.name}"
    detail = ", ".join(
        f'"{print_ast(f.type)}" in subgraph "{g}"' + (" (@external)" if f.external else "")
        for g, f in merged_field.per_graph.items()
    )
    issues.error(
        "EXTERNAL_TYPE_MISMATCH",
        f'Type of field "{coordinate}" is incompatible across subgraphs where it is marked '
        f"@external: it has type {detail}",
        subgraphs=list(merged_field.per_graph),
        type_name=merged_type.name,
        field_name=merged_field.name,
        hint=f'declare "{coordinate}" with type "{expected}" in subgraph(s) {quote(wrong)}, '
        "the type the resolving subgraphs give it",
    )


def _check_arguments(merged_type: MergedType, merged_field: MergedField, issues: Issues) -> None:
    coordinate = f"{merged_type.name}.{merged_field.name}"
    externals = {g: f for g, f in merged_field.per_graph.items() if f.external}
    for name, argument in merged_field.arguments.items():
        missing = [g for g, f in externals.items() if name not in f.arguments]
        if missing:
            issues.error(
                "EXTERNAL_ARGUMENT_MISSING",
                f'Field "{coordinate}" is missing argument "{name}" in subgraph(s) '
                f"{quote(missing)}, where it is marked @external; the subgraphs resolving it "
                f"({quote(argument.per_graph)}) declare the argument",
                subgraphs=[*missing, *argument.per_graph],
                type_name=merged_type.name,
                field_name=merged_field.name,
                hint=f'declare argument "{name}: {print_ast(argument.type)}" on the @external '
                f'"{coordinate}" in subgraph(s) {quote(missing)}',
            )
            continue
        expected = print_ast(argument.type)
        wrong_type = [
            g for g, f in externals.items() if print_ast(f.arguments[name].type) != expected
        ]
        if wrong_type:
            issues.error(
                "EXTERNAL_ARGUMENT_TYPE_MISMATCH",
                f'Argument "{coordinate}({name}:)" has type "{expected}" where the field is '
                f"resolved ({quote(argument.per_graph)}) but another type in subgraph(s) "
                f"{quote(wrong_type)}, where the field is marked @external",
                subgraphs=[*wrong_type, *argument.per_graph],
                type_name=merged_type.name,
                field_name=merged_field.name,
                hint=f'give argument "{name}" type "{expected}" in subgraph(s) {quote(wrong_type)}',
            )
        expected_default = print_ast(argument.default) if argument.default else None
        wrong_default = [
            g
            for g, f in externals.items()
            if (print_ast(f.arguments[name].default) if f.arguments[name].default else None)
            != expected_default
        ]
        if wrong_default:
            issues.error(
                "EXTERNAL_ARGUMENT_DEFAULT_MISMATCH",
                f'Argument "{coordinate}({name}:)" has a different default value in '
                f"subgraph(s) {quote(wrong_default)}, where the field is marked @external, "
                f"than where it is resolved ({quote(argument.per_graph)})",
                subgraphs=[*wrong_default, *argument.per_graph],
                type_name=merged_type.name,
                field_name=merged_field.name,
                hint=f'use the same default for "{name}" in every subgraph declaring '
                f'"{coordinate}"',
            )


def _is_subtype(schema: MergedSchema, general: TypeNode, specific: TypeNode) -> bool:
    """Whether a value of type `specific` is always a valid `general` (output positions)."""
    if isinstance(specific, NonNullTypeNode):
        inner = general.type if isinstance(general, NonNullTypeNode) else general
        return _is_subtype(schema, inner, specific.type)
    if isinstance(general, NonNullTypeNode):
        return False
    if isinstance(general, ListTypeNode) or isinstance(specific, ListTypeNode):
        return (
            isinstance(general, ListTypeNode)
            and isinstance(specific, ListTypeNode)
            and _is_subtype(schema, general.type, specific.type)
        )
    general_name = general.name.value  # type: ignore[attr-defined]
    specific_name = specific.name.value  # type: ignore[attr-defined]
    if general_name == specific_name:
        return True
    parent = schema.types.get(general_name)
    child = schema.types.get(specific_name)
    if parent is None or child is None:
        return False
    if parent.kind == "union":
        return specific_name in parent.members
    return general_name in child.interfaces
