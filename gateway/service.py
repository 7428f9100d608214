"""The gateway as a library: one object that takes GraphQL requests and answers them.

Wiring only: parsing and validation, planning, execution and projection live in their own
packages; this module caches their work per document and hands results to the HTTP layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ResponseKind = Literal["ok", "request_error", "operation_not_allowed"]


@dataclass(slots=True)
class GraphQLRequest:
    """A client's GraphQL request, as decoded from HTTP."""

    query: str | None
    operation_name: str | None = None
    variables: Mapping[str, Any] | None = None
    extensions: Mapping[str, Any] | None = None


@dataclass(slots=True)
class GatewayResponse:
    """The response body and what kind of outcome it is (the HTTP layer maps it to a status).

    `request_error`: nothing was executed (syntax, validation, unknown operation, bad
    variables); the body has `errors` and no `data`.
    `operation_not_allowed`: e.g. a mutation sent with GET.
    """

    body: dict[str, Any]
    kind: ResponseKind = "ok"
    headers: dict[str, str] = field(default_factory=dict)
