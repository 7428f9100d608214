"""A minimal in-process HTTP client for ASGI apps (httpx is not a project dependency).

It speaks just enough ASGI for the tests: one request, its body in one or more chunks, and
the collected response. `run_lifespan` drives the app's startup and shutdown.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import orjson

ASGIApp = Any
_NO_JSON = object()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()


async def request(
    app: ASGIApp,
    method: str,
    path: str = "/graphql",
    *,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
    json: Any = _NO_JSON,
    chunks: list[bytes] | None = None,
    raw_query: bytes | None = None,
) -> Reply:
    """Send one request. `json` encodes a body and sets Content-Type: application/json;
    `chunks` sends the body in pieces with no Content-Length, as chunked uploads do;
    `raw_query` is the query string's bytes as sent, instead of `params`."""
    header_map = {k.lower(): v for k, v in (headers or {}).items()}
    if json is not _NO_JSON:
        body = orjson.dumps(json)
        header_map.setdefault("content-type", "application/json")
    if chunks is None:
        chunks = [body]
        if method in ("POST", "PUT", "PATCH"):
            header_map.setdefault("content-length", str(len(body)))
    query_string = urlencode(params or {}).encode() if raw_query is None else raw_query
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query_string,
        "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, v in header_map.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 4000),
    }
    pending = list(chunks)
    status = 0
    response_headers: dict[str, str] = {}
    parts: list[bytes] = []

    async def receive() -> dict[str, Any]:
        if pending:
            chunk = pending.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(pending)}
        await asyncio.Event().wait()  # the client stays connected until the app answers
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            for name, value in message.get("headers", []):
                response_headers[name.decode().lower()] = value.decode()
        elif message["type"] == "http.response.body":
            parts.append(message.get("body", b""))

    await asyncio.wait_for(app(scope, receive, send), timeout=10)
    return Reply(status, response_headers, b"".join(parts))


async def run_lifespan(app: ASGIApp) -> list[str]:
    """Start the app up and shut it down; returns the lifespan messages it sent."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    sent: list[str] = []
    await inbox.put({"type": "lifespan.startup"})

    async def receive() -> dict[str, Any]:
        return await inbox.get()

    async def send(message: dict[str, Any]) -> None:
        sent.append(message["type"])
        if message["type"] == "lifespan.startup.complete":
            await inbox.put({"type": "lifespan.shutdown"})

    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    await asyncio.wait_for(app(scope, receive, send), timeout=10)
    return sent
