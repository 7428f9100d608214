"""Supergraph hot reload: atomic swaps under load, bad supergraphs refused, file and
polling-compose sources (gateway/supergraph_reload.py, Gateway.replace_supergraph)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest
from aiohttp import web

from gateway.composition.sources import SubgraphSource
from gateway.errors import SupergraphError
from gateway.service import Gateway, GraphQLRequest
from gateway.supergraph_reload import (
    ComposeSource,
    FileSource,
    SupergraphReloader,
    UrlSource,
)
from gateway.transport.aiohttp_client import AiohttpTransport
from gateway.transport.asgi import AsgiTransport
from tests.gateway.reload_federation import NAME, V1, V2, Gate, app, supergraph


def in_process_gateway(sdl: str) -> Gateway:
    return Gateway(sdl, {NAME: AsgiTransport(NAME, app())})


async def ask(gateway: Gateway, query: str) -> dict:
    return (await gateway.execute(GraphQLRequest(query))).body


async def test_in_flight_request_finishes_on_the_old_supergraph() -> None:
    gateway = in_process_gateway(supergraph(V1))
    Gate.entered, Gate.release = asyncio.Event(), asyncio.Event()
    try:
        in_flight = asyncio.create_task(ask(gateway, "{ hello }"))
        await asyncio.wait_for(Gate.entered.wait(), 5)  # the request is inside the subgraph
        old = gateway.state
        gateway.replace_supergraph(supergraph(V2))
        assert gateway.state is not old and old.active == 1
        # New requests see the new supergraph at once...
        assert await ask(gateway, "{ extra }") == {"data": {"extra": "extra from v2"}}
        assert "errors" in await ask(gateway, "{ hello }")  # no longer in the API schema
        # ...while the one in flight completes on the plan it started with.
        Gate.release.set()
        assert await in_flight == {"data": {"hello": "hello from v1"}}
        assert old.active == 0
    finally:
        Gate.entered = Gate.release = None
        await gateway.aclose()


async def test_bad_supergraph_changes_nothing() -> None:
    gateway = in_process_gateway(supergraph(V1))
    before = gateway.state
    with pytest.raises(SupergraphError):
        gateway.replace_supergraph("type Query { a: Int }")
    assert gateway.state is before
    assert await ask(gateway, "{ hello }") == {"data": {"hello": "hello from v1"}}
    await gateway.aclose()


async def test_transports_kept_for_unchanged_urls_and_retired_otherwise() -> None:
    gateway = Gateway(supergraph(V1, "http://127.0.0.1:9/a"))
    first = gateway.transports[NAME]
    gateway.replace_supergraph(supergraph(V2, "http://127.0.0.1:9/a"))
    assert gateway.transports[NAME] is first  # same URL: warm pool kept
    gateway.replace_supergraph(supergraph(V1, "http://127.0.0.1:9/b"))
    second = gateway.transports[NAME]
    assert second is not first and isinstance(second, AiohttpTransport)
    assert second.url == "http://127.0.0.1:9/b"
    await asyncio.sleep(0.1)  # the old state is idle: its dropped transport gets closed
    assert not gateway._retiring
    await gateway.aclose()


async def test_file_source_reload_and_bad_file_keeps_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(supergraph(V1))
    gateway = in_process_gateway(path.read_text())
    lines: list[str] = []
    reloader = SupergraphReloader(gateway, FileSource(path), interval=0.01, report=lines.append)
    assert not await reloader.check()  # same content as served: nothing to do
    path.write_text("type Query {")  # a bad file (e.g. half written)
    assert not await reloader.check()
    assert await ask(gateway, "{ hello }") == {"data": {"hello": "hello from v1"}}
    assert len(lines) == 1 and "previous one keeps serving" in lines[0]
    assert reloader.last_error is not None
    path.write_text("type Query {")
    assert not await reloader.check()
    assert len(lines) == 1  # the same bad supergraph is reported once
    path.write_text(supergraph(V2))
    assert await reloader.check()
    assert await ask(gateway, "{ extra }") == {"data": {"extra": "extra from v2"}}
    assert reloader.reloads == 1 and reloader.last_error is None
    path.unlink()
    assert not await reloader.check()
    assert "cannot read" in lines[-1]
    await gateway.aclose()


async def test_reloader_task_swaps_in_the_background(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(supergraph(V1))
    gateway = in_process_gateway(path.read_text())
    reloader = SupergraphReloader(gateway, FileSource(path), interval=0.01, report=lambda _: None)
    await reloader.start()
    try:
        path.write_text(supergraph(V2))
        for _ in range(300):
            if reloader.reloads:
                break
            await asyncio.sleep(0.01)
        assert await ask(gateway, "{ extra }") == {"data": {"extra": "extra from v2"}}
    finally:
        await reloader.stop()
        await gateway.aclose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveSubgraph:
    """An HTTP subgraph whose `_service { sdl }` the test changes; also serves a supergraph."""

    def __init__(self) -> None:
        self.sdl = V1
        self.supergraph = supergraph(V1)
        self.url = ""

    async def graphql(self, request: web.Request) -> web.Response:
        body = orjson.dumps({"data": {"_service": {"sdl": self.sdl}}})
        return web.Response(body=body, content_type="application/json")

    async def supergraph_file(self, request: web.Request) -> web.Response:
        return web.Response(text=self.supergraph)


@pytest.fixture
async def live() -> AsyncIterator[LiveSubgraph]:
    subgraph = LiveSubgraph()
    server = web.Application()
    server.router.add_post("/graphql", subgraph.graphql)
    server.router.add_get("/supergraph", subgraph.supergraph_file)
    runner = web.AppRunner(server)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    subgraph.url = f"http://127.0.0.1:{port}"
    yield subgraph
    await runner.cleanup()


async def test_polling_compose_picks_up_a_changed_subgraph(live: LiveSubgraph) -> None:
    url = f"{live.url}/graphql"
    source = ComposeSource([SubgraphSource(NAME, url, "test", introspect_url=url)])
    first = await source.poll()
    assert first is not None
    gateway = in_process_gateway(first)
    lines: list[str] = []
    reloader = SupergraphReloader(gateway, source, interval=0.01, report=lines.append)
    assert not await reloader.check()  # unchanged inputs: not even composed again
    live.sdl = "type Query { extra: String! pid: Int! extra: Int }"  # does not compose
    assert not await reloader.check()
    assert "composition failed" in lines[-1] or "not reloaded" in lines[-1]
    assert await ask(gateway, "{ hello }") == {"data": {"hello": "hello from v1"}}
    live.sdl = V2
    assert await reloader.check()
    assert await ask(gateway, "{ extra }") == {"data": {"extra": "extra from v2"}}
    await gateway.aclose()


async def test_url_source(live: LiveSubgraph) -> None:
    gateway = in_process_gateway(live.supergraph)
    reloader = SupergraphReloader(
        gateway, UrlSource(f"{live.url}/supergraph"), report=lambda _: None
    )
    assert not await reloader.check()
    live.supergraph = supergraph(V2)
    assert await reloader.check()
    assert await ask(gateway, "{ extra }") == {"data": {"extra": "extra from v2"}}
    missing = SupergraphReloader(gateway, UrlSource(f"{live.url}/nope"), report=lambda _: None)
    assert not await missing.check()
    assert "HTTP 404" in (missing.last_error or "")
    await gateway.aclose()
