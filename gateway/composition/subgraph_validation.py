"""A subgraph's SDL checked as a GraphQL schema (Apollo reports failures as INVALID_GRAPHQL).

The SDL is validated as graphql-core validates SDL (unknown types and directives, bad
directive arguments or locations, duplicate names, ...) and then as a schema (interface
implementations, union members, input and output positions, ...), with what federation adds
to every subgraph: the federation directives under the names the subgraph gives them, their
argument types, `_Any`/`_Service`/`_Entity`; Federation 1 extensions of types the subgraph
never defines are read as definitions. A subgraph without a query root is fine.
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLError,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    TypeDefinitionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    build_ast_schema,
    parse,
    validate_schema,
)
from graphql.validation.validate import validate_sdl

_EVERYWHERE = (
    "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | "
    "ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)
_ACCESS = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"
# Canonical federation directive -> its definition, `{}` standing for the local name.
_DIRECTIVES = {
    "key": "directive @{}(fields: federation__FieldSet!, resolvable: Boolean = true) "
    "repeatable on OBJECT | INTERFACE",
    "requires": "directive @{}(fields: federation__FieldSet!) on FIELD_DEFINITION",
    "provides": "directive @{}(fields: federation__FieldSet!) on FIELD_DEFINITION",
    "external": "directive @{}(reason: String) on OBJECT | FIELD_DEFINITION",
    "shareable": "directive @{} repeatable on OBJECT | FIELD_DEFINITION",
    "override": "directive @{}(from: String!, label: String) on FIELD_DEFINITION",
    "inaccessible": "directive @{} on " + _EVERYWHERE,
    "tag": "directive @{}(name: String!) repeatable on " + _EVERYWHERE + " | SCHEMA",
    "extends": "directive @{} on OBJECT | INTERFACE",
    "interfaceObject": "directive @{} on OBJECT",
    "composeDirective": "directive @{}(name: String!) repeatable on SCHEMA",
    "authenticated": "directive @{} on " + _ACCESS,
    "requiresScopes": "directive @{}(scopes: [[federation__Scope!]!]!) on " + _ACCESS,
    "policy": "directive @{}(policies: [[federation__Policy!]!]!) on " + _ACCESS,
    "cost": "directive @{}(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | "
    "INPUT_FIELD_DEFINITION | OBJECT | SCALAR",
    "listSize": "directive @{}(assumedSize: Int, slicingArguments: [String!], "
    "sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION",
    "context": "directive @{}(name: String!) repeatable on INTERFACE | OBJECT | UNION",
    "fromContext": "directive @{}(field: federation__ContextFieldValue) on ARGUMENT_DEFINITION",
}
_LINK = (
    "directive @link(url: String!, as: String, for: link__Purpose, import: [link__Import]) "
    "repeatable on SCHEMA"
)
_TYPES = {
    "federation__FieldSet": "scalar federation__FieldSet",
    "federation__Scope": "scalar federation__Scope",
    "federation__Policy": "scalar federation__Policy",
    "federation__ContextFieldValue": "scalar federation__ContextFieldValue",
    "FieldSet": "scalar FieldSet",
    "_FieldSet": "scalar _FieldSet",
    "link__Import": "scalar link__Import",
    "link__Purpose": "enum link__Purpose { SECURITY EXECUTION }",
    "_Any": "scalar _Any",
    "_Entity": "scalar _Entity",
    "_Service": "type _Service { sdl: String }",
}
_AS_DEFINITION: dict[type, type] = {
    ObjectTypeExtensionNode: ObjectTypeDefinitionNode,
    InterfaceTypeExtensionNode: InterfaceTypeDefinitionNode,
    UnionTypeExtensionNode: UnionTypeDefinitionNode,
    EnumTypeExtensionNode: EnumTypeDefinitionNode,
    InputObjectTypeExtensionNode: InputObjectTypeDefinitionNode,
    ScalarTypeExtensionNode: ScalarTypeDefinitionNode,
}
# Problems graphql-core reports that a subgraph may have.
_ACCEPTED = ("Query root type must be provided.",)


def graphql_errors(document: DocumentNode, federation_names: dict[str, str]) -> list[str]:
    """The messages of what makes the subgraph an invalid GraphQL schema (empty if valid).

    `federation_names`: local directive name -> canonical federation directive name."""
    defined_types = {
        d.name.value for d in document.definitions if isinstance(d, TypeDefinitionNode)
    }
    defined_directives = {
        d.name.value
        for d in document.definitions
        if d.kind == "directive_definition"  # type: ignore[attr-defined]
    }
    definitions = list(_definitions_for_extensions(document, defined_types))
    prelude = [
        _DIRECTIVES[canonical].format(local)
        for local, canonical in federation_names.items()
        if local not in defined_directives and canonical in _DIRECTIVES
    ]
    if "link" not in defined_directives:
        prelude.append(_LINK)
    prelude.extend(sdl for name, sdl in _TYPES.items() if name not in defined_types)
    full = DocumentNode(definitions=(*definitions, *parse("\n".join(prelude)).definitions))
    errors: list[GraphQLError] = list(validate_sdl(full))
    if not errors:
        try:
            schema = build_ast_schema(full, assume_valid_sdl=True)
        except (GraphQLError, TypeError) as error:
            return [str(error)]
        errors = list(validate_schema(schema))
    return [e.message for e in errors if e.message not in _ACCEPTED]


def _definitions_for_extensions(document: DocumentNode, defined: set[str]) -> list[object]:
    """The document with the first extension of each never-defined type made a definition."""
    out: list[object] = []
    converted: set[str] = set()
    for node in document.definitions:
        definition_class = _AS_DEFINITION.get(type(node))
        name = getattr(getattr(node, "name", None), "value", None)
        if definition_class is not None and name not in defined and name not in converted:
            converted.add(name)  # type: ignore[arg-type]
            attributes = {k: getattr(node, k) for k in node.keys if k != "loc"}
            node = definition_class(**attributes, description=None)
        out.append(node)
    return out
