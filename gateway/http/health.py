"""Liveness probe for load balancers and orchestrators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from gateway.http.responses import graphql_response


async def health(request: Request) -> Response:
    return graphql_response({"status": "ok"}, status=200)
