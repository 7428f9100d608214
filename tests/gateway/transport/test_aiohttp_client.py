"""AiohttpTransport: subgraph requests over HTTP to a real server on a loopback port."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from aiohttp import web

from gateway.transport.aiohttp_client import AiohttpTransport
from gateway.transport.base import SubgraphRequest, TransportError


class Server:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.runner: web.AppRunner | None = None
        self.port = 0

    def url(self, path: str = "/graphql") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def graphql(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.calls.append({"headers": headers, "body": orjson.loads(body)})
        return web.Response(
            body=orjson.dumps({"data": {"echo": orjson.loads(body)["query"]}}),
            content_type="application/json",
        )

    async def broken(self, request: web.Request) -> web.Response:
        return web.Response(status=502, text="<html>bad gateway</html>", content_type="text/html")

    async def errors(self, request: web.Request) -> web.Response:
        return web.json_response({"errors": [{"message": "nope"}]}, status=400)

    async def slow(self, request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.json_response({"data": {}})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/graphql", self.graphql)
        app.router.add_post("/broken", self.broken)
        app.router.add_post("/errors", self.errors)
        app.router.add_post("/slow", self.slow)
        self.runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = self.runner.addresses[0][1]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    server = Server()
    await server.start()
    yield server
    await server.stop()


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_success(server: Server) -> None:
    transport = AiohttpTransport("shop", server.url())
    try:
        request = SubgraphRequest("{ a }", {"n": 1}, None, {"authorization": "Bearer t"})
        assert await transport.fetch(request) == {"data": {"echo": "{ a }"}}
    finally:
        await transport.aclose()
    (call,) = server.calls
    assert call["body"] == {"query": "{ a }", "variables": {"n": 1}}
    assert call["headers"]["authorization"] == "Bearer t"
    assert call["headers"]["content-type"].startswith("application/json")


async def test_connection_reused_and_reopened_after_aclose(server: Server) -> None:
    transport = AiohttpTransport("shop", server.url())
    try:
        for _ in range(3):
            await transport.fetch(SubgraphRequest("{ a }"))
        await transport.aclose()
        assert await transport.fetch(SubgraphRequest("{ b }")) == {"data": {"echo": "{ b }"}}
    finally:
        await transport.aclose()
    assert len(server.calls) == 4


async def test_graphql_error_body_with_4xx_is_an_answer(server: Server) -> None:
    transport = AiohttpTransport("shop", server.url("/errors"))
    try:
        assert await transport.fetch(SubgraphRequest("{ a }")) == {"errors": [{"message": "nope"}]}
    finally:
        await transport.aclose()


async def test_non_json_answer(server: Server) -> None:
    transport = AiohttpTransport("shop", server.url("/broken"))
    try:
        with pytest.raises(TransportError) as raised:
            await transport.fetch(SubgraphRequest("{ a }"))
    finally:
        await transport.aclose()
    assert raised.value.code == "SUBREQUEST_HTTP_ERROR"
    assert "502" in str(raised.value)


async def test_unknown_path_404(server: Server) -> None:
    transport = AiohttpTransport("shop", server.url("/missing"))
    try:
        with pytest.raises(TransportError):
            await transport.fetch(SubgraphRequest("{ a }"))
    finally:
        await transport.aclose()


async def test_closed_port() -> None:
    transport = AiohttpTransport("shop", f"http://127.0.0.1:{closed_port()}/graphql")
    try:
        with pytest.raises(TransportError) as raised:
            await transport.fetch(SubgraphRequest("{ a }"))
    finally:
        await transport.aclose()
    assert raised.value.code == "SUBREQUEST_HTTP_ERROR"
    assert "shop" in str(raised.value)


async def test_timeout(server: Server) -> None:
    transport = AiohttpTransport("slow", server.url("/slow"), timeout=0.1)
    try:
        with pytest.raises(TransportError) as raised:
            await transport.fetch(SubgraphRequest("{ a }"))
    finally:
        await transport.aclose()
    assert raised.value.code == "SUBREQUEST_TIMEOUT"
    assert "slow" in str(raised.value)
