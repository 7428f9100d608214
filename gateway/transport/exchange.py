"""What every subgraph client shares: encoding, in-flight deduplication, decoding.

Identical query requests (same document, variables and forwarded headers) that are in flight
at the same time go to the subgraph once; every caller decodes its own copy of the answer,
because the executor merges into the objects it gets.
"""

from __future__ import annotations

import asyncio
from typing import Any

from gateway.transport.base import SubgraphRequest
from gateway.transport.encoding import JSON_HEADERS, decode_response, encode_request

InflightKey = tuple[bytes, tuple[tuple[str, str], ...]]


class ExchangeTransport:
    """Base of the concrete transports, which implement `_exchange` (one HTTP round trip)."""

    name: str

    def __init__(self, name: str) -> None:
        self.name = name
        self._inflight: dict[InflightKey, asyncio.Future[tuple[int, bytes]]] = {}
        self.shared_requests = 0  # answers served from another caller's in-flight request

    async def _exchange(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        raise NotImplementedError

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        body = encode_request(request)
        headers = {**JSON_HEADERS, **request.headers, **request.context_headers}
        if not request.deduplicate:
            status, payload = await self._exchange(body, headers)
            return decode_response(status, payload, self.name)
        key = (body, tuple(sorted(request.headers.items())))
        future = self._inflight.get(key)
        if future is None:
            future = asyncio.ensure_future(self._exchange(body, headers))
            self._inflight[key] = future
            future.add_done_callback(lambda _: self._inflight.pop(key, None))
        else:
            self.shared_requests += 1
        # A shared request carries the first caller's context headers (its trace, its id).
        # Shielded: one caller giving up must not cancel the answer the others wait for.
        status, payload = await asyncio.shield(future)
        return decode_response(status, payload, self.name)

    async def aclose(self) -> None:
        return None
