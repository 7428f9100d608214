"""Subgraphs read with Federation 2 semantics, as Apollo's schema upgrade does.

Key fields of an entity extension are marked @external although the subgraph can return
them. In Federation 1 every field may be resolved by several subgraphs (all are shareable)
and @external fields nothing uses are leftovers.
"""

from __future__ import annotations

from gateway.composition.subgraph import Subgraph
from gateway.supergraph.fieldset import FieldSet, FieldSetField, parse_field_set


def upgrade(subgraph: Subgraph) -> None:
    for sub_type in subgraph.types.values():
        if sub_type.extension:
            # Key fields of an entity extension are "external" only in name: the subgraph
            # receives them in every representation and can return them.
            key_fields = {name for key in sub_type.keys for name in _top_names(key.fields)}
            for name in key_fields & set(sub_type.fields):
                sub_type.fields[name].external = False
            # Federation 2 records extensions in the supergraph; Federation 1 `extend type`
            # is upgraded to a plain definition (only `@extends` stays an extension).
            if not subgraph.is_fed1:
                sub_type.extends_directive = True
    if not subgraph.is_fed1:
        return
    used = _used_field_names(subgraph) | _implementing_interface_fields(subgraph)
    for sub_type in subgraph.types.values():
        for name in list(sub_type.fields):
            sub_field = sub_type.fields[name]
            sub_field.shareable = True
            if sub_field.external and (sub_type.name, name) not in used:
                del sub_type.fields[name]


def _used_field_names(subgraph: Subgraph) -> set[tuple[str, str]]:
    """(type, field) pairs named by a @key, @requires or @provides of the subgraph."""
    used: set[tuple[str, str]] = set()
    types = subgraph.types

    def walk(type_name: str, field_set: FieldSet) -> None:
        for item in field_set.items:
            if isinstance(item, FieldSetField):
                used.add((type_name, item.name))
                sub_type = types.get(type_name)
                child = sub_type.fields.get(item.name) if sub_type else None
                if item.selections is not None and child is not None:
                    walk(_named(child.type), item.selections)
            else:
                walk(item.type_condition or type_name, item.selections)

    for sub_type in types.values():
        for key in sub_type.keys:
            walk(sub_type.name, _parse(key.fields))
        for sub_field in sub_type.fields.values():
            if sub_field.requires:
                walk(sub_type.name, _parse(sub_field.requires))
            if sub_field.provides:
                walk(_named(sub_field.type), _parse(sub_field.provides))
    return used


def _implementing_interface_fields(subgraph: Subgraph) -> set[tuple[str, str]]:
    """(type, field) pairs that implement a field of an interface of the subgraph (an
    @external field there is kept: it satisfies the interface)."""
    used: set[tuple[str, str]] = set()
    interfaces = {n: t for n, t in subgraph.types.items() if t.kind == "interface"}
    for sub_type in subgraph.types.values():
        for name in sub_type.interfaces:
            interface = interfaces.get(name)
            if interface is not None:
                used.update((sub_type.name, f) for f in interface.fields if f in sub_type.fields)
    return used


def _top_names(fields: str) -> set[str]:
    return {i.name for i in _parse(fields).items if isinstance(i, FieldSetField)}


def _parse(fields: str) -> FieldSet:
    try:
        return parse_field_set(fields)
    except Exception:  # invalid field sets are reported by the rules, not here
        return FieldSet(fields, ())


def _named(type_node: object) -> str:
    while hasattr(type_node, "type"):
        type_node = type_node.type  # type: ignore[attr-defined]
    return type_node.name.value  # type: ignore[attr-defined]
