"""Prometheus metrics: requests per operation, subgraph fetches per subgraph, plan cache.

Label children are bound once and kept (a dict lookup per request instead of the client's
locked label resolution); the plan cache is read at scrape time, costing requests nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from prometheus_client import (
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric

from gateway.observability.labels import OperationLabels

if TYPE_CHECKING:
    from gateway.service import Gateway

PREFIX = "brand_matrix"
# A gateway answers in milliseconds: the client's default buckets start at 5 ms.
LATENCY_BUCKETS = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
)  # fmt: skip


class _Observer(Protocol):
    def observe(self, amount: float) -> None: ...


class _Incrementer(Protocol):
    def inc(self, amount: float = 1) -> None: ...


class SubgraphMetrics:
    """One subgraph's children, bound once when its transport is wrapped."""

    def __init__(self, metrics: GatewayMetrics, subgraph: str) -> None:
        self.duration: _Observer = metrics.fetch_duration.labels(subgraph)
        self._errors = metrics.fetch_errors
        self._subgraph = subgraph
        self._by_code: dict[str, _Incrementer] = {}

    def error(self, code: str) -> None:
        child = self._by_code.get(code)
        if child is None:  # codes are a small fixed set (SUBREQUEST_*, GRAPHQL_ERRORS, ...)
            child = self._by_code[code] = self._errors.labels(self._subgraph, code)
        child.inc()


class GatewayMetrics:
    def __init__(
        self,
        registry: CollectorRegistry | None = None,
        *,
        max_operation_names: int = 200,
        operation_name_max_length: int = 64,
        process_collectors: bool = True,
    ) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self.operations = OperationLabels(max_operation_names, operation_name_max_length)
        reg = self.registry
        self.requests = Counter(
            f"{PREFIX}_requests",
            "HTTP requests served, by GraphQL operation name and HTTP status.",
            ["operation", "status"],
            registry=reg,
        )
        self.request_errors = Counter(
            f"{PREFIX}_request_errors",
            "Requests that failed: reason=request (4xx, nothing executed), graphql (errors in "
            "the response), server (5xx).",
            ["operation", "reason"],
            registry=reg,
        )
        self.request_duration = Histogram(
            f"{PREFIX}_request_duration_seconds",
            "Time from the request's arrival to its response, by GraphQL operation name.",
            ["operation"],
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self.fetch_duration = Histogram(
            f"{PREFIX}_subgraph_fetch_duration_seconds",
            "Duration of subgraph fetches (the count is the number of fetches), by subgraph.",
            ["subgraph"],
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self.fetch_errors = Counter(
            f"{PREFIX}_subgraph_fetch_errors",
            "Failed subgraph fetches by code (SUBREQUEST_HTTP_ERROR, SUBREQUEST_TIMEOUT, "
            "INTERNAL) and fetches whose answer carried GraphQL errors (GRAPHQL_ERRORS).",
            ["subgraph", "code"],
            registry=reg,
        )
        if process_collectors and registry is None:
            ProcessCollector(registry=reg)
            PlatformCollector(registry=reg)
            GCCollector(registry=reg)
        self._request_children: dict[tuple[str, int], tuple[_Incrementer, _Observer]] = {}
        self._error_children: dict[tuple[str, str], _Incrementer] = {}

    def subgraph(self, name: str) -> SubgraphMetrics:
        return SubgraphMetrics(self, name)

    def observe_request(
        self, operation: str, status: int, seconds: float, error_reason: str | None
    ) -> None:
        children = self._request_children.get((operation, status))
        if children is None:  # bounded: operation labels are capped, statuses few
            children = (
                self.requests.labels(operation, str(status)),
                self.request_duration.labels(operation),
            )
            self._request_children[(operation, status)] = children
        children[0].inc()
        children[1].observe(seconds)
        if error_reason is not None:
            error = self._error_children.get((operation, error_reason))
            if error is None:
                error = self.request_errors.labels(operation, error_reason)
                self._error_children[(operation, error_reason)] = error
            error.inc()

    def watch_plan_cache(self, gateway: Gateway) -> None:
        self.registry.register(PlanCacheCollector(gateway))

    def exposition(self, accept: str | None) -> tuple[bytes, str]:
        """The scrape body and its content type (OpenMetrics when the scraper asks for it)."""
        encoder, content_type = choose_encoder(accept or "")
        return encoder(self.registry), content_type


class PlanCacheCollector:
    """Reads the gateway's plan cache counters when scraped. A supergraph swap starts a fresh
    cache: what the old one counted is carried over, so the counters never go back."""

    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway
        self._cache = gateway.plan_cache
        self._base_hits = 0
        self._base_misses = 0

    def collect(self) -> Iterator[Metric]:
        cache = self._gateway.plan_cache
        if cache is not self._cache:
            self._base_hits += self._cache.hits
            self._base_misses += self._cache.misses
            self._cache = cache
        yield CounterMetricFamily(
            f"{PREFIX}_plan_cache_hits",
            "Operations whose parsed, validated plan came from the cache.",
            value=self._base_hits + cache.hits,
        )
        yield CounterMetricFamily(
            f"{PREFIX}_plan_cache_misses",
            "Operations parsed, validated and planned afresh.",
            value=self._base_misses + cache.misses,
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_plan_cache_entries", "Operations in the plan cache.", value=len(cache)
        )
