"""Which elements of a supergraph a contract hides: its tag filter, then the cleanup that
keeps the result a valid API schema.

The rules (Apollo's contract semantics; where Apollo reports an error for an inconsistent
tagging, we hide the dependent element instead, which is always a valid narrowing):

1. Tags. A field of an object or interface type also carries its type's tags.
   - `exclude_tags`: any element (type of any kind, field, argument, enum value, input
     field) carrying an excluded tag is hidden.
   - `include_tags` (when not empty): an object or interface type stays when it carries an
     included tag or one of its fields does; its fields stay only when they carry one
     (their own or the type's). A union stays only when it carries one. Enums, scalars,
     input types, arguments, enum values and input fields are not filtered by inclusion:
     they stay unless excluded, or unreachable (step 3).
2. Consequences, repeated until nothing changes: a field, argument or input field whose
   type is hidden is hidden; a hidden required argument hides its field, a hidden required
   input field its input type; an object or interface type without fields, a union without
   members, an enum without values and an input type without fields are hidden; an
   interface field is hidden when an implementation (still visible) hides it.
3. Types unreachable from the root types (through visible fields, arguments, input fields,
   union members, interfaces and their implementations) are hidden.
A hidden Mutation or Subscription type drops that root; a hidden Query is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    NonNullTypeNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    value_from_ast_untyped,
)

from gateway.supergraph.links import LinkedSpecs
from gateway.supergraph.loader import named_type
from gateway.supergraph.sdl_kinds import EXECUTABLE_LOCATIONS, TYPE_KINDS

Coordinate = tuple[str, ...]  # (type,), (type, field), (type, field, argument), ...


@dataclass(slots=True)
class _Input:
    """An argument or an input field."""

    type_name: str
    required: bool
    tags: frozenset[str]


@dataclass(slots=True)
class _Field:
    type_name: str
    tags: frozenset[str]
    args: dict[str, _Input] = field(default_factory=dict)


@dataclass(slots=True)
class _Type:
    name: str
    kind: str
    tags: set[str] = field(default_factory=set)
    fields: dict[str, _Field] = field(default_factory=dict)  # object / interface
    inputs: dict[str, _Input] = field(default_factory=dict)  # input object
    values: dict[str, frozenset[str]] = field(default_factory=dict)  # enum value -> tags
    members: list[str] = field(default_factory=list)  # union
    interfaces: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Schema:
    """The supergraph's client-facing elements with their tags and what is already hidden."""

    types: dict[str, _Type]
    roots: dict[str, str]  # operation -> root type name
    hidden: set[Coordinate]
    directive_arg_types: set[str]  # types used by executable directives' arguments


def index_schema(document: DocumentNode, specs: LinkedSpecs) -> Schema:
    tag = specs.directive("tag", "tag") if "tag" in specs.versions else None
    inaccessible = specs.directive("inaccessible", "inaccessible")

    def tags(node: Any) -> frozenset[str]:
        found = set()
        for directive in node.directives or ():
            if directive.name.value == tag:
                for arg in directive.arguments or ():
                    if arg.name.value == "name":
                        found.add(str(value_from_ast_untyped(arg.value)))
        return frozenset(found)

    def is_hidden(node: Any) -> bool:
        return any(d.name.value == inaccessible for d in node.directives or ())

    def input_of(node: Any) -> _Input:
        required = isinstance(node.type, NonNullTypeNode) and node.default_value is None
        return _Input(named_type(node.type), required, tags(node))

    types: dict[str, _Type] = {}
    hidden: set[Coordinate] = set()
    roots = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
    directive_arg_types: set[str] = set()
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            roots = {op.operation.value: op.type.name.value for op in definition.operation_types}
            continue
        if isinstance(definition, DirectiveDefinitionNode):
            if not specs.is_spec_element(definition.name.value) and any(
                loc.value in EXECUTABLE_LOCATIONS for loc in definition.locations
            ):
                directive_arg_types.update(named_type(a.type) for a in definition.arguments or ())
            continue
        if not isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            continue
        name = definition.name.value
        if specs.is_spec_element(name):
            continue
        entry = types.setdefault(name, _Type(name, TYPE_KINDS[type(definition)]))
        entry.tags |= tags(definition)
        if is_hidden(definition):
            hidden.add((name,))
        entry.interfaces.extend(i.name.value for i in getattr(definition, "interfaces", None) or ())
        entry.members.extend(t.name.value for t in getattr(definition, "types", None) or ())
        for value in getattr(definition, "values", None) or ():
            entry.values[value.name.value] = tags(value)
            if is_hidden(value):
                hidden.add((name, value.name.value))
        for node in getattr(definition, "fields", None) or ():
            coordinate = (name, node.name.value)
            if is_hidden(node):
                hidden.add(coordinate)
            if entry.kind == "input":
                entry.inputs[node.name.value] = input_of(node)
                continue
            entry.fields[node.name.value] = _Field(named_type(node.type), tags(node))
            for arg in node.arguments or ():
                entry.fields[node.name.value].args[arg.name.value] = input_of(arg)
                if is_hidden(arg):
                    hidden.add((*coordinate, arg.name.value))
    roots = {op: t for op, t in roots.items() if t in types}
    return Schema(types, roots, hidden, directive_arg_types)


def hide(schema: Schema, include: frozenset[str], exclude: frozenset[str]) -> set[Coordinate]:
    """The coordinates a contract with these tags hides (including those hidden already)."""
    hidden = set(schema.hidden)
    _filter_by_tags(schema, include, exclude, hidden)
    while True:
        _settle(schema, hidden)
        unreachable = [(t,) for t in schema.types if t not in _reachable(schema, hidden)]
        if not set(unreachable) - hidden:
            return hidden
        hidden.update(unreachable)


def _filter_by_tags(
    schema: Schema, include: frozenset[str], exclude: frozenset[str], hidden: set[Coordinate]
) -> None:
    for name, entry in schema.types.items():
        if entry.tags & exclude:
            hidden.add((name,))
        if include and entry.kind in ("object", "interface"):
            if not (entry.tags & include or any(f.tags & include for f in entry.fields.values())):
                hidden.add((name,))
        elif include and entry.kind == "union" and not entry.tags & include:
            hidden.add((name,))
        for field_name, field_def in entry.fields.items():
            tags = field_def.tags | entry.tags
            if tags & exclude or (include and not tags & include):
                hidden.add((name, field_name))
            for arg_name, arg in field_def.args.items():
                if arg.tags & exclude:
                    hidden.add((name, field_name, arg_name))
        for input_name, input_field in entry.inputs.items():
            if input_field.tags & exclude:
                hidden.add((name, input_name))
        for value, tags in entry.values.items():
            if tags & exclude:
                hidden.add((name, value))


def _settle(schema: Schema, hidden: set[Coordinate]) -> None:
    """Step 2 of the rules, to a fixed point."""
    types = schema.types

    def gone(type_name: str) -> bool:
        return (type_name,) in hidden

    changed = True
    while changed:
        before = len(hidden)
        for name, entry in types.items():
            if gone(name):
                continue
            for field_name, field_def in entry.fields.items():
                coordinate = (name, field_name)
                if coordinate in hidden:
                    continue
                if gone(field_def.type_name):
                    hidden.add(coordinate)
                for arg_name, arg in field_def.args.items():
                    arg_coordinate = (*coordinate, arg_name)
                    if gone(arg.type_name):
                        hidden.add(arg_coordinate)
                    if arg_coordinate in hidden and arg.required:
                        hidden.add(coordinate)  # not callable without it
            for input_name, input_field in entry.inputs.items():
                coordinate = (name, input_name)
                if gone(input_field.type_name):
                    hidden.add(coordinate)
                if coordinate in hidden and input_field.required:
                    hidden.add((name,))  # no value of the type can be written
            if entry.kind == "interface":
                _hide_interface_fields(schema, entry, hidden)
            if _empty(entry, hidden, gone):
                hidden.add((name,))
        changed = len(hidden) != before


def _hide_interface_fields(schema: Schema, interface: _Type, hidden: set[Coordinate]) -> None:
    implementations = [
        t
        for t in schema.types.values()
        if interface.name in t.interfaces and (t.name,) not in hidden
    ]
    for field_name, field_def in interface.fields.items():
        coordinate = (interface.name, field_name)
        if coordinate in hidden:
            continue
        for implementation in implementations:
            if (implementation.name, field_name) in hidden:
                hidden.add(coordinate)
                break
            for arg_name, arg in field_def.args.items():
                if (implementation.name, field_name, arg_name) in hidden:
                    hidden.add(coordinate if arg.required else (*coordinate, arg_name))


def _empty(entry: _Type, hidden: set[Coordinate], gone: Any) -> bool:
    if entry.kind in ("object", "interface"):
        return all((entry.name, f) in hidden for f in entry.fields)
    if entry.kind == "input":
        return all((entry.name, f) in hidden for f in entry.inputs)
    if entry.kind == "enum":
        return all((entry.name, v) in hidden for v in entry.values)
    if entry.kind == "union":
        return all(gone(m) for m in entry.members)
    return False


def _reachable(schema: Schema, hidden: set[Coordinate]) -> set[str]:
    types = schema.types
    implementations: dict[str, list[str]] = {}
    for entry in types.values():
        for interface in entry.interfaces:
            implementations.setdefault(interface, []).append(entry.name)
    seen: set[str] = set()
    pending = [*schema.roots.values(), *schema.directive_arg_types]
    while pending:
        name = pending.pop()
        if name in seen or name not in types or (name,) in hidden:
            continue
        seen.add(name)
        entry = types[name]
        pending.extend(entry.interfaces)
        pending.extend(entry.members)
        pending.extend(implementations.get(name, ()))
        for field_name, field_def in entry.fields.items():
            if (name, field_name) in hidden:
                continue
            pending.append(field_def.type_name)
            pending.extend(
                a.type_name
                for a_name, a in field_def.args.items()
                if (name, field_name, a_name) not in hidden
            )
        pending.extend(
            f.type_name for f_name, f in entry.inputs.items() if (name, f_name) not in hidden
        )
    return seen
