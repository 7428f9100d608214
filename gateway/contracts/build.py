"""A contract's supergraph: the supergraph with `@inaccessible` on what the contract hides.

The join machinery stays whole, so the planner still reaches hidden fields it needs for keys
and `@requires`; only the API schema (what clients validate against and introspect) shrinks.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    ArgumentNode,
    ConstDirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumValueNode,
    GraphQLError,
    NameNode,
    SchemaDefinitionNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    parse,
    print_ast,
    print_schema,
    validate_schema,
)

from gateway.contracts.filter import Coordinate, hide, index_schema
from gateway.contracts.spec import ContractError, ContractSpec
from gateway.errors import SupergraphError
from gateway.supergraph import load_supergraph
from gateway.supergraph.links import read_links
from gateway.supergraph.model import Supergraph

INACCESSIBLE_URL = "https://specs.apollo.dev/inaccessible/v0.2"
INACCESSIBLE_DEFINITION = (
    "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | "
    "ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)


def contract_supergraph(supergraph_sdl: str, spec: ContractSpec) -> str:
    """The contract's supergraph SDL; ContractError when its API schema would be invalid."""
    return build_contract(supergraph_sdl, spec)[0]


def contract_api_sdl(supergraph_sdl: str, spec: ContractSpec) -> str:
    """The contract's client-facing schema, printed like schema/api.graphql."""
    schema = build_contract(supergraph_sdl, spec)[1].api_schema
    return print_schema(schema).rstrip("\n") + "\n"


def build_contract(supergraph_sdl: str, spec: ContractSpec) -> tuple[str, Supergraph]:
    """The contract's supergraph SDL and its loaded model (what the gateway serves)."""
    try:
        document = parse(supergraph_sdl)
    except GraphQLError as error:
        raise SupergraphError(f"supergraph SDL does not parse: {error.message}") from None
    specs = read_links(document)
    schema = index_schema(document, specs)
    hidden = hide(schema, spec.include_tags, spec.exclude_tags)
    query = schema.roots.get("query")
    if query is None or (query,) in hidden:
        raise ContractError(
            f"contract {spec.name!r}: no field of the {query or 'Query'} type is left "
            f"(include_tags {sorted(spec.include_tags)}, exclude_tags "
            f"{sorted(spec.exclude_tags)}); a schema needs at least one query field"
        )
    document = _mark(document, hidden, "inaccessible" in specs.versions, specs)
    sdl = print_ast(document) + "\n"
    try:
        supergraph = load_supergraph(sdl)
    except SupergraphError as error:
        raise ContractError(f"contract {spec.name!r}: {error}") from None
    problems = validate_schema(supergraph.api_schema)
    if problems:
        raise ContractError(
            f"contract {spec.name!r} does not give a valid API schema: {problems[0].message}"
        )
    return sdl, supergraph


def _mark(
    document: DocumentNode, hidden: set[Coordinate], linked: bool, specs: Any
) -> DocumentNode:
    directive_name = specs.directive("inaccessible", "inaccessible") if linked else "inaccessible"
    mark = ConstDirectiveNode(name=NameNode(value=directive_name), arguments=())

    def marked(node: Any, coordinate: Coordinate) -> Any:
        if coordinate not in hidden:
            return node
        names = {d.name.value for d in node.directives or ()}
        if directive_name in names:
            return node
        return _replace(node, directives=(*(node.directives or ()), mark))

    purpose = f"{specs.prefixes['link']}__Purpose"
    has_purpose = any(
        isinstance(d, EnumTypeDefinitionNode) and d.name.value == purpose
        for d in document.definitions
    )
    definitions: list[Any] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            link_name = specs.directive("link", "link")
            definitions.append(_schema(definition, hidden, linked, has_purpose, link_name))
            continue
        if not isinstance(definition, TypeDefinitionNode | TypeExtensionNode) or (
            specs.is_spec_element(definition.name.value)
        ):
            definitions.append(definition)
            continue
        name = definition.name.value
        changes: dict[str, Any] = {}
        if getattr(definition, "fields", None):
            fields = []
            for node in definition.fields:
                coordinate = (name, node.name.value)
                if getattr(node, "arguments", None):
                    args = tuple(marked(a, (*coordinate, a.name.value)) for a in node.arguments)
                    node = _replace(node, arguments=args)
                fields.append(marked(node, coordinate))
            changes["fields"] = tuple(fields)
        if getattr(definition, "values", None):
            changes["values"] = tuple(marked(v, (name, v.name.value)) for v in definition.values)
        definitions.append(marked(_replace(definition, **changes), (name,)))
    if not linked:
        definitions.append(parse(INACCESSIBLE_DEFINITION).definitions[0])
    return _replace(document, definitions=tuple(definitions))


def _schema(
    node: SchemaDefinitionNode,
    hidden: set[Coordinate],
    linked: bool,
    has_purpose: bool,
    link_name: str,
) -> SchemaDefinitionNode:
    # A hidden Mutation/Subscription type is no root of the API schema any more.
    roots = tuple(op for op in node.operation_types if (op.type.name.value,) not in hidden)
    directives = tuple(node.directives or ())
    if not linked:  # the contract needs the inaccessible spec even if the supergraph did not
        url = StringValueNode(value=INACCESSIBLE_URL)
        arguments = [ArgumentNode(name=NameNode(value="url"), value=url)]
        if has_purpose:
            arguments.append(
                ArgumentNode(name=NameNode(value="for"), value=EnumValueNode(value="SECURITY"))
            )
        link = ConstDirectiveNode(name=NameNode(value=link_name), arguments=tuple(arguments))
        directives = (*directives, link)
    return _replace(node, operation_types=roots, directives=directives)


def _replace(node: Any, **changes: Any) -> Any:
    values = {key: getattr(node, key, None) for key in node.keys}
    values.update(changes)
    return node.__class__(**values)
