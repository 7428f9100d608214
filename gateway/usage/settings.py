"""`[usage]`: which schema fields operations use, counted per UTC day (gateway/usage/).

    [usage]
    enabled = true          # count in memory (per process)
    sink = "redis://127.0.0.1:6379/0"   # or postgresql://..., sqlite:///usage.db; unset: memory
    flush_seconds = 10      # how often the counts go to the sink (and on shutdown)
    retention_days = 30     # days kept in memory and in Redis
    endpoint = false        # GET /usage?days=N: this process's counts as JSON

`brand-matrix check` reads the sink (gateway/usage/reader.py) to tell a breaking change to a
field no operation used in the last N days from one that breaks clients.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.config_fields import above, between, setting
from gateway.usage.flusher import UsageFlusher
from gateway.usage.recorder import UsageRecorder
from gateway.usage.sinks import open_sink, sink_problem


@dataclass(frozen=True)
class UsageSettings:
    enabled: bool = setting(True, "count the schema fields operations use, per UTC day")
    sink: str | None = setting(
        None,
        "redis://, postgresql:// or sqlite:/// URL the counts are flushed to (unset: memory)",
        check=sink_problem,
    )
    flush_seconds: float = setting(10.0, "seconds between flushes to the sink", check=above(0))
    retention_days: int = setting(
        30, "days of counts kept in memory and in Redis", check=between(1, 3650)
    )
    endpoint: bool = setting(False, "GET /usage?days=N: this process's counts as JSON")


def build_usage(settings: UsageSettings) -> UsageFlusher | None:
    """The recorder and its flusher for `[usage]` (None when disabled); the flusher's
    start/stop belong in the server's startup and shutdown hooks."""
    if not settings.enabled:
        return None
    recorder = UsageRecorder(retention_days=settings.retention_days)
    sink = None
    if settings.sink:
        sink = open_sink(settings.sink, retention_days=settings.retention_days)
    return UsageFlusher(recorder, sink, settings.flush_seconds)
