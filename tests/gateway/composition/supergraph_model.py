"""Two supergraphs compared up to ordering and formatting.

Both are loaded with the gateway's own loader and reduced to a normalized model: the API
schema (printed after a lexicographic sort), the specs linked besides link and join, the
directives applied to each element (tags, composed directives, ...) and, per type and field,
the subgraph
information the planner uses (keys, interface objects, extensions, implementations, union
members and enum values per subgraph; per field the subgraphs resolving it, external in it,
requires/provides field sets, per-subgraph types, override). Field sets are normalized by
parsing and printing them, so `id  sku` and `id sku` are the same key.
"""

from __future__ import annotations

import difflib
from typing import Any

from graphql import (
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    lexicographic_sort_schema,
    parse,
    print_ast,
    print_schema,
    value_from_ast_untyped,
)

from gateway.supergraph import load_supergraph
from gateway.supergraph.fieldset import FieldSet


def normalize_field_set(source: str | FieldSet | None) -> str | None:
    if source is None:
        return None
    text = source.source if isinstance(source, FieldSet) else source
    document = parse("{" + text + "}", no_location=True)
    selection_set = document.definitions[0].selection_set  # type: ignore[attr-defined]
    return " ".join(print_ast(selection_set).split())[2:-2]


def supergraph_model(sdl: str) -> dict[str, Any]:
    supergraph = load_supergraph(sdl)
    graph_names = {g.enum_value: g.name for g in supergraph.graphs.values()}
    model: dict[str, Any] = {
        "graphs": {g.name: g.url for g in supergraph.graphs.values()},
        "roots": [
            supergraph.query_type,
            supergraph.mutation_type,
            supergraph.subscription_type,
        ],
        "api_schema": print_schema(lexicographic_sort_schema(supergraph.api_schema)),
    }
    enum_values = _enum_values(sdl, graph_names)
    types: dict[str, Any] = {}
    for type_def in supergraph.types.values():
        entry: dict[str, Any] = {
            "kind": type_def.kind,
            "graphs": sorted(type_def.graphs),
            "keys": sorted(
                (k.graph, normalize_field_set(k.fields), k.resolvable) for k in type_def.keys
            ),
            "interface_object_in": sorted(type_def.interface_object_in),
            "extension_in": sorted(type_def.extension_in),
            "implements_in": {g: sorted(v) for g, v in sorted(type_def.implements_in.items())},
            "members_in": {g: sorted(v) for g, v in sorted(type_def.members_in.items())},
        }
        if type_def.kind == "enum":
            entry["values"] = enum_values.get(type_def.name, {})
        fields = {}
        for field_def in type_def.fields.values():
            fields[field_def.name] = {
                "resolvable_in": sorted(field_def.resolvable_in),
                "external_in": sorted(field_def.external_in),
                "requires": {
                    g: normalize_field_set(v) for g, v in sorted(field_def.requires.items())
                },
                "provides": {
                    g: normalize_field_set(v) for g, v in sorted(field_def.provides.items())
                },
                "types": sorted((j.graph or "", j.type) for j in field_def.joins if j.type),
                "override": sorted(
                    (j.graph or "", j.override or "", j.override_label or "", j.used_overridden)
                    for j in field_def.joins
                    if j.override or j.used_overridden or j.override_label
                ),
            }
        entry["fields"] = fields
        types[type_def.name] = entry
    model["types"] = types
    model["links"], model["applied_directives"] = _links_and_directives(sdl)
    return model


def _links_and_directives(sdl: str) -> tuple[list[str], dict[str, list[str]]]:
    """The specs linked besides link and join, and the directives applied to each schema
    element (coordinate -> printed directives) other than the `join__*` ones."""
    links: list[str] = []
    applied: dict[str, list[str]] = {}

    def record(coordinate: str, node: Any) -> None:
        printed = sorted(
            " ".join(print_ast(d).split())
            for d in node.directives or ()
            if not d.name.value.startswith("join__") and d.name.value != "link"
        )
        if printed:
            applied[coordinate] = printed

    for definition in parse(sdl, no_location=True).definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            for directive in definition.directives or ():
                for argument in directive.arguments or ():
                    if argument.name.value == "url":
                        url = str(value_from_ast_untyped(argument.value))
                        if "/link/v" not in url and "/join/v" not in url:
                            links.append(url)
            record("schema", definition)
            continue
        name = getattr(definition, "name", None)
        if name is None or name.value.startswith(("join__", "link__")):
            continue
        record(name.value, definition)
        for field_node in getattr(definition, "fields", None) or ():
            record(f"{name.value}.{field_node.name.value}", field_node)
            for argument_node in getattr(field_node, "arguments", None) or ():
                record(
                    f"{name.value}.{field_node.name.value}({argument_node.name.value}:)",
                    argument_node,
                )
        for value in getattr(definition, "values", None) or ():
            record(f"{name.value}.{value.name.value}", value)
    return sorted(links), applied


def _enum_values(sdl: str, graph_names: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    """enum -> value -> subgraphs (from `@join__enumValue`; [] when it names none)."""
    out: dict[str, dict[str, list[str]]] = {}
    for definition in parse(sdl, no_location=True).definitions:
        if not isinstance(definition, EnumTypeDefinitionNode | EnumTypeExtensionNode):
            continue
        values = out.setdefault(definition.name.value, {})
        for value in definition.values or ():
            graphs = []
            for directive in value.directives or ():
                if directive.name.value.endswith("__enumValue"):
                    for argument in directive.arguments or ():
                        if argument.name.value == "graph":
                            enum_value = str(value_from_ast_untyped(argument.value))
                            graphs.append(graph_names.get(enum_value, enum_value))
            values[value.name.value] = sorted(graphs)
    return out


def model_diff(ours: Any, reference: Any, path: str = "") -> list[str]:
    """Readable differences (empty when equal): `path: ours=... reference=...`."""
    out: list[str] = []
    if isinstance(ours, dict) and isinstance(reference, dict):
        for key in sorted(set(ours) | set(reference), key=str):
            where = f"{path}/{key}"
            if key not in ours:
                out.append(f"{where}: only in the reference: {_short(reference[key])}")
            elif key not in reference:
                out.append(f"{where}: only in ours: {_short(ours[key])}")
            else:
                out.extend(model_diff(ours[key], reference[key], where))
    elif ours != reference:
        if isinstance(ours, str) and isinstance(reference, str) and "\n" in ours + reference:
            lines = difflib.unified_diff(
                reference.splitlines(),
                ours.splitlines(),
                "reference",
                "ours",
                lineterm="",
            )
            out.append(f"{path}:\n" + "\n".join(lines))
        else:
            out.append(f"{path}: ours={ours!r} reference={reference!r}")
    return out


def supergraph_diff(ours_sdl: str, reference_sdl: str) -> list[str]:
    return model_diff(supergraph_model(ours_sdl), supergraph_model(reference_sdl))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
