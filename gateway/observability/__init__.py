"""Observability for the gateway, plugged in from outside the HTTP layer:

    app = setup(create_app(gateway), gateway, ObservabilityOptions(...))

- Prometheus metrics at `/metrics` (requests, errors and latency per operation, subgraph
  fetch latency and errors per subgraph, plan cache hits and misses);
- OpenTelemetry tracing when an OTLP endpoint is configured (a request span, a planning
  span, a client span per subgraph fetch) and W3C trace context sent to subgraphs;
- JSON logs with a request id (the client's `x-request-id` when sane, else a new one),
  returned in the response and forwarded to subgraphs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gateway.observability.hooks import instrument_gateway
from gateway.observability.logs import configure_json_logging
from gateway.observability.metrics import GatewayMetrics
from gateway.observability.middleware import ObservabilityMiddleware
from gateway.observability.options import ObservabilityOptions
from gateway.observability.tracing import build_tracing
from gateway.observability.transport import InstrumentedTransport
from gateway.transport.base import SubgraphTransport

if TYPE_CHECKING:
    from gateway.service import Gateway

__all__ = ["ObservabilityMiddleware", "ObservabilityOptions", "setup"]


def setup(
    app: Any, gateway: Gateway, options: ObservabilityOptions | None = None
) -> ObservabilityMiddleware:
    """Instrument `gateway` and return the ASGI app to serve in place of `app`. Once per
    gateway. With JSON logs on, the root logger is reconfigured (see `configure_json_logging`)."""
    options = options or ObservabilityOptions()
    if options.json_logs:
        configure_json_logging(options.log_level, options.log_stream)
    metrics = None
    if options.metrics:
        metrics = GatewayMetrics(
            options.registry,
            max_operation_names=options.max_operation_names,
            operation_name_max_length=options.operation_name_max_length,
        )
        metrics.watch_plan_cache(gateway)
    tracing = build_tracing(options)
    tracer = tracing.tracer if tracing is not None else None

    def wrap(name: str, inner: SubgraphTransport) -> InstrumentedTransport:
        subgraph = metrics.subgraph(name) if metrics is not None else None
        return InstrumentedTransport(name, inner, subgraph, tracer)

    # Wraps the executor's view only: `gateway.transports` keeps the concrete transports.
    instrument_gateway(gateway, tracer, wrap)
    return ObservabilityMiddleware(app, metrics=metrics, tracing=tracing, options=options)
