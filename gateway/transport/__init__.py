"""Subgraph clients: aiohttp over the network, in-process ASGI for dev and tests."""

from gateway.transport.base import SubgraphRequest, SubgraphTransport, TransportError

__all__ = ["SubgraphRequest", "SubgraphTransport", "TransportError"]
