"""The Redis counter against a real Redis (127.0.0.1:6379, or one started here): two
limiters, as two gateway replicas, share one count; Redis down allows every request."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from gateway.ratelimit import RateLimiter, RedisLimiter
from tests.gateway.persisted.test_redis_store import _free_port, redis_url  # noqa: F401
from tests.gateway.ratelimit.test_limiter import Clock


@pytest.fixture
async def prefix(redis_url: str) -> AsyncIterator[str]:  # noqa: F811
    prefix = f"brand-matrix-test:rl:{uuid.uuid4().hex}:"
    yield prefix
    client = Redis.from_url(redis_url)
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def test_two_replicas_share_the_count(redis_url: str, prefix: str) -> None:  # noqa: F811
    clock = Clock(1_000_040.0)
    one = RedisLimiter.from_url(redis_url, 60, prefix=prefix, clock=clock)
    two = RedisLimiter.from_url(redis_url, 60, prefix=prefix, clock=clock)
    results = [(await (one if n % 2 else two).hit("member:m-1", 6)).allowed for n in range(8)]
    assert results == [True] * 6 + [False] * 2
    refused = await one.hit("member:m-1", 6)
    assert not refused.allowed and refused.retry_after == pytest.approx(40 + 60 * (1 - 5 / 6))
    assert (await two.hit("member:m-2", 6)).allowed
    client = Redis.from_url(redis_url)
    key = f"{prefix}member:m-1:{int(clock.now // 60)}"
    assert int(await client.get(key)) == 6  # refusals are not counted
    assert 0 < await client.ttl(key) <= 120
    clock.now = 1_000_080.0  # next window: the previous weighs in, then fades
    assert not (await one.hit("member:m-1", 6)).allowed
    clock.now += 30
    assert [(await two.hit("member:m-1", 6)).allowed for _ in range(4)] == [True] * 3 + [False]
    await client.aclose()
    await one.aclose()
    await two.aclose()


async def test_redis_down_allows_and_logs_once(caplog: pytest.LogCaptureFixture) -> None:
    down = RedisLimiter.from_url(f"redis://127.0.0.1:{_free_port()}/0", 60)
    limiter = RateLimiter(down, per_member=1, per_brand=1, per_ip=1)
    with caplog.at_level(logging.WARNING, logger="gateway.ratelimit"):
        for _ in range(5):
            assert await limiter.check(None, {"x-brand": "lumen"}, "1.2.3.4") is None
    warnings = [r for r in caplog.records if r.name == "gateway.ratelimit"]
    assert len(warnings) == 1 and "Redis failed" in warnings[0].getMessage()
    await limiter.aclose()


async def test_a_refusal_in_one_scope_is_counted_in_none(redis_url: str, prefix: str) -> None:  # noqa: F811
    from tests.gateway.ratelimit.test_limiter import refusal_spends_no_other_scope

    counter = RedisLimiter.from_url(redis_url, 60, prefix=prefix, clock=Clock())
    try:
        await refusal_spends_no_other_scope(counter)
    finally:
        await counter.aclose()
