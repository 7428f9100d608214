"""A small federation for the limits tests: a Strawberry subgraph with nested and list fields,
`@cost` and `@listSize`, composed in-process, and a transport that records every fetch."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.asgi import GraphQL
from strawberry.federation.schema_directives import Cost, ListSize

from gateway.composition import SubgraphInput, compose
from gateway.transport.asgi import AsgiTransport
from gateway.transport.base import SubgraphRequest

NAME = "catalog"


@strawberry.type
class Node:
    id: int

    @strawberry.field
    def child(self) -> Node:
        return Node(id=self.id + 1)

    @strawberry.field
    def label(self) -> str:
        return f"node {self.id}"


@strawberry.type
class Item:
    id: int
    price: int = strawberry.field(directives=[Cost(weight=3)])


@strawberry.type
class Edge:
    node: Item


@strawberry.type
class Connection:
    edges: list[Edge]


@strawberry.input
class Filter:
    text: str = strawberry.field(directives=[Cost(weight=7)])


@strawberry.type
class Query:
    @strawberry.field
    def node(self) -> Node:
        return Node(id=1)

    @strawberry.field
    def hello(self) -> str:
        return "hi"

    @strawberry.field
    def tags(self) -> list[str]:
        return ["a", "b"]

    @strawberry.field(directives=[ListSize(assumed_size=5)])
    def items(self) -> list[Item]:
        return [Item(id=i, price=i) for i in range(5)]

    @strawberry.field(directives=[ListSize(slicing_arguments=["first"])])
    def page(self, first: int | None = None) -> list[Item]:
        return [Item(id=i, price=i) for i in range(first or 0)]

    @strawberry.field(
        directives=[
            ListSize(slicing_arguments=["first"], sized_fields=["edges"],
                     require_one_slicing_argument=False)
        ]
    )  # fmt: skip
    def connection(self, first: int = 4) -> Connection:
        return Connection([Edge(Item(id=i, price=i)) for i in range(first)])

    @strawberry.field(directives=[Cost(weight=50)])
    def expensive(self) -> int:
        return 1

    @strawberry.field
    def search(
        self,
        limit: Annotated[int | None, strawberry.argument(directives=[Cost(weight=20)])] = None,
        filter: Filter | None = None,
    ) -> int:
        return 0


def schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(query=Query)


def subgraph_app() -> GraphQL:
    return GraphQL(schema())


def supergraph_sdl() -> str:
    result = compose([SubgraphInput(NAME, "http://127.0.0.1:9/graphql", schema().as_str())])
    assert result.supergraph_sdl is not None, [str(e) for e in result.errors]
    return result.supergraph_sdl


class RecordingTransport:
    """An in-process subgraph that remembers what the gateway fetched."""

    def __init__(self) -> None:
        self.inner = AsgiTransport(NAME, subgraph_app())
        self.requests: list[SubgraphRequest] = []

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        self.requests.append(request)
        return await self.inner.fetch(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def in_process_apps() -> dict[str, GraphQL]:
    """For `[gateway] in_process = "tests.gateway.limits.federation:in_process_apps"`."""
    return {NAME: subgraph_app()}
