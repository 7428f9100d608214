"""Field usage as recorded in a sink, for `brand-matrix check` (which is not the gateway)."""

from __future__ import annotations

from datetime import datetime

from gateway.usage.recorder import window
from gateway.usage.sinks import SinkError, one_line, open_sink


class UsageUnavailable(Exception):
    """The sink cannot be read; the message is one line, for the user."""


def read_usage(sink: str, *, days: int, now: datetime | None = None) -> dict[str, int]:
    """Coordinate -> total count over the last `days` UTC days from a Redis or SQL sink.
    Raises UsageUnavailable (a one-line, user-facing message) when the sink cannot be read."""
    if days < 1:
        raise UsageUnavailable(f"usage window must be at least 1 day (got {days})")
    first, last = window(days, now)
    try:
        store = open_sink(sink)
    except SinkError as error:
        raise UsageUnavailable(str(error)) from None
    except Exception as error:  # a malformed URL, a missing driver
        raise UsageUnavailable(f"cannot open usage sink {_safe(sink)}: {one_line(error)}") from None
    try:
        return store.read(first, last)
    except LookupError as error:
        raise UsageUnavailable(f"usage sink {_safe(sink)}: {error}") from None
    except Exception as error:
        raise UsageUnavailable(f"cannot read usage sink {_safe(sink)}: {one_line(error)}") from None
    finally:
        store.close()


def _safe(url: str) -> str:
    from gateway.config_print import mask_url  # passwords never reach a terminal or a log

    return mask_url(url)
