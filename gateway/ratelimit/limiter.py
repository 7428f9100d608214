"""Sliding-window counters per client key, in memory (per process) or in Redis (shared).

A sliding-window counter keeps this window's count and the previous one's and weighs the
previous by how much of it still overlaps the last `window` seconds, so a client cannot send
twice its limit across a window boundary, as with fixed windows, and it costs two integers
per key. A refused request is not counted, in any scope: a request is checked against every
scope's counter first and counted in all of them only when all allow it, so a brand's refusals
never spend its members' allowances. A client that waits for `retryAfter` gets in.
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from gateway.errors import graphql_error
from gateway.ratelimit.keys import client_keys

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger("gateway.ratelimit")

RATE_LIMITED = "RATE_LIMITED"
DEFAULT_PREFIX = "brand-matrix:rl:"
Scope = Literal["member", "brand", "ip"]
Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Hit:
    allowed: bool
    retry_after: float = 0.0  # seconds until a request would be allowed (when refused)
    refused: int = -1  # which of the checks refused (index), -1 when allowed


class Counter(Protocol):
    window_seconds: int

    async def hit_all(self, checks: list[tuple[str, int]]) -> Hit:
        """Every (key, limit) allows one more: count it under each key; else count nothing."""
        ...

    async def aclose(self) -> None: ...


def _decide(
    previous: int, current: int, limit: int, window: int, elapsed: float
) -> tuple[bool, float]:
    """Whether one more request fits, and else how long until one does."""
    weight = 1.0 - elapsed / window
    if previous * weight + current + 1 <= limit:
        return True, 0.0
    if current + 1 <= limit and previous > 0:  # later in this window, once `previous` fades
        return False, max(window * (1 - (limit - current - 1) / previous) - elapsed, 0.0)
    wait = window - elapsed  # in the next window, where this one's count is the previous
    if current > 0:
        wait += max(window * (1 - (limit - 1) / current), 0.0)
    return False, wait


class MemoryLimiter:
    """Counters in this process (each replica counts alone), at most `max_keys` clients:
    the least recently seen are forgotten first."""

    def __init__(
        self, window_seconds: int = 60, *, max_keys: int = 100_000, clock: Clock = time.time
    ) -> None:
        self.window_seconds = window_seconds
        self.max_keys = max_keys
        self._clock = clock
        self._counts: OrderedDict[str, tuple[int, int, int]] = OrderedDict()  # window, cur, prev

    async def hit(self, key: str, limit: int) -> Hit:
        return await self.hit_all([(key, limit)])

    async def hit_all(self, checks: list[tuple[str, int]]) -> Hit:
        now = self._clock()
        window = int(now // self.window_seconds)
        elapsed = now - window * self.window_seconds
        counts: list[tuple[str, int, int]] = []
        for index, (key, limit) in enumerate(checks):
            start, current, previous = self._counts.get(key, (window, 0, 0))
            if start != window:
                previous = current if start == window - 1 else 0
                current = 0
            allowed, wait = _decide(previous, current, limit, self.window_seconds, elapsed)
            if not allowed:
                return Hit(False, wait, index)
            counts.append((key, current, previous))
        for key, current, previous in counts:
            self._counts[key] = (window, current + 1, previous)
            self._counts.move_to_end(key)
        while len(self._counts) > self.max_keys:
            self._counts.popitem(last=False)
        return Hit(True)

    def __len__(self) -> int:
        return len(self._counts)

    async def aclose(self) -> None:
        self._counts.clear()


# KEYS: per check, this window's counter then the previous one's. ARGV: weight of the
# previous, expiry (two windows), then one limit per check. All checked, then all counted,
# atomically, so replicas never overshoot and a refusal counts nowhere.
_SCRIPT = """
local weight = tonumber(ARGV[1])
for i = 1, #KEYS / 2 do
  local current = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local previous = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  if previous * weight + current + 1 > tonumber(ARGV[i + 2]) then
    return {0, i - 1, current, previous}
  end
end
for i = 1, #KEYS / 2 do
  local key = KEYS[2 * i - 1]
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[2]) end
end
return {1, -1, 0, 0}
"""


class RedisLimiter:
    """Counters in Redis, shared by every replica: keys PREFIX + client key + window number.
    Redis unreachable or failing: requests are allowed (logged once until it recovers) -
    rate limiting must never turn into an outage."""

    def __init__(
        self,
        client: Redis,
        window_seconds: int = 60,
        *,
        prefix: str = DEFAULT_PREFIX,
        clock: Clock = time.time,
    ) -> None:
        self._client = client
        self.window_seconds = window_seconds
        self.prefix = prefix
        self._clock = clock
        self._script = client.register_script(_SCRIPT)
        self._failing = False

    @classmethod
    def from_url(cls, url: str, window_seconds: int = 60, **options: Any) -> RedisLimiter:
        """Short timeouts: a slow Redis must not stall requests."""
        from redis.asyncio import Redis

        client = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        return cls(client, window_seconds, **options)

    async def hit(self, key: str, limit: int) -> Hit:
        return await self.hit_all([(key, limit)])

    async def hit_all(self, checks: list[tuple[str, int]]) -> Hit:
        now = self._clock()
        window = int(now // self.window_seconds)
        elapsed = now - window * self.window_seconds
        keys = [f"{self.prefix}{key}:{n}" for key, _ in checks for n in (window, window - 1)]
        weight = 1.0 - elapsed / self.window_seconds
        limits = [limit for _, limit in checks]
        try:
            allowed, index, current, previous = await self._script(
                keys=keys, args=[repr(weight), 2 * self.window_seconds, *limits]
            )
        except Exception as error:  # any Redis failure: allow
            if not self._failing:
                logger.warning("rate limiting off: Redis failed (%s); requests are allowed", error)
                self._failing = True
            return Hit(True)
        if self._failing:
            logger.warning("rate limiting on again: Redis answers")
            self._failing = False
        if allowed:
            return Hit(True)
        refused = int(index)
        limit = limits[refused]
        _, wait = _decide(int(previous), int(current), limit, self.window_seconds, elapsed)
        return Hit(False, wait, refused)

    async def aclose(self) -> None:
        await self._client.aclose()


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a request is refused: its GraphQL error and the Retry-After seconds."""

    error: dict[str, Any]
    retry_after: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class RateLimiter:
    """Limits per window for each client dimension (0: that one is off). Members are counted
    by member id and brand; everyone else (anonymous callers, services) by brand and IP."""

    def __init__(
        self,
        counter: Counter,
        *,
        per_member: int = 600,
        per_brand: int = 20_000,
        per_ip: int = 1200,
        trust_forwarded_for: bool = False,
    ) -> None:
        self.counter = counter
        self.limits: dict[Scope, int] = {"member": per_member, "brand": per_brand, "ip": per_ip}
        self.trust_forwarded_for = trust_forwarded_for

    async def check(
        self,
        claims: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        peer: str | None,
    ) -> Rejection | None:
        """None when the request may run (and it is counted); else why not."""
        keys = client_keys(claims, headers, peer, trust_forwarded_for=self.trust_forwarded_for)
        checks: list[tuple[Scope, str | None]] = [("member", keys.member), ("brand", keys.brand)]
        if keys.member is None:
            checks.append(("ip", keys.ip))
        active = [
            (scope, value, self.limits[scope])
            for scope, value in checks
            if self.limits[scope] and value is not None
        ]
        if not active:
            return None
        hit = await self.counter.hit_all([(f"{s}:{v}", limit) for s, v, limit in active])
        if hit.allowed:
            return None
        scope, _, limit = active[hit.refused]
        return self._rejection(scope, limit, hit.retry_after)

    def _rejection(self, scope: Scope, limit: int, wait: float) -> Rejection:
        window = self.counter.window_seconds
        retry_after = max(1, math.ceil(wait))
        error = graphql_error(
            f"Too many requests: the {scope} limit is {limit} per {window} s; "
            f"retry after {retry_after} s.",
            code=RATE_LIMITED,
            extensions={
                "limit": limit,
                "window": window,
                "retryAfter": retry_after,
                "scope": scope,
            },
        )
        return Rejection(error, retry_after)

    async def aclose(self) -> None:
        await self.counter.aclose()
