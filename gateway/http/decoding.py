"""Turning GET query strings and POST JSON bodies into GraphQLRequest objects.

Anything that is not a well-formed GraphQL-over-HTTP request raises HttpError(400); whether
the document parses or validates is the gateway's business, not this module's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from gateway.http.errors import HttpError
from gateway.service import GraphQLRequest


def decode_json_body(body: bytes) -> GraphQLRequest:
    if not body.strip():
        raise HttpError(400, "Request body is empty; expected a JSON object with a 'query'")
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise HttpError(400, "Request body is not valid JSON") from None
    if not isinstance(payload, dict):
        # Batched requests (arrays) are not supported, so say what is expected instead.
        raise HttpError(400, "Request body must be a JSON object with a 'query'")
    return _graphql_request(
        payload.get("query"),
        payload.get("operationName"),
        payload.get("variables"),
        payload.get("extensions"),
    )


def decode_query_params(params: Mapping[str, str]) -> GraphQLRequest:
    """GET parameters: variables and extensions arrive JSON-encoded in the query string."""
    operation_name = params.get("operationName") or None  # the spec: "" means absent
    return _graphql_request(
        params.get("query"),
        operation_name,
        _json_param(params, "variables"),
        _json_param(params, "extensions"),
    )


def _graphql_request(
    query: Any, operation_name: Any, variables: Any, extensions: Any
) -> GraphQLRequest:
    # An APQ request names its document by hash in the extensions and may omit the query.
    persisted = isinstance(extensions, dict) and "persistedQuery" in extensions
    if query is None and not persisted:
        raise HttpError(400, "Missing 'query': a GraphQL document string is required")
    if query is not None and not isinstance(query, str):
        raise HttpError(400, "'query' must be a string")
    if operation_name is not None and not isinstance(operation_name, str):
        raise HttpError(400, "'operationName' must be a string")
    if variables is not None and not isinstance(variables, dict):
        raise HttpError(400, "'variables' must be an object")
    if extensions is not None and not isinstance(extensions, dict):
        raise HttpError(400, "'extensions' must be an object")
    return GraphQLRequest(query, operation_name or None, variables, extensions)


def _json_param(params: Mapping[str, str], name: str) -> Any:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise HttpError(400, f"'{name}' is not valid JSON") from None
