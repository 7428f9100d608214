"""Subgraph client over HTTP with a pooled keep-alive aiohttp session."""

from __future__ import annotations

import aiohttp

from gateway.transport.base import TransportError
from gateway.transport.exchange import ExchangeTransport


class AiohttpTransport(ExchangeTransport):
    """One keep-alive connection pool per subgraph URL, created lazily inside the event loop."""

    def __init__(self, name: str, url: str, *, timeout: float = 30.0, pool_size: int = 100) -> None:
        super().__init__(name)
        self.url = url
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._pool_size, keepalive_timeout=60, ttl_dns_cache=300
            )
            self._session = aiohttp.ClientSession(
                connector=connector, timeout=self._timeout, skip_auto_headers=("User-Agent",)
            )
        return self._session

    async def _exchange(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        try:
            async with self._get_session().post(self.url, data=body, headers=headers) as response:
                payload = await response.read()
                status = response.status
        except TimeoutError:
            raise TransportError(
                f"subgraph '{self.name}' did not answer within {self._timeout.total:g}s",
                code="SUBREQUEST_TIMEOUT",
            ) from None
        except aiohttp.ClientError as error:
            raise TransportError(f"subgraph '{self.name}' is unreachable: {error}") from None
        return status, payload

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
