"""Field usage as recorded in a sink, for `brand-matrix check` (which is not the gateway)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from gateway.usage.recorder import window
from gateway.usage.sinks import Sink, SinkError, one_line, open_sink


class UsageUnavailable(Exception):
    """The sink cannot be read; the message is one line, for the user."""


def read_usage(sink: str, *, days: int, now: datetime | None = None) -> dict[str, int]:
    """Coordinate -> total count over the last `days` UTC days from a Redis or SQL sink.
    Raises UsageUnavailable (a one-line, user-facing message) when the sink cannot be read."""
    return read_window(sink, days=days, now=now)[0]


def read_window(
    sink: str, *, days: int, now: datetime | None = None
) -> tuple[dict[str, int], date | None]:
    """`read_usage`, and since when the sink records (`recorded_since`), in one visit."""
    if days < 1:
        raise UsageUnavailable(f"usage window must be at least 1 day (got {days})")
    first, last = window(days, now)
    return _with_sink(sink, lambda store: (store.read(first, last), store.recorded_since()))


def recorded_since(sink: str) -> date | None:
    """The first UTC day a gateway recorded usage in `sink` (None: never), so that a check
    can tell a window the sink covers from one it started recording in the middle of."""
    return _with_sink(sink, lambda store: store.recorded_since())


T = TypeVar("T")


def _with_sink(sink: str, use: Callable[[Sink], T]) -> T:
    try:
        store = open_sink(sink)
    except SinkError as error:
        raise UsageUnavailable(str(error)) from None
    except Exception as error:  # a malformed URL, a missing driver
        raise UsageUnavailable(f"cannot open usage sink {_safe(sink)}: {one_line(error)}") from None
    try:
        return use(store)
    except LookupError as error:
        raise UsageUnavailable(f"usage sink {_safe(sink)}: {error}") from None
    except Exception as error:
        raise UsageUnavailable(f"cannot read usage sink {_safe(sink)}: {one_line(error)}") from None
    finally:
        store.close()


def _safe(url: str) -> str:
    from gateway.config_print import mask_url  # passwords never reach a terminal or a log

    return mask_url(url)
