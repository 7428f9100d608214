"""Persisted queries: Apollo's APQ protocol, the front-end operation safelist, and the stores
(in memory, or Redis shared by replicas)."""

from gateway.persisted.hashing import sha256_hex
from gateway.persisted.protocol import PersistedQueries, Resolution
from gateway.persisted.redis_store import RedisStore
from gateway.persisted.safelist import Safelist, load_safelist
from gateway.persisted.store import MemoryStore, PersistedQueryStore

__all__ = [
    "MemoryStore",
    "PersistedQueries",
    "PersistedQueryStore",
    "RedisStore",
    "Resolution",
    "Safelist",
    "load_safelist",
    "sha256_hex",
]
