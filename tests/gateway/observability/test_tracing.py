"""Spans with an in-memory exporter, and the trace context the subgraphs receive."""

from __future__ import annotations

import re

import pytest
from opentelemetry.trace import SpanKind

from gateway.observability import ObservabilityOptions
from gateway.observability.tracing import build_tracing, traces_url
from tests.gateway.http.asgi_client import request
from tests.gateway.observability.conftest import QUERY, SUBGRAPHS, Build

TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}")
CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CLIENT_PARENT = f"00-{CLIENT_TRACE}-00f067aa0ba902b7-01"


async def test_request_span_with_a_child_span_per_subgraph_fetch(build: Build) -> None:
    observed = build()
    reply = await request(observed.app, "POST", json={"query": QUERY})
    assert reply.status == 200
    spans = observed.spans.get_finished_spans()
    (root,) = [s for s in spans if s.kind == SpanKind.SERVER]
    assert root.name == "POST /graphql"
    assert root.attributes is not None
    assert root.attributes["graphql.operation.name"] == "TestQuery"
    assert root.attributes["graphql.operation.type"] == "query"
    assert root.attributes["http.response.status_code"] == 200
    assert root.attributes["request.id"] == reply.headers["x-request-id"]
    fetches = [s for s in spans if s.kind == SpanKind.CLIENT]
    assert len(fetches) == 7
    assert {s.attributes["subgraph.name"] for s in fetches if s.attributes} == set(SUBGRAPHS)
    assert {s.name for s in fetches} == {f"subgraph {name}" for name in SUBGRAPHS}
    for span in fetches:
        assert span.parent is not None and span.parent.span_id == root.context.span_id
        assert span.context.trace_id == root.context.trace_id
    (plan,) = [s for s in spans if s.name == "graphql.plan"]
    assert plan.parent is not None and plan.parent.span_id == root.context.span_id
    assert plan.attributes is not None and plan.attributes["graphql.plan.cache_hit"] is False


async def test_subgraphs_receive_the_traceparent_of_their_fetch_span(build: Build) -> None:
    observed = build()
    await request(observed.app, "POST", json={"query": QUERY})
    fetch_spans = {
        format(s.context.span_id, "016x"): s
        for s in observed.spans.get_finished_spans()
        if s.kind == SpanKind.CLIENT
    }
    seen = [h for recorder in observed.recorders.values() for h in recorder.seen]
    assert len(seen) == 7
    for headers in seen:
        match = TRACEPARENT.fullmatch(headers["traceparent"])
        assert match is not None, headers
        span = fetch_spans[match.group(2)]
        assert format(span.context.trace_id, "032x") == match.group(1)


async def test_the_clients_trace_is_continued(build: Build) -> None:
    observed = build()
    await request(
        observed.app, "POST", json={"query": QUERY}, headers={"traceparent": CLIENT_PARENT}
    )
    spans = observed.spans.get_finished_spans()
    assert {format(s.context.trace_id, "032x") for s in spans} == {CLIENT_TRACE}
    (root,) = [s for s in spans if s.kind == SpanKind.SERVER]
    assert root.parent is not None and format(root.parent.span_id, "016x") == "00f067aa0ba902b7"


async def test_failed_fetches_mark_their_span(build: Build) -> None:
    observed = build()

    async def broken(scope: object, receive: object, send: object) -> None:
        raise RuntimeError("down")

    observed.recorders["inventory"].app = broken
    await request(observed.app, "POST", json={"query": QUERY})
    inventory = [
        s
        for s in observed.spans.get_finished_spans()
        if s.attributes and s.attributes.get("subgraph.name") == "inventory"
    ]
    assert inventory and all(not s.status.is_ok for s in inventory)
    assert all(
        s.attributes and s.attributes["error.type"] == "SUBREQUEST_HTTP_ERROR" for s in inventory
    )
    others = [s for s in observed.spans.get_finished_spans() if s.name == "subgraph accounts"]
    assert others and all(s.status.is_ok for s in others)


async def test_without_tracing_the_clients_traceparent_passes_through(build: Build) -> None:
    observed = build(tracing=False)
    await request(
        observed.app,
        "POST",
        json={"query": QUERY},
        headers={"traceparent": CLIENT_PARENT, "tracestate": "vendor=1"},
    )
    seen = [h for recorder in observed.recorders.values() for h in recorder.seen]
    assert seen and all(h["traceparent"] == CLIENT_PARENT for h in seen)
    assert all(h["tracestate"] == "vendor=1" for h in seen)
    assert not observed.spans.get_finished_spans()


async def test_without_tracing_a_malformed_traceparent_is_dropped(build: Build) -> None:
    observed = build(tracing=False)
    await request(
        observed.app, "POST", json={"query": QUERY}, headers={"traceparent": "00-evil-\u00e9"}
    )
    seen = [h for recorder in observed.recorders.values() for h in recorder.seen]
    assert seen and not any("traceparent" in h for h in seen)


def test_no_endpoint_no_tracing() -> None:
    assert build_tracing(ObservabilityOptions()) is None


def test_otlp_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")
    tracing = build_tracing(ObservabilityOptions())
    assert tracing is not None and tracing.owned
    tracing.shutdown()
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert build_tracing(ObservabilityOptions()) is None


def test_otlp_from_an_explicit_endpoint() -> None:
    tracing = build_tracing(ObservabilityOptions(otlp_endpoint="http://127.0.0.1:9"))
    assert tracing is not None
    tracing.shutdown()


def test_traces_url() -> None:
    assert traces_url("http://collector:4318") == "http://collector:4318/v1/traces"
    assert traces_url("http://collector:4318/") == "http://collector:4318/v1/traces"
    assert traces_url("http://c:4318/v1/traces") == "http://c:4318/v1/traces"


async def test_a_sampled_out_request_still_propagates_its_trace(build: Build) -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

    exported = InMemorySpanExporter()
    provider = TracerProvider(sampler=ALWAYS_OFF)
    provider.add_span_processor(SimpleSpanProcessor(exported))
    observed = build(tracing=False, tracer_provider=provider)
    await request(observed.app, "POST", json={"query": QUERY})
    assert not exported.get_finished_spans()
    seen = [h for recorder in observed.recorders.values() for h in recorder.seen]
    parents = {h["traceparent"] for h in seen}
    assert len(seen) == 7 and len(parents) == 1  # the request span's, set once
    (parent,) = parents
    assert TRACEPARENT.fullmatch(parent)
    assert int(parent[-2:], 16) & 1 == 0  # the sampled flag is off
