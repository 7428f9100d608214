"""A Strawberry federation schema whose `_entities` behaves like @apollo/subgraph's.

The benchmark's reference subgraphs are built with @apollo/subgraph, so entity resolution
follows its rules rather than Strawberry's: an unknown `__typename` fails the whole field
with its message, an object type that is no entity fails just its item, and `None` from
`resolve_reference` is a null entity. Resolvers are looked up once per type name rather
than inspected per representation, which matters under load.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLError, GraphQLObjectType
from strawberry.federation.schema import FederationAny

ReferenceResolver = Callable[..., Any]


class SubgraphSchema(strawberry.federation.Schema):
    """Federation 2 schema; pass `types=` for entities not reachable from `Query`.

    Entities are called as `resolve_reference(**representation)`, `__typename` included,
    so they take their key fields as keyword arguments and swallow the rest.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("federation_version", "2.3")
        # Filled lazily: the GraphQL schema does not exist yet while the base class builds.
        self._reference_resolvers: dict[str, ReferenceResolver | None] = {}
        super().__init__(*args, **kwargs)

    def entities_resolver(self, representations: list[FederationAny]) -> list[FederationAny]:
        results: list[Any] = []
        for representation in representations:
            is_object = isinstance(representation, dict)
            type_name = representation.get("__typename") if is_object else None
            if not isinstance(type_name, str) or type_name not in self._reference_resolvers:
                self._find_reference_resolver(representation, type_name)
            resolver = self._reference_resolvers[type_name]  # type: ignore[index]
            if resolver is None:
                results.append(
                    GraphQLError(
                        f'Runtime Object type "{type_name}" is not a possible type for "_Entity".'
                    )
                )
            else:
                results.append(resolver(**representation))  # type: ignore[arg-type]
        return results  # type: ignore[return-value]

    def _find_reference_resolver(self, representation: object, type_name: object) -> None:
        """Remember the type's resolver (None for object types that are no entity), or raise."""
        graphql_type = self._schema.get_type(type_name) if isinstance(type_name, str) else None
        if not isinstance(graphql_type, GraphQLObjectType):
            # Raised, not returned: like @apollo/subgraph this fails the whole field.
            raise GraphQLError(
                "The _entities resolver tried to load an entity for type"
                f' "{_as_javascript_prints(representation, type_name)}", but no object or'
                " interface type of that name was found in the schema"
            )
        origin = self.schema_converter.type_map[graphql_type.name].definition.origin
        resolver = getattr(origin, "resolve_reference", None)
        entity_union = self._schema.get_type("_Entity")
        if resolver is None and graphql_type in getattr(entity_union, "types", ()):
            # @apollo/subgraph would hand the representation back; these subgraphs never
            # rely on that, so an entity without a resolver is a mistake in the schema.
            raise TypeError(f"entity {graphql_type.name} has no resolve_reference")
        self._reference_resolvers[graphql_type.name] = resolver


def _as_javascript_prints(representation: object, type_name: object) -> str:
    """The `__typename` as a JavaScript template string shows it (the reference's message)."""
    if type_name is None:
        has_key = isinstance(representation, dict) and "__typename" in representation
        return "null" if has_key else "undefined"
    return str(type_name)
