"""Each subgraph's SDL is what the benchmark's supergraph says about that subgraph.

Without Node there is no composition to run, so the supergraph's join directives are read
back into per-subgraph expectations (fields, types, arguments, keys, @external, @requires,
@provides) and compared with the Strawberry schemas.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import (
    ConstValueNode,
    DirectiveNode,
    EnumValueNode,
    ObjectTypeDefinitionNode,
    StringValueNode,
    parse,
    print_ast,
)

from bench.subgraphs import accounts, inventory, products, reviews

SUPERGRAPH = Path(__file__).parents[2] / "bench" / "data" / "supergraph.graphql"
SCHEMAS = {"accounts": accounts, "inventory": inventory, "products": products, "reviews": reviews}
# Added by every federation subgraph; the supergraph does not list them.
FEDERATION_TYPES = {"_Service"}
FEDERATION_FIELDS = {"_entities", "_service"}

Shape = dict[str, dict[str, Any]]


def arguments(directive: DirectiveNode) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for argument in directive.arguments or ():
        value: ConstValueNode = argument.value  # type: ignore[assignment]
        if isinstance(value, StringValueNode | EnumValueNode):
            values[argument.name.value] = value.value
        else:
            values[argument.name.value] = print_ast(value)
    return values


def object_types(sdl: str) -> list[ObjectTypeDefinitionNode]:
    return [d for d in parse(sdl).definitions if isinstance(d, ObjectTypeDefinitionNode)]


def field_signature(field: Any) -> str:
    args = ", ".join(print_ast(argument) for argument in field.arguments or ())
    return f"({args}): {print_ast(field.type)}" if args else f": {print_ast(field.type)}"


def expected_shapes() -> dict[str, Shape]:
    """Per subgraph: type -> keys and fields with their federation directives."""
    document = parse(SUPERGRAPH.read_text())
    graphs: dict[str, str] = {}
    for definition in document.definitions:
        if getattr(definition, "name", None) and definition.name.value == "join__Graph":  # type: ignore[attr-defined]
            for value in definition.values:  # type: ignore[attr-defined]
                graphs[value.name.value] = arguments(value.directives[0])["name"]
    shapes: dict[str, Shape] = {name: {} for name in graphs.values()}
    for type_node in object_types(SUPERGRAPH.read_text()):
        type_name = type_node.name.value
        in_graphs = []
        for directive in type_node.directives or ():
            if directive.name.value == "join__type":
                values = arguments(directive)
                graph = graphs[values["graph"]]
                shape = shapes[graph].setdefault(type_name, {"keys": [], "fields": {}})
                if "key" in values:
                    shape["keys"].append(values["key"])
                in_graphs.append(graph)
        for field in type_node.fields:
            joins = [arguments(d) for d in field.directives or () if d.name.value == "join__field"]
            for join in joins or [{"graph": None}]:
                for graph in [graphs[join["graph"]]] if join["graph"] else in_graphs:
                    shapes[graph][type_name]["fields"][field.name.value] = {
                        "signature": field_signature(field),
                        "external": join.get("external") == "true",
                        "requires": join.get("requires"),
                        "provides": join.get("provides"),
                    }
    return shapes


def subgraph_shape(sdl: str) -> Shape:
    shape: Shape = {}
    for type_node in object_types(sdl):
        if type_node.name.value in FEDERATION_TYPES:
            continue
        keys = [arguments(d)["fields"] for d in type_node.directives or () if d.name.value == "key"]
        fields = {}
        for field in type_node.fields:
            if field.name.value in FEDERATION_FIELDS:
                continue
            field_directives = {d.name.value: arguments(d) for d in field.directives or ()}
            fields[field.name.value] = {
                "signature": field_signature(field),
                "external": "external" in field_directives,
                "requires": field_directives.get("requires", {}).get("fields"),
                "provides": field_directives.get("provides", {}).get("fields"),
            }
        shape[type_node.name.value] = {"keys": keys, "fields": fields}
    return shape


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_subgraph_matches_supergraph(name: str) -> None:
    assert subgraph_shape(SCHEMAS[name].schema.as_str()) == expected_shapes()[name]


def test_supergraph_names_the_four_subgraphs() -> None:
    assert set(expected_shapes()) == set(SCHEMAS)


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_subgraphs_declare_federation_2(name: str) -> None:
    sdl = SCHEMAS[name].schema.as_str()
    assert sdl.startswith('schema @link(url: "https://specs.apollo.dev/federation/v2.')
