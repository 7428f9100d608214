"""The instrumented transports: shared in-flight fetches survive per-request headers, the
gateway's own transports stay as they were, new executors and transports get wrapped."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from gateway.observability.context import RequestContext, current_request
from gateway.observability.transport import InstrumentedTransport, InstrumentedTransports
from gateway.transport.asgi import AsgiTransport
from gateway.transport.base import SubgraphRequest
from gateway.transport.exchange import ExchangeTransport
from tests.gateway.http.asgi_client import request
from tests.gateway.observability.conftest import QUERY, SUPERGRAPH, Build
from tests.gateway.observability.scrape import scrape, value


class SlowExchange(ExchangeTransport):
    """Answers once released, keeping the headers each round trip was sent with."""

    def __init__(self) -> None:
        super().__init__("slow")
        self.release = asyncio.Event()
        self.sent: list[dict[str, str]] = []

    async def _exchange(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        self.sent.append(headers)
        await self.release.wait()
        return 200, b'{"data": {"ok": true}}'


async def _fetch_as(transport: InstrumentedTransport, request_id: str) -> dict[str, Any]:
    ctx = RequestContext(request_id, subgraph_headers={"x-request-id": request_id})
    current_request.set(ctx)  # this task's own context
    return await transport.fetch(SubgraphRequest("{ ok }", deduplicate=True))


async def test_identical_fetches_of_different_requests_are_still_shared() -> None:
    inner = SlowExchange()
    transport = InstrumentedTransport("slow", inner, None, None)
    tasks = [asyncio.create_task(_fetch_as(transport, rid)) for rid in ("r1", "r2", "r3")]
    await asyncio.sleep(0)
    inner.release.set()
    results = await asyncio.gather(*tasks)
    assert results == [{"data": {"ok": True}}] * 3
    assert len(inner.sent) == 1 and inner.shared_requests == 2
    assert inner.sent[0]["x-request-id"] == "r1"  # the first caller's


async def test_gateway_transports_stay_concrete(build: Build) -> None:
    observed = build(tracing=False)
    assert all(isinstance(t, AsgiTransport) for t in observed.gateway.transports.values())
    view = observed.gateway.executor.transports
    assert isinstance(view, InstrumentedTransports)
    assert isinstance(view.get("products"), InstrumentedTransport)
    assert view.get("nowhere") is None
    assert set(view) == set(observed.gateway.transports) and len(view) == 4
    with pytest.raises(KeyError):
        view["nowhere"]


async def test_a_transport_swapped_in_later_is_wrapped(build: Build) -> None:
    observed = build(tracing=False)
    first = observed.gateway.executor.transports.get("products")
    replacement = AsgiTransport("products", observed.recorders["products"])
    observed.gateway.transports["products"] = replacement
    wrapped = observed.gateway.executor.transports.get("products")
    assert wrapped is not first and wrapped.inner is replacement
    assert observed.gateway.executor.transports.get("products") is wrapped


async def test_a_new_supergraph_is_instrumented_and_cache_counters_carry_on(
    build: Build,
) -> None:
    observed = build(tracing=False)
    await request(observed.app, "POST", json={"query": QUERY})
    await request(observed.app, "POST", json={"query": QUERY})
    observed.gateway.replace_supergraph(SUPERGRAPH + "\n")
    await request(observed.app, "POST", json={"query": QUERY})
    assert isinstance(observed.gateway.executor.transports, InstrumentedTransports)
    samples = await scrape(observed)
    assert value(samples, "brand_matrix_plan_cache_hits_total") == 1
    assert value(samples, "brand_matrix_plan_cache_misses_total") == 2
    fetches = sum(
        value(samples, "brand_matrix_subgraph_fetch_duration_seconds_count", subgraph=name) or 0
        for name in ("accounts", "inventory", "products", "reviews")
    )
    assert fetches == 21


async def test_instrumenting_twice_is_refused(build: Build) -> None:
    from gateway.http import create_app
    from gateway.observability import ObservabilityOptions, setup

    observed = build(tracing=False)
    with pytest.raises(RuntimeError):
        setup(create_app(observed.gateway), observed.gateway, ObservabilityOptions(json_logs=False))


def test_context_headers_copy_every_other_field_of_the_request() -> None:
    from dataclasses import fields

    from gateway.observability.transport import with_context_headers

    original = SubgraphRequest("{ a }", {"v": 1}, "Op", {"authorization": "x"}, True)
    copied = with_context_headers(original, {"x-request-id": "r"})
    for f in fields(SubgraphRequest):
        if f.name != "context_headers":
            assert getattr(copied, f.name) == getattr(original, f.name), f.name
    assert copied.context_headers == {"x-request-id": "r"}
    # A field added to SubgraphRequest must be copied by with_context_headers too.
    assert [f.name for f in fields(SubgraphRequest)] == [
        "query", "variables", "operation_name", "headers", "deduplicate", "context_headers"
    ]  # fmt: skip
