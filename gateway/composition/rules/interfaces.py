"""Entity interfaces (@key on an interface) and @interfaceObject.

Codes (Apollo's): INTERFACE_OBJECT_USAGE_ERROR (an @interfaceObject type without @key in
its subgraph, a type that is an @interfaceObject everywhere and an interface nowhere, an
@interfaceObject subgraph that also defines implementations, and, as our own addition, an
@interfaceObject subgraph returning the type while no subgraph has a @key on the interface to
tell the concrete type), INTERFACE_KEY_NOT_ON_IMPLEMENTATION (in the subgraph with the
interface's @key, every implementation must have that key, resolvable),
INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE (a subgraph with a resolvable interface @key must
define every implementation of the supergraph), INTERFACE_FIELD_NO_IMPLEM (after merging,
an implementation lacks a field of its interface).
"""

from __future__ import annotations

from graphql import parse, print_ast

from gateway.composition.errors import Issues
from gateway.composition.merge import MergedSchema, MergedType, named
from gateway.composition.overrides import Overrides
from gateway.composition.rules.common import has_subgraph_errors, quote
from gateway.composition.subgraph import Key, Subgraph, SubType


def check_interfaces(schema: MergedSchema, overrides: Overrides, issues: Issues) -> None:
    for subgraph in schema.subgraphs.values():
        if subgraph.is_fed1:
            continue
        for sub_type in subgraph.types.values():
            if sub_type.interface_object and not sub_type.keys:
                issues.error(
                    "INTERFACE_OBJECT_USAGE_ERROR",
                    f'In subgraph "{subgraph.name}", type "{sub_type.name}" is an '
                    "@interfaceObject but has no @key there: @interfaceObject may only be used "
                    "on entity types",
                    subgraphs=[subgraph.name],
                    type_name=sub_type.name,
                    hint=f'add the interface\'s @key to "{sub_type.name}" in subgraph '
                    f'"{subgraph.name}"',
                )
            if sub_type.kind == "interface" and sub_type.keys:
                _check_interface_keys(subgraph, sub_type, issues)
    if has_subgraph_errors(issues):
        return
    for merged in schema.types.values():
        if merged.kind == "interface":
            _check_interface_objects(schema, merged, issues)
            _check_missing_implementation_types(schema, merged, issues)
        if merged.kind in ("object", "interface"):
            _check_interface_fields(schema, merged, issues)


def _check_interface_keys(subgraph: Subgraph, interface: SubType, issues: Issues) -> None:
    implementations = [
        t for t in subgraph.types.values() if t.kind == "object" and interface.name in t.interfaces
    ]
    for key in interface.keys:
        wanted = _normalized(key.fields)
        if wanted is None:
            continue  # reported by the field set rule
        missing: list[str] = []
        unresolvable: list[str] = []
        for implementation in implementations:
            match = next((k for k in implementation.keys if _normalized(k.fields) == wanted), None)
            if match is None:
                missing.append(implementation.name)
            elif key.resolvable and not match.resolvable:
                unresolvable.append(implementation.name)
        _report_interface_key(subgraph, interface, key, missing, unresolvable, issues)


def _report_interface_key(
    subgraph: Subgraph,
    interface: SubType,
    key: Key,
    missing: list[str],
    unresolvable: list[str],
    issues: Issues,
) -> None:
    applied = f'@key(fields: "{key.fields}")'
    if missing:
        issues.error(
            "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
            f'In subgraph "{subgraph.name}", {applied} on interface "{interface.name}" is '
            f"missing on its implementation(s) {quote(missing)}",
            subgraphs=[subgraph.name],
            type_name=interface.name,
            hint=f'add {applied} to {quote(missing)} in subgraph "{subgraph.name}": every '
            "implementation of an entity interface must be an entity with the same key",
        )
    elif unresolvable:
        issues.error(
            "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
            f'In subgraph "{subgraph.name}", {applied} on interface "{interface.name}" is '
            f"resolvable, but implementation(s) {quote(unresolvable)} declare it with "
            "resolvable: false",
            subgraphs=[subgraph.name],
            type_name=interface.name,
            hint=f"make the key resolvable on {quote(unresolvable)} in subgraph "
            f'"{subgraph.name}", or mark the interface key resolvable: false',
        )


def _normalized(fields: str) -> str | None:
    try:
        return print_ast(parse("{" + fields + "}", no_location=True))
    except Exception:
        return None


def _supergraph_implementations(schema: MergedSchema, interface: str) -> list[str]:
    return [
        t.name for t in schema.types.values() if t.kind == "object" and interface in t.interfaces
    ]


def _check_interface_objects(schema: MergedSchema, merged: MergedType, issues: Issues) -> None:
    object_graphs = [g for g, t in merged.per_graph.items() if t.interface_object]
    if not object_graphs:
        return
    interface_graphs = [g for g, t in merged.per_graph.items() if t.kind == "interface"]
    if not interface_graphs:
        issues.error(
            "INTERFACE_OBJECT_USAGE_ERROR",
            f'Type "{merged.name}" is an @interfaceObject in every subgraph that defines it '
            f"({quote(object_graphs)}): some subgraph must define it as an interface",
            subgraphs=object_graphs,
            type_name=merged.name,
            hint=f'define "{merged.name}" as an interface with @key and its implementations in '
            "the subgraph that owns them",
        )
        return
    implementations = _supergraph_implementations(schema, merged.name)
    for graph in object_graphs:
        defined = [i for i in implementations if i in schema.subgraphs[graph].types]
        if defined:
            issues.error(
                "INTERFACE_OBJECT_USAGE_ERROR",
                f'Interface "{merged.name}" is an @interfaceObject in subgraph "{graph}", '
                f"which therefore must not define its implementations, but it defines "
                f"{quote(defined)}",
                subgraphs=[graph],
                type_name=merged.name,
                hint=f'remove {quote(defined)} from subgraph "{graph}", or define '
                f'"{merged.name}" there as the interface itself',
            )
    if any(merged.per_graph[g].keys for g in interface_graphs):
        return
    for graph in object_graphs:
        returning = _fields_returning(schema.subgraphs[graph], merged.name)
        if returning:
            issues.error(
                "INTERFACE_OBJECT_USAGE_ERROR",
                f'Subgraph "{graph}" returns @interfaceObject "{merged.name}" from '
                f"{quote(returning)}, but no subgraph ({quote(interface_graphs)}) puts a @key "
                f'on interface "{merged.name}", so no subgraph can tell which implementation '
                "such an object is",
                subgraphs=[graph, *interface_graphs],
                type_name=merged.name,
                hint=f'add the @key of the @interfaceObject to interface "{merged.name}" '
                f"(and its implementations) in subgraph(s) {quote(interface_graphs)}",
            )


def _fields_returning(subgraph: Subgraph, type_name: str) -> list[str]:
    return [
        f"{t.name}.{f.name}"
        for t in subgraph.types.values()
        if t.kind in ("object", "interface")
        for f in t.fields.values()
        if not f.external and named(f.type) == type_name
    ]


def _check_missing_implementation_types(
    schema: MergedSchema, merged: MergedType, issues: Issues
) -> None:
    implementations = _supergraph_implementations(schema, merged.name)
    for graph, sub_type in merged.per_graph.items():
        if sub_type.kind != "interface" or schema.subgraphs[graph].is_fed1:
            continue
        key = next((k for k in sub_type.keys if k.resolvable), None)
        if key is None:
            continue
        subgraph = schema.subgraphs[graph]
        missing = [
            i
            for i in implementations
            if i not in subgraph.types or merged.name not in subgraph.types[i].interfaces
        ]
        if missing:
            issues.error(
                "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE",
                f'Interface "{merged.name}" has a resolvable @key(fields: "{key.fields}") in '
                f'subgraph "{graph}", but that subgraph lacks implementation(s) '
                f"{quote(missing)} that other subgraphs define",
                subgraphs=[graph],
                type_name=merged.name,
                hint=f'define {quote(missing)} implementing "{merged.name}" (with the key) in '
                f'subgraph "{graph}", or make its interface key resolvable: false',
            )


def _check_interface_fields(schema: MergedSchema, merged: MergedType, issues: Issues) -> None:
    for interface_name in merged.interfaces:
        interface = schema.types.get(interface_name)
        if interface is None or interface.kind != "interface":
            continue
        for name, interface_field in interface.fields.items():
            if name in merged.fields:
                continue
            declaring = sorted(interface_field.per_graph)
            implementing = sorted(
                g for g, t in merged.per_graph.items() if interface_name in t.interfaces
            )
            issues.error(
                "INTERFACE_FIELD_NO_IMPLEM",
                f'Interface field "{interface_name}.{name}" is declared in subgraph(s) '
                f'{quote(declaring)}, but type "{merged.name}", which implements '
                f'"{interface_name}" only in subgraph(s) {quote(implementing)}, has no field '
                f'"{name}"',
                subgraphs=sorted({*declaring, *implementing}),
                type_name=merged.name,
                field_name=name,
                hint=f'add "{name}" to "{merged.name}" in a subgraph implementing '
                f'"{interface_name}" (@shareable or @external as fits), or declare '
                f'"{merged.name}" in subgraph(s) {quote(declaring)} too',
            )
