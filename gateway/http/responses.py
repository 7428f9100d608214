"""Serializing GraphQL responses (orjson) and choosing their status codes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

from gateway.http.negotiation import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON
from gateway.service import ResponseKind


def graphql_response(
    body: Mapping[str, Any],
    *,
    status: int,
    media_type: str = APPLICATION_JSON,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Raises orjson.JSONEncodeError when the body holds something JSON cannot carry."""
    return Response(
        orjson.dumps(body),
        status_code=status,
        headers=dict(headers) if headers else None,
        media_type=f"{media_type}; charset=utf-8",
    )


def error_response(
    message: str,
    *,
    status: int,
    media_type: str = APPLICATION_JSON,
    headers: Mapping[str, str] | None = None,
) -> Response:
    return graphql_response(
        {"errors": [{"message": message}]}, status=status, media_type=media_type, headers=headers
    )


def status_for(kind: ResponseKind, media_type: str) -> int:
    """The status of an executed (or refused) well-formed request, per GraphQL over HTTP."""
    if kind == "operation_not_allowed":
        return 405  # a mutation over GET: the spec requires 405 whatever the media type
    if kind == "unauthenticated":
        return 401  # a bad access token (gateway.auth), whatever the media type
    if kind == "rate_limited":
        return 429  # over a per-client limit (gateway.ratelimit), whatever the media type
    if kind == "request_error" and media_type == GRAPHQL_RESPONSE_JSON:
        return 400
    # application/json clients cannot trust non-2xx bodies, so request errors stay 200 there.
    return 200
