"""Structured logs: one JSON object per line, with the request id of the request being
served (read from the request context when the record is handled, so every line logged
during a request carries it, whichever logger wrote it)."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson

from gateway.observability.context import current_request

ACCESS_LOGGER = "gateway.access"
_HANDLER_MARK = "_brand_matrix_json"


class RequestContextFilter(logging.Filter):
    """Stamps records with the current request's id (and trace id when tracing)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = current_request.get()
        if ctx is not None:
            record.request_id = ctx.request_id
            if ctx.trace_id is not None:
                record.trace_id = ctx.trace_id
        return True


class JsonFormatter(logging.Formatter):
    """`fields` given as `extra={"fields": {...}}` are merged into the object."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "trace_id"):
            value = getattr(record, key, None)
            if value is not None:
                out[key] = value
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            out.update(fields)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            out["exception"] = record.exc_text
        return orjson.dumps(out, default=str).decode()


def configure_json_logging(level: str | int = "info", stream: TextIO | None = None) -> None:
    """Make the root logger write JSON lines: mixed formats on one stream break log parsers,
    so the root's other handlers go (uvicorn's own loggers follow with `log_config=None`)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
