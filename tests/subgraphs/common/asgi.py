"""One in-process HTTP request to an ASGI app (httpx is not a dependency)."""

from __future__ import annotations

import json as jsonlib
from typing import Any


async def call(
    app: Any,
    method: str,
    path: str,
    *,
    json: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    body = b"" if json is None else jsonlib.dumps(json).encode()
    header_list = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    if json is not None:
        header_list += [(b"content-type", b"application/json")]
    header_list += [(b"content-length", str(len(body)).encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": header_list,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, jsonlib.loads(b"".join(chunks))
