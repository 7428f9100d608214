"""The in-memory sliding-window counter and the client keys, with a clock of our own."""

from __future__ import annotations

from gateway.ratelimit import MemoryLimiter, RateLimiter, client_ip, client_keys


class Clock:
    def __init__(self, now: float = 1_000_040.0) -> None:  # 20 s into a 60 s window
        self.now = now

    def __call__(self) -> float:
        return self.now


async def allowed(limiter: MemoryLimiter, key: str, limit: int, times: int) -> int:
    return sum([(await limiter.hit(key, limit)).allowed for _ in range(times)])


async def test_a_window_allows_its_limit_then_refuses() -> None:
    clock = Clock()
    limiter = MemoryLimiter(60, clock=clock)
    assert await allowed(limiter, "a", 5, 5) == 5
    refused = await limiter.hit("a", 5)
    assert not refused.allowed
    assert refused.retry_after == 40 + 60 * (1 - 4 / 5)  # next window, once 'a' fades
    assert (await limiter.hit("b", 5)).allowed  # another key has its own count


async def test_the_previous_window_fades_out() -> None:
    clock = Clock(1_000_040.0)
    limiter = MemoryLimiter(60, clock=clock)
    assert await allowed(limiter, "a", 10, 12) == 10
    clock.now = 1_000_080.0  # start of the next window: all 10 still weigh in
    assert not (await limiter.hit("a", 10)).allowed
    clock.now = 1_000_110.0  # half way: the previous counts 5
    assert await allowed(limiter, "a", 10, 10) == 5
    clock.now = 1_000_200.0  # two windows later: everything forgotten, the limit resets
    assert await allowed(limiter, "a", 10, 12) == 10


async def test_refused_requests_are_not_counted() -> None:
    clock = Clock(1_000_000.0)
    limiter = MemoryLimiter(60, clock=clock)
    assert await allowed(limiter, "a", 3, 100) == 3
    clock.now = 1_000_120.0  # the window after next: free again
    assert await allowed(limiter, "a", 3, 3) == 3


async def test_memory_is_bounded() -> None:
    limiter = MemoryLimiter(60, max_keys=100, clock=Clock())
    for number in range(1000):
        await limiter.hit(f"client-{number}", 1)
    assert len(limiter) == 100
    assert (await limiter.hit("client-999", 1)).allowed is False  # the recent ones are kept
    assert (await limiter.hit("client-0", 1)).allowed is True  # the oldest were forgotten


def test_client_keys() -> None:
    member = {"sub": "m-1", "kind": "member", "brand": "lumen"}
    keys = client_keys(member, {"X-Brand": "other"}, "10.0.0.1")
    assert (keys.member, keys.brand, keys.ip) == ("m-1", "lumen", "10.0.0.1")
    staff = client_keys({"sub": "s-1", "kind": "staff", "brand": "lumen"}, {}, "1.2.3.4")
    assert (staff.member, staff.brand) == (None, "lumen")
    header_only = client_keys(None, {"x-brand": "lumen"}, "1.2.3.4")
    assert header_only.brand is None  # anyone can send X-Brand: counted by IP instead
    anonymous = client_keys(None, {}, "1.2.3.4")
    assert (anonymous.member, anonymous.brand, anonymous.ip) == (None, None, "1.2.3.4")


def test_forwarded_for_only_when_trusted() -> None:
    headers = {"X-Forwarded-For": "6.6.6.6, 9.9.9.9, 10.0.0.2"}
    assert client_ip("10.0.0.1", headers) == "10.0.0.1"
    assert client_ip("10.0.0.1", headers, True) == "9.9.9.9"  # right-most not ours
    assert client_ip("10.0.0.1", {"x-forwarded-for": "10.1.1.1, 127.0.0.1"}, True) == "10.1.1.1"
    assert client_ip("10.0.0.1", {"x-forwarded-for": "[2001:db8::1]:443"}, True) == "2001:db8::1"
    assert client_ip("10.0.0.1", {}, True) == "10.0.0.1"


async def test_each_dimension_has_its_limit_and_zero_turns_it_off() -> None:
    limiter = RateLimiter(MemoryLimiter(60, clock=Clock()), per_member=2, per_brand=0, per_ip=1)
    member = {"sub": "m-1", "kind": "member"}
    assert await limiter.check(member, {}, "1.1.1.1") is None
    assert await limiter.check(member, {}, "1.1.1.1") is None  # members are not counted by IP
    refused = await limiter.check(member, {}, "1.1.1.1")
    assert refused is not None
    extensions = refused.error["extensions"]
    assert extensions == {
        "code": "RATE_LIMITED",
        "limit": 2,
        "window": 60,
        "retryAfter": refused.retry_after,
        "scope": "member",
    }
    assert refused.headers == {"Retry-After": str(refused.retry_after)}
    assert await limiter.check(None, {"x-brand": "lumen"}, "2.2.2.2") is None  # brand: off
    refused = await limiter.check(None, {}, "2.2.2.2")
    assert refused is not None and refused.error["extensions"]["scope"] == "ip"


async def refusal_spends_no_other_scope(counter: object) -> None:
    """Member b's request refused by the brand's limit must not spend b's own allowance."""
    limiter = RateLimiter(counter, per_member=2, per_brand=2, per_ip=0)  # type: ignore[arg-type]
    a_in_lumen = {"sub": "a", "kind": "member", "brand": "lumen"}
    b_in_lumen = {"sub": "b", "kind": "member", "brand": "lumen"}
    b_in_vitalis = {"sub": "b", "kind": "member", "brand": "vitalis"}
    assert await limiter.check(a_in_lumen, {}, None) is None
    assert await limiter.check(a_in_lumen, {}, None) is None
    refused = await limiter.check(b_in_lumen, {}, None)
    assert refused is not None and refused.error["extensions"]["scope"] == "brand"
    assert await limiter.check(b_in_vitalis, {}, None) is None
    assert await limiter.check(b_in_vitalis, {}, None) is None  # both of b's requests left
    refused = await limiter.check(b_in_vitalis, {}, None)
    assert refused is not None and refused.error["extensions"]["scope"] == "member"


async def test_a_refusal_in_one_scope_is_counted_in_none() -> None:
    await refusal_spends_no_other_scope(MemoryLimiter(60, clock=Clock()))
