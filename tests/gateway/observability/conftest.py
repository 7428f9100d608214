"""An observed gateway over the benchmark's in-process subgraphs, whose requests' headers
are recorded, with spans kept in memory and logs written to a string."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import CollectorRegistry

from bench.subgraphs import subgraph_apps
from gateway.http import create_app
from gateway.observability import ObservabilityMiddleware, ObservabilityOptions, setup
from gateway.service import Gateway
from gateway.transport.asgi import AsgiTransport

DATA = Path(__file__).resolve().parents[3] / "bench" / "data"
SUPERGRAPH = (DATA / "supergraph.graphql").read_text(encoding="utf-8")
QUERY = (DATA / "query.graphql").read_text(encoding="utf-8")  # `TestQuery`: 7 fetches
SUBGRAPHS = ("accounts", "inventory", "products", "reviews")


class HeaderRecorder:
    """An ASGI app in front of a subgraph that keeps the headers of every request."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[dict[str, str]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen.append({k.decode(): v.decode() for k, v in scope["headers"]})
        await self.app(scope, receive, send)


@dataclass
class Observed:
    app: ObservabilityMiddleware
    gateway: Gateway
    recorders: dict[str, HeaderRecorder]
    spans: InMemorySpanExporter
    logs: io.StringIO
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def log_lines(self) -> list[str]:
        return [line for line in self.logs.getvalue().splitlines() if line]


Build = Callable[..., Observed]


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    """JSON logs replace the root logger's handlers: put them back after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
async def build() -> AsyncIterator[Build]:
    """`build(tracing=True, **options)`: a fresh observed gateway per call."""
    gateways: list[Gateway] = []

    def make(*, tracing: bool = True, **overrides: Any) -> Observed:
        recorders = {name: HeaderRecorder(app) for name, app in subgraph_apps().items()}
        transports = {name: AsgiTransport(name, app) for name, app in recorders.items()}
        gateway = Gateway(SUPERGRAPH, transports)
        gateways.append(gateway)
        spans = InMemorySpanExporter()
        provider = None
        if tracing:
            provider = TracerProvider()
            provider.add_span_processor(SimpleSpanProcessor(spans))
        logs = io.StringIO()
        registry = CollectorRegistry()
        options = replace(
            ObservabilityOptions(
                tracer_provider=provider, log_stream=logs, registry=registry, otlp_endpoint=None
            ),
            **overrides,
        )
        app = setup(create_app(gateway), gateway, options)
        return Observed(app, gateway, recorders, spans, logs, registry)

    yield make
    for gateway in gateways:
        await gateway.aclose()


@pytest.fixture(autouse=True)
def _no_otlp_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_SDK_DISABLED",
    ):
        monkeypatch.delenv(name, raising=False)
