"""APQ documents in Redis, so every gateway replica knows what any one of them registered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gateway.persisted.store import DEFAULT_MAX_DOCUMENT_BYTES

if TYPE_CHECKING:
    from redis.asyncio import Redis

DEFAULT_PREFIX = "brand-matrix:apq:"
DEFAULT_TTL_SECONDS = 7 * 24 * 3600  # documents unused for a week expire; clients re-register


class RedisStore:
    """`redis.asyncio` client under the hood; keys are PREFIX + hash, values the documents.

    Each read refreshes the key's TTL (GETEX), so operations in use never expire, and Redis's
    own eviction bounds the memory (configure maxmemory-policy allkeys-lru or volatile-lru).
    """

    def __init__(
        self,
        client: Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        ttl_seconds: int | None = DEFAULT_TTL_SECONDS,
        max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    ) -> None:
        self._client = client
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds
        self.max_document_bytes = max_document_bytes

    @classmethod
    def from_url(cls, url: str, **options: object) -> RedisStore:
        """e.g. `redis://127.0.0.1:6379/0`; short timeouts: a slow Redis must not stall
        requests (a failed lookup is answered as not found and the client resends the query)."""
        from redis.asyncio import Redis

        client = Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        return cls(client, **options)  # type: ignore[arg-type]

    async def get(self, sha256_hash: str) -> str | None:
        key = self.prefix + sha256_hash
        if self.ttl_seconds is None:
            value = await self._client.get(key)
        else:
            value = await self._client.getex(key, ex=self.ttl_seconds)
        if value is None:
            return None
        return value.decode("utf-8") if isinstance(value, bytes) else str(value)

    async def put(self, sha256_hash: str, document: str) -> None:
        encoded = document.encode("utf-8")
        if len(encoded) <= self.max_document_bytes:
            await self._client.set(self.prefix + sha256_hash, encoded, ex=self.ttl_seconds)

    async def aclose(self) -> None:
        await self._client.aclose()
