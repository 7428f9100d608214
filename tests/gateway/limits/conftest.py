from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from starlette.applications import Starlette

from gateway.http import create_app
from gateway.limits import Limits
from gateway.service import Gateway
from tests.gateway.http.asgi_client import Reply, request
from tests.gateway.limits.federation import NAME, RecordingTransport, supergraph_sdl

GRAPHQL_JSON = "application/graphql-response+json"
_SDL = supergraph_sdl()


class Served:
    """The HTTP app of a gateway with `limits` over the recording subgraph."""

    def __init__(self, limits: Limits | None) -> None:
        self.subgraph = RecordingTransport()
        self.gateway = Gateway(_SDL, {NAME: self.subgraph}, limits=limits)
        self.app: Starlette = create_app(self.gateway)

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> Reply:
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        return await request(self.app, "POST", json=payload, headers={"Accept": GRAPHQL_JSON})

    async def refused(self, query: str, code: str, variables: dict[str, Any] | None = None) -> dict:
        """Asserts a 400 with `code` and that nothing reached the subgraph; the error."""
        before = len(self.subgraph.requests)
        reply = await self.post(query, variables)
        assert reply.status == 400, reply.json()
        body = reply.json()
        assert "data" not in body
        assert code in [e["extensions"]["code"] for e in body["errors"]], body
        assert len(self.subgraph.requests) == before, "nothing may be fetched"
        return next(e for e in body["errors"] if e["extensions"]["code"] == code)

    async def ok(self, query: str, variables: dict[str, Any] | None = None) -> dict:
        reply = await self.post(query, variables)
        assert reply.status == 200, reply.json()
        body = reply.json()
        assert "errors" not in body, body
        return body["data"]  # type: ignore[no-any-return]


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Served]]:
    made: list[Served] = []

    def make(**limits: Any) -> Served:
        served = Served(Limits(**limits))
        made.append(served)
        return served

    yield make
    for served in made:
        await served.gateway.aclose()
