"""AsgiTransport: subgraph requests to an ASGI app in the same process."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
import strawberry
from strawberry.asgi import GraphQL

from gateway.transport.asgi import AsgiTransport
from gateway.transport.base import SubgraphRequest, TransportError


class App:
    """A tiny ASGI app: records what it receives and answers with a scripted body."""

    def __init__(
        self,
        body: bytes | None = None,
        *,
        status: int = 200,
        delay: float = 0.0,
        crash: Exception | None = None,
    ) -> None:
        self.body = body if body is not None else orjson.dumps({"data": {"ok": True}})
        self.status = status
        self.delay = delay
        self.crash = crash
        self.calls: list[dict[str, Any]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        message = await receive()
        self.calls.append(
            {
                "method": scope["method"],
                "path": scope["path"],
                "headers": {k.decode(): v.decode() for k, v in scope["headers"]},
                "body": message.get("body", b""),
            }
        )
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.crash is not None:
            raise self.crash
        await send(
            {
                "type": "http.response.start",
                "status": self.status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": self.body})


async def test_success_and_what_the_app_receives() -> None:
    app = App()
    transport = AsgiTransport("shop", app)
    request = SubgraphRequest(
        "query($n: Int) { a(n: $n) }", {"n": 1}, "Op", {"authorization": "Bearer t"}
    )
    assert await transport.fetch(request) == {"data": {"ok": True}}
    (call,) = app.calls
    assert call["method"] == "POST"
    assert call["path"] == "/graphql"
    assert orjson.loads(call["body"]) == {
        "query": "query($n: Int) { a(n: $n) }",
        "variables": {"n": 1},
        "operationName": "Op",
    }
    assert call["headers"]["content-type"] == "application/json"
    assert call["headers"]["authorization"] == "Bearer t"
    assert call["headers"]["content-length"] == str(len(call["body"]))


async def test_custom_path() -> None:
    app = App()
    await AsgiTransport("shop", app, path="/shop/graphql").fetch(SubgraphRequest("{ a }"))
    assert app.calls[0]["path"] == "/shop/graphql"


async def test_graphql_errors_body_is_an_answer_whatever_the_status() -> None:
    body = orjson.dumps({"errors": [{"message": "bad"}]})
    result = await AsgiTransport("shop", App(body, status=400)).fetch(SubgraphRequest("{ a }"))
    assert result == {"errors": [{"message": "bad"}]}


@pytest.mark.parametrize(
    "body, status",
    [(b"<html>oops</html>", 502), (b"", 200), (b'{"unexpected": 1}', 200), (b"[1, 2]", 200)],
    ids=["html", "empty", "not-graphql", "array"],
)
async def test_body_that_is_not_a_graphql_response(body: bytes, status: int) -> None:
    with pytest.raises(TransportError) as raised:
        await AsgiTransport("shop", App(body, status=status)).fetch(SubgraphRequest("{ a }"))
    assert raised.value.code == "SUBREQUEST_HTTP_ERROR"
    assert "shop" in str(raised.value)


async def test_app_that_raises() -> None:
    app = App(crash=RuntimeError("database gone"))
    with pytest.raises(TransportError) as raised:
        await AsgiTransport("shop", app).fetch(SubgraphRequest("{ a }"))
    assert raised.value.code == "SUBREQUEST_HTTP_ERROR"
    assert "shop" in str(raised.value)


async def test_timeout() -> None:
    app = App(delay=5)
    transport = AsgiTransport("slow", app, timeout=0.05)
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(TransportError) as raised:
        await transport.fetch(SubgraphRequest("{ a }"))
    assert loop.time() - started < 2
    assert raised.value.code == "SUBREQUEST_TIMEOUT"
    assert "slow" in str(raised.value)


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "world") -> str:
        return f"Hello, {name}!"


async def test_strawberry_app() -> None:
    schema = strawberry.federation.Schema(query=Query, federation_version="2.3")
    transport = AsgiTransport("hello", GraphQL(schema))
    request = SubgraphRequest("query($n: String!) { hello(name: $n) }", {"n": "Ann"})
    assert await transport.fetch(request) == {"data": {"hello": "Hello, Ann!"}}
    sdl = await transport.fetch(SubgraphRequest("{ _service { sdl } }"))
    assert "hello" in sdl["data"]["_service"]["sdl"]
    await transport.aclose()
