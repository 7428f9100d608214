"""Field usage: which schema coordinates operations use, counted per UTC day, kept in memory
and optionally flushed to Redis or SQL (issue #9). `read_usage` serves `brand-matrix check`."""

from gateway.usage.extract import OperationUsage, operation_usage, used_coordinates
from gateway.usage.flusher import UsageFlusher
from gateway.usage.reader import UsageUnavailable, read_usage
from gateway.usage.recorder import UsageRecorder
from gateway.usage.sinks import SinkError, open_sink

__all__ = [
    "OperationUsage",
    "SinkError",
    "UsageFlusher",
    "UsageRecorder",
    "UsageUnavailable",
    "open_sink",
    "operation_usage",
    "read_usage",
    "used_coordinates",
]
