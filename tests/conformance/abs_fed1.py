"""A tiny Federation 1 subgraph server: graphql-core over raw ASGI, built from Fed1 SDL.

Strawberry only prints Federation 2 SDL (with `@link`), so Federation 1 style subgraphs
(`extend type X @key(fields: "id")` with `@external` key fields, no `@link`) are served here:
the SDL is what `_service { sdl }` returns; the executable schema turns extensions of types the
subgraph does not define into definitions and adds `_Any`, `_Entity`, `_entities` and
`_service`. Field values come from dicts (graphql-core's default resolver reads keys); extra
resolvers are given as `{"Type": {"field": resolver}}`, and `references` turns a
representation into a dict for its `__typename`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLSchema,
    GraphQLUnionType,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    build_ast_schema,
    graphql,
    parse,
)

_FEDERATION_DEFS = """
scalar _Any
scalar _FieldSet
directive @key(fields: _FieldSet!) repeatable on OBJECT | INTERFACE
directive @external on FIELD_DEFINITION
directive @requires(fields: _FieldSet!) on FIELD_DEFINITION
directive @provides(fields: _FieldSet!) on FIELD_DEFINITION
directive @extends on OBJECT | INTERFACE
type _Service { sdl: String }
"""

Resolver = Callable[..., Any]


class Fed1Subgraph:
    """ASGI app answering GraphQL POSTs (any path) for one Federation 1 subgraph."""

    def __init__(
        self,
        sdl: str,
        *,
        resolvers: Mapping[str, Mapping[str, Resolver]] | None = None,
        references: Mapping[str, Callable[[dict[str, Any]], dict[str, Any] | None]] | None = None,
    ) -> None:
        self.sdl = sdl
        self.references = dict(references or {})
        self.schema = self._build(sdl, resolvers or {})

    def _build(self, sdl: str, resolvers: Mapping[str, Mapping[str, Resolver]]) -> GraphQLSchema:
        document = parse(sdl)
        defined = {
            d.name.value for d in document.definitions if isinstance(d, ObjectTypeDefinitionNode)
        }
        definitions: list[Any] = []
        for node in document.definitions:
            if isinstance(node, ObjectTypeExtensionNode) and node.name.value not in defined:
                defined.add(node.name.value)
                node = ObjectTypeDefinitionNode(
                    name=node.name,
                    interfaces=node.interfaces,
                    directives=node.directives,
                    fields=node.fields,
                )
            definitions.append(node)
        entities = [
            d.name.value
            for d in definitions
            if isinstance(d, ObjectTypeDefinitionNode)
            and any(directive.name.value == "key" for directive in d.directives or ())
        ]
        extra = _FEDERATION_DEFS
        root_fields = "_service: _Service!"
        if entities:
            extra += f"union _Entity = {' | '.join(entities)}\n"
            root_fields = "_entities(representations: [_Any!]!): [_Entity]!\n" + root_fields
        extra += ("extend type Query" if "Query" in defined else "type Query") + (
            f" {{ {root_fields} }}"
        )
        full = DocumentNode(definitions=[*definitions, *parse(extra).definitions])
        schema = build_ast_schema(full, assume_valid_sdl=True)

        for type_name, fields in resolvers.items():
            graphql_type = schema.type_map[type_name]
            for field_name, resolver in fields.items():
                graphql_type.fields[field_name].resolve = resolver  # type: ignore[union-attr]
        query = schema.query_type
        assert query is not None
        query.fields["_service"].resolve = lambda *_: {"sdl": self.sdl}
        if entities:
            query.fields["_entities"].resolve = self._resolve_entities
            entity_union = schema.type_map["_Entity"]
            assert isinstance(entity_union, GraphQLUnionType)
            entity_union.resolve_type = lambda value, *_: value["__typename"]
        return schema

    def _resolve_entities(
        self, _root: Any, _info: Any, representations: list[dict[str, Any]]
    ) -> list[Any]:
        results: list[Any] = []
        for representation in representations:
            typename = representation["__typename"]
            value = self.references[typename](representation)
            results.append(None if value is None else {**value, "__typename": typename})
        return results

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        request = json.loads(body or b"{}")
        result = await graphql(
            self.schema,
            request.get("query") or "",
            variable_values=request.get("variables"),
            operation_name=request.get("operationName"),
        )
        payload = json.dumps(result.formatted).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
