"""A stand-in for gateway.service.Gateway with scripted answers, for HTTP-layer tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gateway.service import GatewayResponse, GraphQLRequest


@dataclass
class Call:
    request: GraphQLRequest
    allow_mutations: bool
    headers: Mapping[str, str] | None


class FakeGateway:
    """Answers every request with `response`, or raises `error`; records each call."""

    def __init__(
        self, response: GatewayResponse | None = None, *, error: Exception | None = None
    ) -> None:
        self.response = response or GatewayResponse({"data": {"hello": "world"}})
        self.error = error
        self.calls: list[Call] = []
        self.closed = False

    async def execute(
        self,
        request: GraphQLRequest,
        *,
        allow_mutations: bool = True,
        headers: Mapping[str, str] | None = None,
        client_ip: str | None = None,
    ) -> GatewayResponse:
        self.calls.append(Call(request, allow_mutations, headers))
        if self.error is not None:
            raise self.error
        return self.response

    async def aclose(self) -> None:
        self.closed = True
