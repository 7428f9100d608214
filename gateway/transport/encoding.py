"""Request and response bodies shared by every transport."""

from __future__ import annotations

from typing import Any

import orjson

from gateway.transport.base import SubgraphRequest, TransportError

JSON_HEADERS = {
    "content-type": "application/json",
    "accept": "application/graphql-response+json, application/json",
}


def encode_request(request: SubgraphRequest) -> bytes:
    body: dict[str, Any] = {"query": request.query}
    if request.variables:
        body["variables"] = request.variables
    if request.operation_name:
        body["operationName"] = request.operation_name
    return orjson.dumps(body)


def decode_response(status: int, payload: bytes, subgraph: str) -> dict[str, Any]:
    """Decode a subgraph's answer; a GraphQL body is accepted whatever the status code."""
    try:
        body = orjson.loads(payload)
    except orjson.JSONDecodeError:
        raise TransportError(
            f"subgraph '{subgraph}' answered HTTP {status} with a body that is not JSON"
        ) from None
    if not isinstance(body, dict) or ("data" not in body and "errors" not in body):
        raise TransportError(
            f"subgraph '{subgraph}' answered HTTP {status} without a GraphQL response"
        )
    return body
