"""In-process subgraph client: calls an ASGI app directly, no sockets (dev and tests)."""

from __future__ import annotations

import asyncio
from typing import Any

from gateway.transport.base import TransportError
from gateway.transport.exchange import ExchangeTransport

ASGIApp = Any


class AsgiTransport(ExchangeTransport):
    def __init__(
        self, name: str, app: ASGIApp, *, path: str = "/graphql", timeout: float = 30.0
    ) -> None:
        super().__init__(name)
        self.app = app
        self.path = path
        self.timeout = timeout

    async def _exchange(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        try:
            return await asyncio.wait_for(self._call(body, headers), self.timeout)
        except TimeoutError:
            raise TransportError(
                f"subgraph '{self.name}' did not answer within {self.timeout:g}s",
                code="SUBREQUEST_TIMEOUT",
            ) from None
        except TransportError:
            raise
        except Exception as error:  # the app crashed: that is the subgraph failing, not us
            raise TransportError(f"subgraph '{self.name}' failed: {error}") from None

    async def _call(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        headers = {**headers, "content-length": str(len(body))}
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": self.path,
            "raw_path": self.path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "client": ("127.0.0.1", 0),
            "server": ("in-process", 80),
        }
        sent = False
        status = 500
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()  # no disconnect while the app is still answering
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(chunks)
