"""HTTP-level failures, and the handlers that keep every error answer GraphQL-shaped."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from gateway.http.responses import error_response

logger = logging.getLogger("gateway.http")


class HttpError(Exception):
    """The HTTP request cannot become a GraphQL request; answered with `status`."""

    def __init__(
        self, status: int, message: str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


async def http_exception_handler(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 answers, reshaped so clients always get GraphQL errors."""
    assert isinstance(exc, HTTPException)
    return error_response(exc.detail, status=exc.status_code, headers=exc.headers)


async def server_error_handler(request: Request, exc: Exception) -> Response:
    """Last resort for bugs outside the GraphQL endpoint: no traceback leaves the server."""
    path = request.scope.get("path")  # not request.url: it fails on a non-UTF-8 query string
    logger.error("unhandled error on %s %s", request.method, path, exc_info=exc)
    return error_response("Internal server error", status=500)
