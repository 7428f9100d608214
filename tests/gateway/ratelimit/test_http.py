"""Rate limits through the HTTP app: a refusal is HTTP 429 with Retry-After and a GraphQL
error coded RATE_LIMITED (limit, window, retryAfter, scope), and nothing is fetched."""

from __future__ import annotations

from typing import Any

from gateway.auth import GatewayAuth
from gateway.http import create_app
from gateway.ratelimit import MemoryLimiter, RateLimiter, RedisLimiter
from gateway.service import Gateway
from tests.gateway.auth.tokens import bearer, hs_token, hs_verifier
from tests.gateway.http.asgi_client import Reply, request
from tests.gateway.limits.federation import NAME, RecordingTransport, supergraph_sdl
from tests.gateway.persisted.test_redis_store import _free_port

GRAPHQL_JSON = "application/graphql-response+json"
_SDL = supergraph_sdl()


class Served:
    def __init__(self, counter: Any = None, **limits: int) -> None:
        self.subgraph = RecordingTransport()
        limiter = RateLimiter(counter or MemoryLimiter(60), **limits)
        self.gateway = Gateway(
            _SDL, {NAME: self.subgraph}, auth=GatewayAuth(hs_verifier()), rate_limiter=limiter
        )
        self.app = create_app(self.gateway)

    async def post(self, headers: dict[str, str] | None = None) -> Reply:
        return await request(
            self.app,
            "POST",
            json={"query": "{ hello }"},
            headers={"Accept": GRAPHQL_JSON, **(headers or {})},
        )

    async def ok(self, headers: dict[str, str] | None = None) -> None:
        reply = await self.post(headers)
        assert reply.status == 200, reply.json()
        assert reply.json() == {"data": {"hello": "hi"}}

    async def limited(self, scope: str, limit: int, headers: dict[str, str] | None = None) -> None:
        before = len(self.subgraph.requests)
        reply = await self.post(headers)
        assert reply.status == 429, reply.json()
        [error] = reply.json()["errors"]
        assert "data" not in reply.json()
        extensions = error["extensions"]
        assert extensions["code"] == "RATE_LIMITED"
        assert (extensions["scope"], extensions["limit"], extensions["window"]) == (
            scope,
            limit,
            60,
        )
        assert 1 <= extensions["retryAfter"] <= 120
        assert reply.headers["retry-after"] == str(extensions["retryAfter"])
        assert len(self.subgraph.requests) == before, "nothing may be fetched"


def member(sub: str, **claims: Any) -> dict[str, str]:
    return bearer(hs_token(sub=sub, **claims))


async def test_a_member_is_limited_and_another_still_passes() -> None:
    served = Served(per_member=3, per_brand=0, per_ip=0)
    for _ in range(3):
        await served.ok(member("m-a"))
    await served.limited("member", 3, member("m-a"))
    await served.ok(member("m-b"))  # same IP, another member
    await served.limited("member", 3, member("m-a"))
    assert len(served.subgraph.requests) == 4


async def test_a_brand_app_is_limited_across_its_members() -> None:
    served = Served(per_member=100, per_brand=4, per_ip=0)
    for sub in ("m-1", "m-2", "m-3", "m-4"):
        await served.ok(member(sub, brand="lumen"))
    await served.limited("brand", 4, member("m-5", brand="lumen"))
    await served.ok(member("m-6", brand="other"))
    # An anonymous X-Brand header is not the brand's: it cannot spend the brand's allowance.
    for _ in range(3):
        await served.ok({"X-Brand": "other"})
    await served.ok(member("m-7", brand="other"))


async def test_anonymous_callers_are_limited_by_ip() -> None:
    served = Served(per_member=100, per_brand=0, per_ip=2)
    await served.ok()
    await served.ok()
    await served.limited("ip", 2)
    await served.ok(member("m-1"))  # a member on the same IP is counted as a member


async def test_forwarded_for_counts_the_client_behind_the_proxy() -> None:
    limiter = RateLimiter(MemoryLimiter(60), per_ip=1, trust_forwarded_for=True)
    subgraph = RecordingTransport()
    app = create_app(Gateway(_SDL, {NAME: subgraph}, rate_limiter=limiter))
    headers = {"Accept": GRAPHQL_JSON}

    async def status(forwarded: str) -> int:
        xff = {**headers, "X-Forwarded-For": forwarded}
        return (await request(app, "POST", json={"query": "{ hello }"}, headers=xff)).status

    assert await status("9.9.9.9") == 200
    assert await status("9.9.9.9") == 429
    assert await status("8.8.8.8") == 200
    assert await status("9.9.9.9, 8.8.4.4") == 200  # the left part is the client's to invent


async def test_redis_down_requests_are_still_served() -> None:
    down = RedisLimiter.from_url(f"redis://127.0.0.1:{_free_port()}/0", 60)
    served = Served(down, per_member=1, per_brand=1, per_ip=1)
    for _ in range(3):
        await served.ok(member("m-a", brand="lumen"))
        await served.ok()


async def test_without_a_limiter_nothing_is_limited() -> None:
    app = create_app(Gateway(_SDL, {NAME: RecordingTransport()}))
    for _ in range(30):
        reply = await request(app, "POST", json={"query": "{ hello }"})
        assert reply.status == 200
