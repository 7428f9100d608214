"""A one-subgraph federation for end-to-end tests: a Strawberry subgraph and its supergraph,
composed by our composer."""

from __future__ import annotations

import strawberry
from strawberry.asgi import GraphQL

from gateway.composition import SubgraphInput, compose

SUBGRAPH_NAME = "hello"


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "world") -> str:
        return f"Hello, {name}!"

    @strawberry.field
    def fail(self) -> str | None:
        raise ValueError("fail always fails")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def shout(self, text: str) -> str:
        return text.upper()


def subgraph_app() -> GraphQL:
    schema = strawberry.federation.Schema(query=Query, mutation=Mutation)
    return GraphQL(schema)


def in_process_apps() -> dict[str, GraphQL]:
    """For `brand-matrix serve --in-process tests.gateway.tiny_federation:in_process_apps`."""
    return {SUBGRAPH_NAME: subgraph_app()}


def supergraph_sdl(subgraph_url: str = "http://127.0.0.1:9/graphql") -> str:
    """The composed supergraph; `subgraph_url` only matters without an in-process transport."""
    schema = strawberry.federation.Schema(query=Query, mutation=Mutation)
    result = compose([SubgraphInput(SUBGRAPH_NAME, subgraph_url, schema.as_str())])
    assert result.supergraph_sdl is not None, [str(e) for e in result.errors]
    return result.supergraph_sdl
