"""Where field usage outlives the process: a Redis or SQL store, chosen by URL.

Sinks are synchronous (redis-py, SQLAlchemy Core): the flusher calls them in a worker thread,
never on the request path, and `brand-matrix check` reads them from a plain function.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Protocol

from gateway.usage.recorder import DayCounts


class SinkError(Exception):
    """A sink URL that cannot be used (one line, for the config check and the CLI)."""


class Sink(Protocol):
    def write(self, counts: DayCounts) -> None:
        """Add `counts` to the stored ones (atomically per coordinate); creates the store."""

    def read(self, first: date, last: date) -> dict[str, int]:
        """Coordinate -> total count from `first` to `last` (UTC days, both included).
        Raises LookupError when nothing was ever recorded there (a wrong URL or prefix)."""

    def recorded_since(self) -> date | None:
        """The first UTC day a gateway recorded here (None: never): days before it hold no
        evidence that a field was unused."""

    def close(self) -> None: ...


def sink_problem(url: str) -> str | None:
    """Why `url` names no sink, or None (checked with the config, without connecting)."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return None
    if url.split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres", "sqlite"):
        return None
    return "must be a redis://, rediss://, postgresql:// or sqlite:/// URL"


def open_sink(url: str, *, retention_days: int = 30) -> Sink:
    problem = sink_problem(url)
    if problem is not None:
        raise SinkError(f"usage sink {url!r} {problem}")
    if url.startswith(("redis://", "rediss://", "unix://")):
        from gateway.usage.redis_sink import RedisSink

        return RedisSink.from_url(url, retention_days=retention_days)
    from gateway.usage.sql_sink import SqlSink

    return SqlSink.from_url(url)


def merge(into: dict[tuple[date, str], int], more: Mapping[tuple[date, str], int]) -> None:
    for key, count in more.items():
        into[key] = into.get(key, 0) + count


def one_line(error: BaseException) -> str:
    """An exception as one line (drivers' messages span several)."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"
