"""Subgraph answers recorded once from the benchmark subgraphs, replayed without I/O.

Replaying isolates the gateway's own work (planning, building representations, merging,
projecting) from the subgraphs and the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from bench.subgraphs import subgraph_apps
from gateway.service import Gateway, GraphQLRequest
from gateway.transport.asgi import AsgiTransport
from gateway.transport.base import SubgraphRequest
from gateway.transport.encoding import decode_response, encode_request

DATA = Path(__file__).resolve().parent.parent / "data"
SUPERGRAPH = (DATA / "supergraph.graphql").read_text(encoding="utf-8")
QUERY = (DATA / "query.graphql").read_text(encoding="utf-8")
EXPECTED = orjson.loads((DATA / "expected-response.json").read_bytes())


class RecordingTransport(AsgiTransport):
    def __init__(self, name: str, app: Any, answers: dict[bytes, bytes]) -> None:
        super().__init__(name, app)
        self.answers = answers

    async def _exchange(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        status, payload = await super()._exchange(body, headers)
        self.answers[body] = payload
        return status, payload


class ReplayTransport:
    """Answers each request with the recorded bytes, decoded afresh (the executor mutates)."""

    def __init__(self, name: str, answers: dict[bytes, bytes]) -> None:
        self.name = name
        self.answers = answers

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        return decode_response(200, self.answers[encode_request(request)], self.name)

    async def aclose(self) -> None:
        return None


async def record() -> dict[str, dict[bytes, bytes]]:
    """Run the benchmark query once against the in-process subgraphs, keeping every answer."""
    answers: dict[str, dict[bytes, bytes]] = {}
    transports = {}
    for name, app in subgraph_apps().items():
        answers[name] = {}
        transports[name] = RecordingTransport(name, app, answers[name])
    gateway = Gateway(SUPERGRAPH, transports)
    response = await gateway.execute(GraphQLRequest(QUERY))
    await gateway.aclose()
    if response.body != EXPECTED:
        raise RuntimeError("the benchmark subgraphs no longer give the expected response")
    return answers


def replay_gateway(answers: dict[str, dict[bytes, bytes]]) -> Gateway:
    return Gateway(SUPERGRAPH, {name: ReplayTransport(name, a) for name, a in answers.items()})
