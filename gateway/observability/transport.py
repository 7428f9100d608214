"""Instrumented subgraph fetches: latency and errors per subgraph, a client span per fetch,
and the request id and trace context sent along.

The wrapped transports are the executor's view of `gateway.transports`, which itself stays
untouched: code that looks for concrete transports there (the partition config reload finds
its `PartitionedTransport`s) keeps working, and a transport swapped in there later is
wrapped on its first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from time import perf_counter
from typing import Any

from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer

from gateway.observability.context import current_request
from gateway.observability.metrics import SubgraphMetrics
from gateway.observability.tracing import inject_span
from gateway.transport.base import SubgraphRequest, SubgraphTransport, TransportError

GRAPHQL_ERRORS = "GRAPHQL_ERRORS"
INTERNAL = "INTERNAL"


class InstrumentedTransport:
    def __init__(
        self,
        name: str,
        inner: SubgraphTransport,
        metrics: SubgraphMetrics | None,
        tracer: Tracer | None,
    ) -> None:
        self.name = name
        self.inner = inner
        self._metrics = metrics
        self._tracer = tracer
        self._span_name = f"subgraph {name}"
        self._attributes = {"subgraph.name": name}

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        # One coroutine, no helpers: this runs for every fetch of every request.
        ctx = current_request.get()
        span = None
        if self._tracer is None or (ctx is not None and not ctx.recording):
            if ctx is not None and ctx.subgraph_headers:
                request = with_context_headers(request, ctx.subgraph_headers)
        else:
            span = self._tracer.start_span(
                self._span_name, kind=SpanKind.CLIENT, attributes=self._attributes
            )
            headers = dict(ctx.subgraph_headers) if ctx is not None else {}
            inject_span(headers, span)  # traceparent names this fetch's span as the parent
            request = with_context_headers(request, headers)
        metrics = self._metrics
        started = perf_counter()
        try:
            response = await self.inner.fetch(request)
            if "errors" in response:
                self._answered_with_errors(response, span)
        except TransportError as error:
            self._failed(error.code, str(error), span)
            raise
        except Exception as error:
            self._failed(INTERNAL, repr(error), span)
            raise
        finally:
            if metrics is not None:
                metrics.duration.observe(perf_counter() - started)
            if span is not None:
                span.end()
        return response

    def _answered_with_errors(self, response: dict[str, Any], span: Any) -> None:
        if self._metrics is not None:
            self._metrics.error(GRAPHQL_ERRORS)
        if span is not None:
            errors = response["errors"]
            span.set_attribute("graphql.errors", len(errors) if isinstance(errors, list) else 1)

    def _failed(self, code: str, message: str, span: Any) -> None:
        if self._metrics is not None:
            self._metrics.error(code)
        if span is not None:
            span.set_attribute("error.type", code)
            span.set_status(Status(StatusCode.ERROR, message))

    async def aclose(self) -> None:
        await self.inner.aclose()


def with_context_headers(request: SubgraphRequest, headers: Mapping[str, str]) -> SubgraphRequest:
    """`dataclasses.replace` spelled out: a third of its cost, paid on every fetch (a test
    fails when SubgraphRequest gains a field this does not copy)."""
    return SubgraphRequest(
        request.query,
        request.variables,
        request.operation_name,
        request.headers,
        request.deduplicate,
        headers,
    )


Factory = Callable[[str, SubgraphTransport], InstrumentedTransport]


class InstrumentedTransports(Mapping[str, SubgraphTransport]):
    """A live, wrapping view of a transports mapping (one identity check per fetch)."""

    def __init__(self, source: Mapping[str, SubgraphTransport], factory: Factory) -> None:
        self.source = source
        self._factory = factory
        self._wrapped: dict[str, tuple[SubgraphTransport, InstrumentedTransport]] = {}

    def get(self, name: str, default: Any = None) -> Any:
        inner = self.source.get(name)
        if inner is None:
            return default
        pair = self._wrapped.get(name)
        if pair is None or pair[0] is not inner:
            pair = self._wrapped[name] = (inner, self._factory(name, inner))
        return pair[1]

    def __getitem__(self, name: str) -> SubgraphTransport:
        wrapped = self.get(name)
        if wrapped is None:
            raise KeyError(name)
        return wrapped

    def __iter__(self) -> Iterator[str]:
        return iter(self.source)

    def __len__(self) -> int:
        return len(self.source)
