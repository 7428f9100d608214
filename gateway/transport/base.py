"""The contract every subgraph client fulfils."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class SubgraphRequest:
    """One GraphQL request the gateway sends to a subgraph."""

    query: str
    variables: Mapping[str, Any] | None = None
    operation_name: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    # Queries may share an identical in-flight request; mutations never do.
    deduplicate: bool = False
    # Sent but not part of the request's identity (request id, W3C trace context): per-client
    # values here must not stop identical in-flight fetches of different clients being shared.
    context_headers: Mapping[str, str] = field(default_factory=dict)


class TransportError(Exception):
    """The subgraph could not be reached or did not answer with a GraphQL response."""

    def __init__(self, message: str, *, code: str = "SUBREQUEST_HTTP_ERROR") -> None:
        super().__init__(message)
        self.code = code


class SubgraphTransport(Protocol):
    """Sends a request to one subgraph and returns its decoded GraphQL response."""

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        """Return the response body (`data`/`errors`); raise TransportError on failure."""
        ...

    async def aclose(self) -> None:
        """Release pooled connections."""
        ...
