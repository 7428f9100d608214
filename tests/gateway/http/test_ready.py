"""GET /ready: 200 with a report when the supergraph is loaded and every subgraph (every brand
partition) answers; 503 naming the failing one; probes cached (gateway/http/ready.py)."""

from __future__ import annotations

import socket

from gateway.http import create_app
from gateway.http.ready import Readiness
from gateway.partitions import PartitionedTransport, RoutingRules
from gateway.service import Gateway
from gateway.transport.aiohttp_client import AiohttpTransport
from gateway.transport.asgi import AsgiTransport
from tests.gateway.http.asgi_client import request
from tests.gateway.reload_federation import NAME, V2, app, supergraph


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/graphql"


async def test_ready_when_every_subgraph_answers() -> None:
    gateway = Gateway(supergraph(), {NAME: AsgiTransport(NAME, app())})
    readiness = Readiness(gateway, status=lambda: {"source": "test.graphql"})
    reply = await request(create_app(gateway, readiness=readiness), "GET", "/ready")
    assert reply.status == 200
    body = reply.json()
    assert body["status"] == "ready"
    assert body["supergraph"]["loaded"] and body["supergraph"]["source"] == "test.graphql"
    assert body["supergraph"]["sdlHash"] == gateway.state.sdl_hash
    assert body["subgraphs"][NAME]["ok"] is True
    assert reply.headers["cache-control"] == "no-store"
    await gateway.aclose()


async def test_unavailable_when_a_subgraph_is_down() -> None:
    gateway = Gateway(supergraph(url=closed_port_url()))
    readiness = Readiness(gateway, timeout=1.0)
    reply = await request(create_app(gateway, readiness=readiness), "GET", "/ready")
    assert reply.status == 503
    body = reply.json()
    assert body["status"] == "unavailable"
    assert body["subgraphs"][NAME]["ok"] is False
    assert "unreachable" in body["subgraphs"][NAME]["error"]
    await gateway.aclose()


async def test_probes_are_cached_and_redone_for_a_new_supergraph() -> None:
    gateway = Gateway(supergraph(), {NAME: AsgiTransport(NAME, app())})
    readiness = Readiness(gateway, cache=60)
    for _ in range(5):
        assert (await readiness.report())[0]
    assert readiness.probes == 1  # /ready is not a way to flood the subgraphs
    gateway.replace_supergraph(supergraph(V2))
    assert (await readiness.report())[0]
    assert readiness.probes == 2
    await gateway.aclose()


async def test_each_brand_partition_is_probed() -> None:
    partitions = {
        "lumen": AsgiTransport(f"{NAME}@lumen", app()),
        "vela": AiohttpTransport(f"{NAME}@vela", closed_port_url(), timeout=1),
    }
    transport = PartitionedTransport(NAME, partitions, RoutingRules())
    gateway = Gateway(supergraph(), {NAME: transport})
    ready, body = await Readiness(gateway).report()
    assert not ready
    assert body["subgraphs"][f"{NAME}@lumen"]["ok"] is True
    assert body["subgraphs"][f"{NAME}@vela"]["ok"] is False
    await gateway.aclose()


async def test_no_ready_route_unless_asked() -> None:
    gateway = Gateway(supergraph(), {NAME: AsgiTransport(NAME, app())})
    reply = await request(create_app(gateway), "GET", "/ready")
    assert reply.status == 404
    await gateway.aclose()
