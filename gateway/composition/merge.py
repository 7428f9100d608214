"""Merging the subgraphs' types into the supergraph's, recording which subgraph has what.

The merged model keeps, for every type, field, enum value and union member, the subgraphs
that declare it and how (key, external, requires, ...). The printer turns it into `join__*`
directives; the rules in `rules/` check it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import ListTypeNode, NonNullTypeNode, TypeNode, print_ast

from gateway.composition.errors import Issues
from gateway.composition.subgraph import (
    SubArgument,
    SubEnumValue,
    SubField,
    Subgraph,
    SubType,
)

ROOT_TYPES = ("Query", "Mutation", "Subscription")


@dataclass(slots=True)
class MergedArgument:
    name: str
    type: TypeNode
    default: object
    description: str | None
    per_graph: dict[str, SubArgument] = field(default_factory=dict)
    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    deprecated: object = None


@dataclass(slots=True)
class MergedField:
    name: str
    type: TypeNode
    description: str | None = None
    per_graph: dict[str, SubField] = field(default_factory=dict)
    arguments: dict[str, MergedArgument] = field(default_factory=dict)
    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    deprecated: object = None
    default: object = None  # input fields
    types_differ: bool = False
    # Graphs that resolve this field for an implementation through an @interfaceObject.
    via_interface_object: bool = False


@dataclass(slots=True)
class MergedEnumValue:
    name: str
    description: str | None = None
    graphs: list[str] = field(default_factory=list)
    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    deprecated: object = None


@dataclass(slots=True)
class MergedType:
    name: str
    kind: str
    description: str | None = None
    per_graph: dict[str, SubType] = field(default_factory=dict)
    fields: dict[str, MergedField] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, MergedEnumValue] = field(default_factory=dict)
    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    specified_by: object = None


@dataclass(slots=True)
class MergedSchema:
    subgraphs: dict[str, Subgraph]  # by name, in composition order
    types: dict[str, MergedType]


def named(type_node: TypeNode) -> str:
    while isinstance(type_node, NonNullTypeNode | ListTypeNode):
        type_node = type_node.type
    return type_node.name.value  # type: ignore[attr-defined]


def merge(subgraphs: list[Subgraph], issues: Issues) -> MergedSchema:
    schema = MergedSchema({s.name: s for s in subgraphs}, {})
    for subgraph in subgraphs:
        for sub_type in subgraph.types.values():
            _merge_type(schema, subgraph, sub_type, issues)
    enum_usage = _enum_usage(subgraphs)
    for merged in schema.types.values():
        if merged.kind in ("object", "interface"):
            for merged_field in merged.fields.values():
                _merge_field_type(schema, merged, merged_field, issues, output=True)
                _merge_arguments(schema, merged, merged_field, issues)
        elif merged.kind == "input":
            _merge_input_fields(schema, merged, issues)
        elif merged.kind == "enum":
            _merge_enum(schema, merged, enum_usage.get(merged.name, set()), issues)
    _add_interface_object_fields(schema)
    return schema


def _merge_type(
    schema: MergedSchema, subgraph: Subgraph, sub_type: SubType, issues: Issues
) -> None:
    merged = schema.types.get(sub_type.name)
    kind = "interface" if sub_type.interface_object else sub_type.kind
    if merged is None:
        merged = MergedType(sub_type.name, kind)
        schema.types[sub_type.name] = merged
    elif merged.kind != kind:
        others = [g for g in merged.per_graph]
        issues.error(
            "TYPE_KIND_MISMATCH",
            f'Type "{sub_type.name}" has mismatched kind: it is defined as '
            f"{_article(merged.kind)} in subgraph(s) {_names(others)} but "
            f'{_article(kind)} in subgraph "{subgraph.name}"',
            subgraphs=[*others, subgraph.name],
            type_name=sub_type.name,
            hint="declare the type with the same kind (object, interface, union, enum, "
            "input or scalar) in every subgraph, or rename one of them",
        )
        return
    merged.per_graph[subgraph.name] = sub_type
    if merged.description is None:
        merged.description = sub_type.description
    merged.inaccessible = merged.inaccessible or sub_type.inaccessible
    _extend_unique(merged.tags, sub_type.tags)
    if merged.specified_by is None:
        merged.specified_by = sub_type.specified_by
    if kind in ("object", "interface"):
        _extend_unique(merged.interfaces, sub_type.interfaces)
    _extend_unique(merged.members, sub_type.members)
    for value in sub_type.values.values():
        merged_value = merged.values.get(value.name)
        if merged_value is None:
            merged_value = MergedEnumValue(value.name, value.description)
            merged.values[value.name] = merged_value
        _add_value(merged_value, subgraph.name, value)
    for sub_field in sub_type.fields.values():
        merged_field = merged.fields.get(sub_field.name)
        if merged_field is None:
            merged_field = MergedField(sub_field.name, sub_field.type, sub_field.description)
            merged.fields[sub_field.name] = merged_field
        merged_field.per_graph[subgraph.name] = sub_field
        if merged_field.description is None:
            merged_field.description = sub_field.description
        merged_field.inaccessible = merged_field.inaccessible or sub_field.inaccessible
        _extend_unique(merged_field.tags, sub_field.tags)
        if merged_field.deprecated is None:
            merged_field.deprecated = sub_field.deprecated


def _add_value(merged: MergedEnumValue, graph: str, value: SubEnumValue) -> None:
    merged.graphs.append(graph)
    if merged.description is None:
        merged.description = value.description
    merged.inaccessible = merged.inaccessible or value.inaccessible
    _extend_unique(merged.tags, value.tags)
    if merged.deprecated is None:
        merged.deprecated = value.deprecated


def _merge_field_type(
    schema: MergedSchema, parent: MergedType, merged: MergedField, issues: Issues, *, output: bool
) -> None:
    """Output fields take the most general of the subgraphs' types (nullable wins, an
    interface over its implementation); input fields and arguments the most restrictive."""
    result: TypeNode | None = None
    resolving = [f for f in merged.per_graph.values() if not (output and f.external)]
    for sub_field in resolving or list(merged.per_graph.values()):
        candidate = sub_field.type
        if result is None:
            result = candidate
            continue
        combined = _combine(schema, result, candidate, output=output)
        if combined is None:
            _type_mismatch(parent, merged, issues)
            return
        result = combined
    assert result is not None
    merged.type = result
    printed = print_ast(result)
    merged.types_differ = any(print_ast(f.type) != printed for f in merged.per_graph.values())


def _type_mismatch(parent: MergedType, merged: MergedField, issues: Issues) -> None:
    detail = ", ".join(
        f'"{print_ast(f.type)}" in subgraph "{g}"' for g, f in merged.per_graph.items()
    )
    issues.error(
        "FIELD_TYPE_MISMATCH",
        f'Type of field "{parent.name}.{merged.name}" is incompatible across subgraphs: '
        f"it has type {detail}",
        subgraphs=list(merged.per_graph),
        type_name=parent.name,
        field_name=merged.name,
        hint="give the field the same type in every subgraph (nullability may differ, and "
        "an output field may use an implementation of an interface)",
    )


def _combine(schema: MergedSchema, a: TypeNode, b: TypeNode, *, output: bool) -> TypeNode | None:
    """The merged type of two compatible type references, or None when incompatible."""
    a_non_null, b_non_null = isinstance(a, NonNullTypeNode), isinstance(b, NonNullTypeNode)
    inner_a = a.type if a_non_null else a  # type: ignore[union-attr]
    inner_b = b.type if b_non_null else b  # type: ignore[union-attr]
    if isinstance(inner_a, ListTypeNode) != isinstance(inner_b, ListTypeNode):
        return None
    if isinstance(inner_a, ListTypeNode):
        item = _combine(schema, inner_a.type, inner_b.type, output=output)  # type: ignore[union-attr]
        if item is None:
            return None
        combined: TypeNode = ListTypeNode(type=item)
    else:
        name_a, name_b = inner_a.name.value, inner_b.name.value  # type: ignore[union-attr]
        if name_a == name_b or (output and _is_subtype(schema, name_b, name_a)):
            combined = inner_a
        elif output and _is_subtype(schema, name_a, name_b):
            combined = inner_b
        else:
            return None
    keep_non_null = (a_non_null and b_non_null) if output else (a_non_null or b_non_null)
    return NonNullTypeNode(type=combined) if keep_non_null else combined  # type: ignore[arg-type]


def _is_subtype(schema: MergedSchema, name: str, of: str) -> bool:
    """Whether object/interface `name` implements `of`, or is a member of union `of`."""
    parent = schema.types.get(of)
    child = schema.types.get(name)
    if parent is None or child is None:
        return False
    if parent.kind == "union":
        return name in parent.members
    return of in child.interfaces


def _merge_arguments(
    schema: MergedSchema, parent: MergedType, merged: MergedField, issues: Issues
) -> None:
    resolving = {g: f for g, f in merged.per_graph.items() if not f.external}
    sources = resolving or merged.per_graph
    names: list[str] = []
    for sub_field in sources.values():
        _extend_unique(names, list(sub_field.arguments))
    for name in names:
        present = {g: f.arguments[name] for g, f in sources.items() if name in f.arguments}
        missing = [g for g in sources if g not in present]
        if missing:
            required = [g for g, a in present.items() if _is_required(a)]
            if required:
                issues.error(
                    "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
                    f'Argument "{parent.name}.{merged.name}({name}:)" is required in '
                    f"subgraph(s) {_names(required)} but missing in subgraph(s) "
                    f"{_names(missing)}",
                    subgraphs=[*required, *missing],
                    type_name=parent.name,
                    field_name=merged.name,
                    hint="declare the argument in every subgraph that defines the field, "
                    "or make it optional",
                )
            else:
                issues.hint(
                    "INCONSISTENT_ARGUMENT_PRESENCE",
                    f'Optional argument "{parent.name}.{merged.name}({name}:)" is not in '
                    f"every subgraph defining the field; it is left out of the supergraph",
                    subgraphs=missing,
                    type_name=parent.name,
                    field_name=merged.name,
                )
            continue
        first = next(iter(present.values()))
        result: TypeNode | None = first.type
        for argument in present.values():
            result = _combine(schema, result, argument.type, output=False) if result else None
        if result is None:
            issues.error(
                "FIELD_ARGUMENT_TYPE_MISMATCH",
                f'Type of argument "{parent.name}.{merged.name}({name}:)" is incompatible '
                "across subgraphs: "
                + ", ".join(f'"{print_ast(a.type)}" in "{g}"' for g, a in present.items()),
                subgraphs=list(present),
                type_name=parent.name,
                field_name=merged.name,
                hint="give the argument the same type in every subgraph",
            )
            continue
        default, incompatible = _merge_default([a.default for a in present.values()])
        if incompatible:
            issues.error(
                "FIELD_ARGUMENT_DEFAULT_MISMATCH",
                f'Argument "{parent.name}.{merged.name}({name}:)" has incompatible default '
                "values across subgraphs: it has "
                + ", ".join(
                    (f"default value {print_ast(a.default)}" if a.default else "no default")
                    + f' in subgraph "{g}"'
                    for g, a in present.items()
                ),
                subgraphs=list(present),
                type_name=parent.name,
                field_name=merged.name,
                hint="use the same default value (or none) in every subgraph",
            )
        merged_argument = MergedArgument(name, result, default, first.description)
        merged_argument.per_graph = present
        for argument in present.values():
            merged_argument.inaccessible = merged_argument.inaccessible or argument.inaccessible
            _extend_unique(merged_argument.tags, argument.tags)
            if merged_argument.description is None:
                merged_argument.description = argument.description
            if merged_argument.deprecated is None:
                merged_argument.deprecated = argument.deprecated
        merged.arguments[name] = merged_argument


def _merge_input_fields(schema: MergedSchema, merged: MergedType, issues: Issues) -> None:
    """Input objects keep only the fields every subgraph has (a client may send any of them)."""
    graphs = list(merged.per_graph)
    for name in list(merged.fields):
        input_field = merged.fields[name]
        missing = [g for g in graphs if g not in input_field.per_graph]
        if missing:
            required = [g for g, f in input_field.per_graph.items() if _is_required_field(f)]
            if required:
                issues.error(
                    "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
                    f'Input object field "{merged.name}.{name}" is required in subgraph(s) '
                    f"{_names(required)} but missing in subgraph(s) {_names(missing)}",
                    subgraphs=[*required, *missing],
                    type_name=merged.name,
                    field_name=name,
                    hint="declare the field in every subgraph that defines the input type, "
                    "or make it optional",
                )
            else:
                issues.hint(
                    "INCONSISTENT_INPUT_OBJECT_FIELD",
                    f'Input object field "{merged.name}.{name}" is not in every subgraph '
                    "defining the type; it is left out of the supergraph",
                    subgraphs=missing,
                    type_name=merged.name,
                    field_name=name,
                )
            del merged.fields[name]
            continue
        _merge_field_type(schema, merged, input_field, issues, output=False)
        # Differing defaults are reported by rules/inputs.py (INPUT_FIELD_DEFAULT_MISMATCH).
        default, _incompatible = _merge_default([f.default for f in input_field.per_graph.values()])
        input_field.default = default
    if not merged.fields:
        issues.error(
            "EMPTY_MERGED_INPUT_TYPE",
            f'None of the fields of input object type "{merged.name}" are consistently '
            f"defined in all the subgraphs defining that type ({_names(graphs)})",
            subgraphs=graphs,
            type_name=merged.name,
            hint="define at least one field of the input type in every subgraph using it",
        )


def _merge_default(defaults: list[object]) -> tuple[object, bool]:
    """(the merged default value node or None, whether two given defaults differ).

    As in Apollo's composition: a default given in only some subgraphs is left out of the
    supergraph; two different given defaults are an error."""
    given = [d for d in defaults if d is not None]
    printed = {print_ast(d) for d in given}  # type: ignore[arg-type]
    if len(printed) > 1:
        return given[0], True
    if len(given) < len(defaults):
        return None, False
    return (given[0] if given else None), False


def _enum_usage(subgraphs: list[Subgraph]) -> dict[str, set[str]]:
    """Whether each enum is used in input positions, output positions, or both."""
    usage: dict[str, set[str]] = {}
    for subgraph in subgraphs:
        for sub_type in subgraph.types.values():
            for sub_field in sub_type.fields.values():
                position = "input" if sub_type.kind == "input" else "output"
                usage.setdefault(named(sub_field.type), set()).add(position)
                for argument in sub_field.arguments.values():
                    usage.setdefault(named(argument.type), set()).add("input")
    return usage


def _merge_enum(schema: MergedSchema, merged: MergedType, usage: set[str], issues: Issues) -> None:
    graphs = list(merged.per_graph)
    partial = {n: v for n, v in merged.values.items() if len(v.graphs) < len(graphs)}
    if not partial:
        return
    if "input" in usage and "output" in usage:
        for name, value in partial.items():
            missing = [g for g in graphs if g not in value.graphs]
            issues.error(
                "ENUM_VALUE_MISMATCH",
                f'Enum type "{merged.name}" is used as both input type and output type, '
                f'but value "{name}" is not defined in all the subgraphs defining '
                f'"{merged.name}": it is defined in {_names(value.graphs)} but not in '
                f"{_names(missing)}",
                subgraphs=[*value.graphs, *missing],
                type_name=merged.name,
                hint="an enum used for both arguments and results must have the same values "
                "in every subgraph",
            )
    elif "input" in usage:
        for name in partial:
            del merged.values[name]
        if not merged.values:
            issues.error(
                "EMPTY_MERGED_ENUM_TYPE",
                f'None of the values of enum type "{merged.name}" are defined consistently '
                f"in all the subgraphs defining that type ({_names(graphs)})",
                subgraphs=graphs,
                type_name=merged.name,
                hint="an enum used only in inputs keeps the values common to all subgraphs",
            )


def _add_interface_object_fields(schema: MergedSchema) -> None:
    """Fields an @interfaceObject adds to an interface exist on every implementation too."""
    for interface in schema.types.values():
        if interface.kind != "interface":
            continue
        object_graphs = {g for g, t in interface.per_graph.items() if t.interface_object}
        if not object_graphs:
            continue
        for implementation in schema.types.values():
            if implementation.kind != "object" or interface.name not in implementation.interfaces:
                continue
            for name, interface_field in interface.fields.items():
                if name in implementation.fields:
                    continue
                if not set(interface_field.per_graph) & object_graphs:
                    continue
                added = MergedField(name, interface_field.type, interface_field.description)
                added.arguments = dict(interface_field.arguments)
                added.via_interface_object = True
                implementation.fields[name] = added


def _is_required(argument: SubArgument) -> bool:
    return isinstance(argument.type, NonNullTypeNode) and argument.default is None


def _is_required_field(sub_field: SubField) -> bool:
    return isinstance(sub_field.type, NonNullTypeNode) and sub_field.default is None


def _extend_unique(target: list[str], items: list[str]) -> None:
    for item in items:
        if item not in target:
            target.append(item)


def _names(graphs: list[str]) -> str:
    return ", ".join(f'"{g}"' for g in graphs)


def _article(kind: str) -> str:
    return {
        "object": "an object type",
        "interface": "an interface type",
        "union": "a union type",
        "enum": "an enum type",
        "input": "an input object type",
        "scalar": "a scalar type",
    }[kind]
