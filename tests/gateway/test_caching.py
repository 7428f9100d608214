"""LRUCache: bounded, least recently used out first, with hit/miss counts."""

from __future__ import annotations

from gateway.caching import LRUCache


def test_get_what_was_put() -> None:
    cache: LRUCache[str, int] = LRUCache(3)
    cache.put("a", 1)
    assert cache.get("a") == 1
    assert len(cache) == 1


def test_missing_key_is_none() -> None:
    cache: LRUCache[str, int] = LRUCache(3)
    assert cache.get("nope") is None


def test_hits_and_misses_counted() -> None:
    cache: LRUCache[str, int] = LRUCache(3)
    cache.get("a")
    cache.put("a", 1)
    cache.get("a")
    cache.get("a")
    cache.get("b")
    assert (cache.hits, cache.misses) == (2, 2)


def test_least_recently_put_is_evicted_first() -> None:
    cache: LRUCache[str, int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    assert len(cache) == 2
    assert cache.get("a") is None
    assert (cache.get("b"), cache.get("c")) == (2, 3)


def test_get_refreshes_recency() -> None:
    cache: LRUCache[str, int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert cache.get("b") is None
    assert cache.get("a") == 1
    assert cache.get("c") == 3


def test_put_existing_key_replaces_and_refreshes() -> None:
    cache: LRUCache[str, int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 10)
    assert len(cache) == 2
    cache.put("c", 3)
    assert cache.get("a") == 10
    assert cache.get("b") is None


def test_size_never_exceeds_maxsize() -> None:
    cache: LRUCache[int, int] = LRUCache(5)
    for i in range(100):
        cache.put(i, i)
        assert len(cache) <= 5
    assert [cache.get(i) for i in range(95, 100)] == [95, 96, 97, 98, 99]
    assert cache.get(94) is None


def test_same_object_is_returned() -> None:
    cache: LRUCache[tuple[str, None], list[int]] = LRUCache(2)
    value = [1, 2]
    cache.put(("q", None), value)
    assert cache.get(("q", None)) is value


def test_falsy_values_are_cached() -> None:
    cache: LRUCache[str, object] = LRUCache(3)
    cache.put("empty", [])
    cache.put("zero", 0)
    assert cache.get("empty") == []
    assert cache.get("zero") == 0
    assert cache.hits == 2
