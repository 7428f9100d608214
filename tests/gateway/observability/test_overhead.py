"""What observability costs per request: the benchmark query over HTTP (in-process ASGI,
subgraph answers replayed) with each part switched on.

Measure:  python -m pytest tests/gateway/observability/test_overhead.py --benchmark-enable
In the normal test run (benchmarks disabled) each runs once, so they cannot rot.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

import orjson
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from prometheus_client import CollectorRegistry

from bench.micro.replay import EXPECTED, QUERY, record, replay_gateway
from gateway.http import create_app
from gateway.observability import ObservabilityOptions, setup
from tests.gateway.http.asgi_client import request


class DiscardingExporter(SpanExporter):
    """Spans go through the batch processor as with OTLP, then nowhere."""

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return SpanExportResult.SUCCESS


@pytest.fixture(scope="module")
def answers() -> dict[str, dict[bytes, bytes]]:
    return asyncio.run(record())


@pytest.fixture
def devnull() -> Iterator[Any]:
    with open(os.devnull, "w") as stream:
        yield stream


VARIANTS = {
    "plain": None,
    "metrics": {"json_logs": False, "access_log": False},
    "metrics+logs": {},
    "metrics+logs+tracing": {"tracing": True},
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_http_request(
    benchmark: Any, answers: dict[str, dict[bytes, bytes]], devnull: Any, variant: str
) -> None:
    gateway = replay_gateway(answers)
    app: Any = create_app(gateway)
    provider = None
    overrides = VARIANTS[variant]
    if overrides is not None:
        overrides = dict(overrides)
        if overrides.pop("tracing", False):
            provider = TracerProvider()
            provider.add_span_processor(BatchSpanProcessor(DiscardingExporter()))
        options = ObservabilityOptions(
            registry=CollectorRegistry(), log_stream=devnull, tracer_provider=provider
        )
        app = setup(app, gateway, replace(options, **overrides))
    loop = asyncio.new_event_loop()
    body = {"query": QUERY}

    def run() -> bytes:
        return loop.run_until_complete(request(app, "POST", json=body)).body

    try:
        reply = benchmark(run)
    finally:
        loop.close()
        if provider is not None:
            provider.shutdown()
    assert orjson.loads(reply) == EXPECTED
