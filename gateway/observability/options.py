"""What the gateway's observability does; every part can be switched off on its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from opentelemetry.trace import TracerProvider
    from prometheus_client import CollectorRegistry


@dataclass(frozen=True, slots=True)
class ObservabilityOptions:
    # Prometheus exposition at `metrics_path`, served by the wrapper in front of the app.
    metrics: bool = True
    metrics_path: str = "/metrics"
    # OTLP/HTTP base URL (".../v1/traces" is appended); None: OTEL_EXPORTER_OTLP_ENDPOINT or
    # OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; none of them: no tracing at all, no span cost.
    otlp_endpoint: str | None = None
    # Bring your own provider (tests, an app embedding the gateway); wins over OTLP settings.
    tracer_provider: TracerProvider | None = None
    service_name: str = "brand-matrix-gateway"
    # One JSON object per log line on `log_stream` (stderr), replacing the root handlers.
    json_logs: bool = True
    log_level: str = "info"
    log_stream: TextIO | None = None
    # One "request" line per HTTP request (logger `gateway.access`).
    access_log: bool = True
    # Bounds on the `operation` label: at most this many names, each cut to this length.
    max_operation_names: int = 200
    operation_name_max_length: int = 64
    # Not timed, traced or logged: probes would drown the real traffic.
    skip_paths: tuple[str, ...] = ("/health",)
    graphql_path: str = "/graphql"
    # A registry of one's own (tests); default: a fresh one per setup.
    registry: CollectorRegistry | None = None
