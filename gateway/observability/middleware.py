"""The ASGI wrapper in front of the gateway's app: serves the metrics scrape, gives each
request its id and context, times it, traces it and writes its access log line."""

from __future__ import annotations

import asyncio
import logging
import re
from time import perf_counter
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry.trace import SpanKind, Status, StatusCode, set_span_in_context

from gateway.observability.context import (
    REQUEST_ID_HEADER,
    RequestContext,
    current_request,
    new_request_id,
    sane_request_id,
)
from gateway.observability.labels import UNKNOWN
from gateway.observability.logs import ACCESS_LOGGER
from gateway.observability.metrics import GatewayMetrics
from gateway.observability.options import ObservabilityOptions
from gateway.observability.tracing import Tracing, extract_parent, inject_span

Scope = dict[str, Any]
Message = dict[str, Any]
ASGIApp = Any

access_logger = logging.getLogger(ACCESS_LOGGER)
_RAW_REQUEST_ID = REQUEST_ID_HEADER.encode()
# Passed through to subgraphs when we do not trace ourselves: only well-formed values.
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
_TRACESTATE = re.compile(r"[\x21-\x7e ]{1,512}")


class ObservabilityMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: GatewayMetrics | None,
        tracing: Tracing | None,
        options: ObservabilityOptions,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.tracing = tracing
        self._tracer = tracing.tracer if tracing is not None else None
        self._metrics_path = options.metrics_path
        self._graphql_path = options.graphql_path
        self._skip = frozenset(options.skip_paths)
        self._access_log = options.access_log

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        kind = scope["type"]
        if kind == "http":
            path = scope["path"]
            if path == self._metrics_path and self.metrics is not None:
                await self._serve_metrics(scope, send)
            elif path in self._skip:
                await self.app(scope, receive, send)
            else:
                await self._observe(scope, receive, send, path)
        elif kind == "lifespan" and self.tracing is not None and self.tracing.owned:
            await self.app(scope, receive, self._flushing_on_shutdown(send))
        else:
            await self.app(scope, receive, send)

    async def _observe(self, scope: Scope, receive: Any, send: Any, path: str) -> None:
        request_id = None
        trace_headers: dict[str, str] | None = None
        for name, value in scope["headers"]:
            if name == _RAW_REQUEST_ID:
                request_id = sane_request_id(value)
            elif name == b"traceparent" or name == b"tracestate":
                trace_headers = trace_headers or {}
                trace_headers[name.decode()] = value.decode("latin-1")
        ctx = RequestContext(request_id or new_request_id())
        ctx.subgraph_headers[REQUEST_ID_HEADER] = ctx.request_id
        otel_token = None
        if self._tracer is not None:
            otel_token = self._start_span(ctx, scope, path, trace_headers)
        elif trace_headers is not None:
            _pass_through(trace_headers, ctx.subgraph_headers)
        token = current_request.set(ctx)
        raw_id = ctx.request_id.encode()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                ctx.status = message["status"]
                headers = [*message.get("headers", ()), (_RAW_REQUEST_ID, raw_id)]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except BaseException as error:
            if ctx.status == 0:
                ctx.status = 500
            if ctx.span is not None and isinstance(error, Exception):
                ctx.span.record_exception(error)
            raise
        finally:
            try:
                self._finish(ctx, scope, path)
            finally:
                current_request.reset(token)
                if otel_token is not None:
                    otel_context.detach(otel_token)

    def _start_span(
        self, ctx: RequestContext, scope: Scope, path: str, trace_headers: dict[str, str] | None
    ) -> object:
        assert self._tracer is not None
        method = scope["method"]
        # Span names must stay few: only the GraphQL path is named, any other is just a method.
        name = f"{method} {path}" if path == self._graphql_path else method
        span = self._tracer.start_span(
            name,
            context=extract_parent(trace_headers) if trace_headers else None,
            kind=SpanKind.SERVER,
            attributes={
                "http.request.method": method,
                "url.path": path,
                "request.id": ctx.request_id,
            },
        )
        ctx.span = span
        span_context = span.get_span_context()
        if span_context.is_valid:
            ctx.trace_id = format(span_context.trace_id, "032x")
        ctx.recording = span.is_recording()
        if not ctx.recording:  # sampled out: subgraphs still learn the trace and the decision
            inject_span(ctx.subgraph_headers, span)
        return otel_context.attach(set_span_in_context(span))

    def _finish(self, ctx: RequestContext, scope: Scope, path: str) -> None:
        seconds = perf_counter() - ctx.started
        status = ctx.status or 500
        if status >= 500:
            reason: str | None = "server"
        elif status >= 400 or ctx.outcome in ("request_error", "operation_not_allowed"):
            reason = "request"
        else:
            reason = "graphql" if ctx.errors else None
        if self.metrics is not None:
            label = (
                self.metrics.operations.label(ctx.operation_name, prepared=ctx.prepared)
                if ctx.executed
                else UNKNOWN
            )
            self.metrics.observe_request(label, status, seconds, reason)
        span = ctx.span
        if span is not None:
            span.set_attribute("http.response.status_code", status)
            if ctx.operation_name is not None:
                span.set_attribute("graphql.operation.name", ctx.operation_name[:128])
            if ctx.operation_type is not None:
                span.set_attribute("graphql.operation.type", ctx.operation_type)
            if ctx.errors:
                span.set_attribute("graphql.errors", ctx.errors)
            if status >= 500:
                span.set_status(Status(StatusCode.ERROR))
            span.end()
        if self._access_log and access_logger.isEnabledFor(logging.INFO):
            fields = {
                "method": scope["method"],
                "path": path,
                "status": status,
                "duration_ms": round(seconds * 1000, 3),
                "operation": None if ctx.operation_name is None else ctx.operation_name[:128],
                "operation_type": ctx.operation_type,
                "errors": ctx.errors,
            }
            access_logger.info("request", extra={"fields": fields})

    async def _serve_metrics(self, scope: Scope, send: Any) -> None:
        assert self.metrics is not None
        if scope["method"] != "GET":
            await _respond(send, 405, b"Method Not Allowed\n", "text/plain", [(b"allow", b"GET")])
            return
        accept = next((v.decode("latin-1") for n, v in scope["headers"] if n == b"accept"), None)
        body, content_type = self.metrics.exposition(accept)
        await _respond(send, 200, body, content_type)

    def _flushing_on_shutdown(self, send: Any) -> Any:
        tracing = self.tracing
        assert tracing is not None

        async def flush_then_send(message: Message) -> None:
            if message["type"] in ("lifespan.shutdown.complete", "lifespan.shutdown.failed"):
                # Exporting blocks on HTTP: keep the event loop free while spans go out.
                await asyncio.to_thread(tracing.shutdown)
            await send(message)

        return flush_then_send


def _pass_through(trace_headers: dict[str, str], out: dict[str, str]) -> None:
    """Not tracing: the client's own trace context reaches the subgraphs untouched."""
    parent = trace_headers.get("traceparent")
    if parent is None or not _TRACEPARENT.fullmatch(parent):
        return
    out["traceparent"] = parent
    state = trace_headers.get("tracestate")
    if state is not None and _TRACESTATE.fullmatch(state):
        out["tracestate"] = state


async def _respond(
    send: Any,
    status: int,
    body: bytes,
    content_type: str,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    headers = [(b"content-type", content_type.encode()), *(extra or [])]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
