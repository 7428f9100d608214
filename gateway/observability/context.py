"""The per-request state every part of observability shares, carried in a context variable
(asyncio copies it into the tasks the executor gathers, so subgraph fetches see it)."""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from time import perf_counter
from typing import Any

REQUEST_ID_HEADER = "x-request-id"
# Printable, header- and log-safe, short: anything else from a client is replaced.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def sane_request_id(value: str | bytes | None) -> str | None:
    """The client's request id when it is safe to echo, log and forward; else None."""
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError:
            return None
    return value if _SANE_REQUEST_ID.fullmatch(value) else None


def new_request_id() -> str:
    # 128 random bits as 32 hex digits, like a UUID4's, at a fifth of uuid4()'s cost.
    return os.urandom(16).hex()


class RequestContext:
    """A plain slotted class rather than a dataclass: built once per request, so its
    constructor is kept to the few assignments it needs."""

    __slots__ = (
        "errors",
        "executed",
        "operation_name",
        "operation_type",
        "outcome",
        "prepared",
        "recording",
        "request_id",
        "span",
        "started",
        "status",
        "subgraph_headers",
        "trace_id",
    )

    def __init__(self, request_id: str, *, subgraph_headers: dict[str, str] | None = None) -> None:
        self.request_id = request_id
        self.started = perf_counter()
        # Headers every subgraph fetch of this request carries (request id; the client's
        # trace context passed through when the gateway does not trace itself).
        self.subgraph_headers = subgraph_headers if subgraph_headers is not None else {}
        self.status = 0
        self.executed = False  # the request reached Gateway.execute
        self.prepared = False  # its operation parsed, validated and planned
        self.operation_name: str | None = None
        self.operation_type: str | None = None
        self.errors = 0
        self.outcome: str | None = None  # GatewayResponse.kind
        self.span: Any = None  # the request span when tracing
        # The request span is sampled: only then do planning and fetches get spans of their
        # own (a sampled-out request costs one span, its traceparent set once for subgraphs).
        self.recording = False
        self.trace_id: str | None = None


current_request: ContextVar[RequestContext | None] = ContextVar(
    "brand_matrix_request", default=None
)
