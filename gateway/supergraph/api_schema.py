"""The API schema: the supergraph without federation machinery or @inaccessible elements.

This is the schema clients see, introspect and are validated against.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    GraphQLSchema,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    build_ast_schema,
    specified_directives,
)

from gateway.supergraph.links import LinkedSpecs
from gateway.supergraph.sdl_kinds import EXECUTABLE_LOCATIONS

_KEPT_DIRECTIVES = {d.name for d in specified_directives}


def _replace(node: Any, **changes: Any) -> Any:
    values = {key: getattr(node, key, None) for key in node.keys}
    values.update(changes)
    return node.__class__(**values)


def build_api_schema(document: DocumentNode, specs: LinkedSpecs) -> GraphQLSchema:
    inaccessible = specs.directive("inaccessible", "inaccessible")

    def hidden(node: Any) -> bool:
        return any(d.name.value == inaccessible for d in node.directives or ())

    removed_types = {
        d.name.value
        for d in document.definitions
        if isinstance(d, TypeDefinitionNode | TypeExtensionNode)
        and (specs.is_spec_element(d.name.value) or hidden(d))
    }
    kept_directive_defs = {
        d.name.value
        for d in document.definitions
        if isinstance(d, DirectiveDefinitionNode)
        and not specs.is_spec_element(d.name.value)
        and d.name.value not in ("link", "core")
        and any(loc.value in EXECUTABLE_LOCATIONS for loc in d.locations)
    }

    def clean_directives(node: Any) -> tuple[Any, ...]:
        # On type-system elements only the built-in directives (@deprecated, ...) remain.
        return tuple(d for d in node.directives or () if d.name.value in _KEPT_DIRECTIVES)

    def clean_args(args: Any) -> tuple[Any, ...]:
        return tuple(
            _replace(a, directives=clean_directives(a)) for a in args or () if not hidden(a)
        )

    definitions: list[Any] = []
    for definition in document.definitions:
        if isinstance(definition, DirectiveDefinitionNode):
            if definition.name.value in kept_directive_defs:
                locations = tuple(
                    loc for loc in definition.locations if loc.value in EXECUTABLE_LOCATIONS
                )
                definitions.append(
                    _replace(
                        definition, locations=locations, arguments=clean_args(definition.arguments)
                    )
                )
            continue
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            definitions.append(_replace(definition, directives=()))
            continue
        if not isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            continue
        if definition.name.value in removed_types:
            continue
        changes: dict[str, Any] = {"directives": clean_directives(definition)}
        if getattr(definition, "fields", None) is not None:
            fields = []
            for field in definition.fields:
                if hidden(field) or _named(field.type) in removed_types:
                    continue
                field_changes: dict[str, Any] = {"directives": clean_directives(field)}
                if getattr(field, "arguments", None) is not None:
                    field_changes["arguments"] = clean_args(field.arguments)
                fields.append(_replace(field, **field_changes))
            changes["fields"] = tuple(fields)
        if getattr(definition, "interfaces", None) is not None:
            changes["interfaces"] = tuple(
                i for i in definition.interfaces if i.name.value not in removed_types
            )
        if getattr(definition, "types", None) is not None:
            changes["types"] = tuple(
                t for t in definition.types if t.name.value not in removed_types
            )
        if getattr(definition, "values", None) is not None:
            changes["values"] = tuple(
                _replace(v, directives=clean_directives(v))
                for v in definition.values
                if not hidden(v)
            )
        definitions.append(_replace(definition, **changes))
    api_document = _replace(document, definitions=tuple(definitions))
    return build_ast_schema(api_document, assume_valid_sdl=True)


def _named(type_node: Any) -> str:
    while hasattr(type_node, "type"):
        type_node = type_node.type
    return type_node.name.value
