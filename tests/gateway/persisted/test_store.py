"""The in-memory APQ store: a bounded LRU."""

from __future__ import annotations

import pytest

from gateway.persisted import MemoryStore


async def test_keeps_the_most_recently_used_entries() -> None:
    store = MemoryStore(max_entries=2)
    await store.put("a", "{ a }")
    await store.put("b", "{ b }")
    assert await store.get("a") == "{ a }"  # a is now the most recent
    await store.put("c", "{ c }")
    assert await store.get("b") is None
    assert await store.get("a") == "{ a }" and await store.get("c") == "{ c }"
    assert len(store) == 2


async def test_does_not_keep_huge_documents() -> None:
    store = MemoryStore(max_document_bytes=10)
    await store.put("big", "{ " + "x" * 100 + " }")
    assert await store.get("big") is None


def test_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        MemoryStore(max_entries=0)
