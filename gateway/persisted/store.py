"""Where registered APQ documents live: in memory (one process) or in Redis (all replicas)."""

from __future__ import annotations

from typing import Protocol

from gateway.caching import LRUCache

DEFAULT_MAX_ENTRIES = 10_000
# A document larger than this is run but not stored: the store is for real front-end
# operations, not a place where a client parks megabytes.
DEFAULT_MAX_DOCUMENT_BYTES = 256 * 1024


class PersistedQueryStore(Protocol):
    async def get(self, sha256_hash: str) -> str | None:
        """The document registered under the hash, or None."""
        ...

    async def put(self, sha256_hash: str, document: str) -> None:
        """Register a document whose hash the caller has verified."""
        ...

    async def aclose(self) -> None: ...


class MemoryStore:
    """A bounded LRU in this process: the default, for one replica or as a local cache."""

    def __init__(
        self,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        *,
        max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    ) -> None:
        if max_entries <= 0:
            raise ValueError("max_entries must be positive")
        self._documents: LRUCache[str, str] = LRUCache(max_entries)
        self.max_document_bytes = max_document_bytes

    async def get(self, sha256_hash: str) -> str | None:
        return self._documents.get(sha256_hash)

    async def put(self, sha256_hash: str, document: str) -> None:
        if len(document.encode("utf-8")) <= self.max_document_bytes:
            self._documents.put(sha256_hash, document)

    async def aclose(self) -> None:
        return None

    def __len__(self) -> int:
        return len(self._documents)
