"""OpenTelemetry tracing: on only when an exporter is configured, else no tracer at all, so
the request path does not even build no-op spans. W3C trace context goes to subgraphs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from opentelemetry.trace import Span, Tracer, TracerProvider, set_span_in_context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:
    from opentelemetry.context import Context

    from gateway.observability.options import ObservabilityOptions

TRACER_NAME = "gateway.observability"
TRACES_PATH = "/v1/traces"
# W3C trace context on purpose, whatever OTEL_PROPAGATORS says: subgraphs expect traceparent.
PROPAGATOR = TraceContextTextMapPropagator()
TRACE_HEADERS = (b"traceparent", b"tracestate")


@dataclass(slots=True)
class Tracing:
    tracer: Tracer
    provider: TracerProvider
    owned: bool  # built here: shut down (flushing spans) with the app

    def shutdown(self) -> None:
        if self.owned:
            shutdown = getattr(self.provider, "shutdown", None)
            if shutdown is not None:
                shutdown()


def build_tracing(options: ObservabilityOptions) -> Tracing | None:
    if options.tracer_provider is not None:
        provider = options.tracer_provider
        return Tracing(provider.get_tracer(TRACER_NAME), provider, owned=False)
    if os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return None
    explicit = options.otlp_endpoint
    from_env = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_ENDPOINT"
    )
    if not explicit and not from_env:
        return None
    # Imported only when tracing is on: the SDK and exporter cost start-up time otherwise.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    # Without an explicit URL the exporter reads the OTEL_EXPORTER_OTLP_* variables itself.
    exporter = OTLPSpanExporter(endpoint=traces_url(explicit) if explicit else None)
    service = os.environ.get("OTEL_SERVICE_NAME") or options.service_name
    sdk_provider = SdkTracerProvider(resource=Resource.create({"service.name": service}))
    # Batched, in a background thread: exporting never waits on the request path.
    sdk_provider.add_span_processor(BatchSpanProcessor(exporter))
    return Tracing(sdk_provider.get_tracer(TRACER_NAME), sdk_provider, owned=True)


def traces_url(endpoint: str) -> str:
    """A base URL as in OTEL_EXPORTER_OTLP_ENDPOINT, or already the traces URL."""
    endpoint = endpoint.rstrip("/")
    return endpoint if endpoint.endswith(TRACES_PATH) else endpoint + TRACES_PATH


def extract_parent(headers: Mapping[str, str]) -> Context | None:
    """The client's trace context, when it sent a valid traceparent."""
    if "traceparent" not in headers:
        return None
    return PROPAGATOR.extract(headers)


def inject_span(carrier: dict[str, str], span: Span) -> None:
    """Add traceparent (and tracestate) naming `span` as the parent to outgoing headers."""
    PROPAGATOR.inject(carrier, context=set_span_in_context(span))
