"""Reading a request body without ever holding more than the configured limit in memory."""

from __future__ import annotations

from starlette.requests import ClientDisconnect, Request

from gateway.http.errors import HttpError


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or HttpError 413 as soon as it is known to exceed `limit` bytes.

    The Content-Length header is checked first so an honest client is refused before it
    uploads; the running count catches chunked bodies and clients that understate it.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:
            raise HttpError(400, "Content-Length header is not a number") from None
        if length > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise _too_large(limit)
            chunks.append(chunk)
    except ClientDisconnect:
        raise HttpError(400, "Client disconnected before sending the whole body") from None
    return b"".join(chunks)


def _too_large(limit: int) -> HttpError:
    return HttpError(413, f"Request body is larger than the limit of {limit} bytes")
