"""`GET /usage?days=N` (off unless `[usage] endpoint = true`): this process's in-memory counts.

Per process: with several workers each answers for itself; the sink has everyone's. Not part
of /metrics: one series per schema coordinate would swamp a Prometheus server.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateway.usage.recorder import UsageRecorder

USAGE_PATH = "/usage"
DEFAULT_DAYS = 7


def usage_endpoint(recorder: UsageRecorder) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        raw = request.query_params.get("days", str(DEFAULT_DAYS))
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= recorder.retention_days:
            message = f"days must be a whole number from 1 to {recorder.retention_days}"
            # The gateway's one error shape, GraphQL's, on every endpoint.
            error = {"message": message, "extensions": {"code": "BAD_REQUEST"}}
            return JSONResponse({"errors": [error]}, status_code=400)
        days = int(raw)
        fields = recorder.field_counts(days)
        operations = [
            {"client": client, "operation": name, "requests": count}
            for client, name, count in recorder.operation_counts(days)
        ]
        body = {"days": days, "fields": dict(sorted(fields.items())), "operations": operations}
        return JSONResponse(body)

    return endpoint
