"""A one-subgraph federation whose supergraph can change while the gateway runs (supergraph
reload tests) and that tells which process answered (`pid`: serve --workers tests)."""

from __future__ import annotations

import asyncio
import os

import strawberry
from strawberry.asgi import GraphQL

from gateway.composition import SubgraphInput, compose

NAME = "hello"
# The subgraph's SDL per supergraph version: v1 has `hello`, v2 has `extra` instead.
V1 = "type Query {\n  hello: String!\n  pid: Int!\n}\n"
V2 = "type Query {\n  extra: String!\n  pid: Int!\n}\n"


class Gate:
    """Holds `hello` until released: a request stays in flight while the test swaps."""

    entered: asyncio.Event | None = None
    release: asyncio.Event | None = None


@strawberry.type
class Query:
    @strawberry.field
    async def hello(self) -> str:
        if Gate.entered is not None and Gate.release is not None:
            Gate.entered.set()
            await Gate.release.wait()
        return "hello from v1"

    @strawberry.field
    def extra(self) -> str:
        return "extra from v2"

    @strawberry.field
    def pid(self) -> int:
        return os.getpid()


def app() -> GraphQL:
    return GraphQL(strawberry.federation.Schema(query=Query))


def in_process_apps() -> dict[str, GraphQL]:
    """For `brand-matrix serve --in-process tests.gateway.reload_federation:in_process_apps`."""
    return {NAME: app()}


def supergraph(sdl: str = V1, url: str = "http://127.0.0.1:9/graphql") -> str:
    result = compose([SubgraphInput(NAME, url, sdl)])
    assert result.supergraph_sdl is not None, [str(e) for e in result.errors]
    return result.supergraph_sdl
