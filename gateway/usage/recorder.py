"""Field usage counts in memory: the request path adds one to a counter, nothing more.

A request records (UTC day, prepared operation's usage, client name) -> +1; only `fold()`
(run by the flusher every few seconds, or by a reader) expands those into per-coordinate
counts, so the per-request cost does not grow with the size of the operation.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from gateway.usage.extract import OperationUsage

DAY = 86_400
_EPOCH = date(1970, 1, 1).toordinal()
OTHER = "(other)"  # client names beyond `max_pending` distinct ones between folds
MAX_CLIENT_NAME = 100
DayCounts = dict[tuple[date, str], int]  # (UTC day, coordinate) -> count


def day_of(epoch_day: int) -> date:
    return date.fromordinal(_EPOCH + epoch_day)


def today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(UTC).date()


def window(days: int, now: datetime | None = None) -> tuple[date, date]:
    """The first and last UTC day of the last `days` days, today included."""
    last = today(now)
    return last - timedelta(days=max(days, 1) - 1), last


class UsageRecorder:
    """In-memory counts per (coordinate, UTC day) and per (client, operation name, day)."""

    def __init__(
        self,
        *,
        retention_days: int = 30,
        max_pending: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.retention_days = retention_days
        self.max_pending = max_pending
        self._clock = clock
        self._pending: dict[tuple[int, OperationUsage, str | None], int] = {}
        self._fields: dict[date, Counter[str]] = {}
        self._operations: dict[date, Counter[tuple[str | None, str | None]]] = {}
        self._outbox: DayCounts | None = None  # for a sink: see keep_for_sink()

    def record(self, usage: OperationUsage, client: str | None = None) -> None:
        """One request of the operation `usage` (the request path: keep it this small)."""
        key = (int(self._clock() // DAY), usage, client)
        pending = self._pending
        count = pending.get(key)
        if count is not None:
            pending[key] = count + 1
            return
        if client is not None:
            # Client names come from a header: bound what an unknown caller can make us keep.
            client = client[:MAX_CLIENT_NAME] if len(pending) < self.max_pending else OTHER
            key = (key[0], usage, client)
        pending[key] = pending.get(key, 0) + 1

    def keep_for_sink(self) -> None:
        """Keep what each fold adds until `drain()` takes it (a flusher with a sink)."""
        if self._outbox is None:
            self._outbox = {}

    def drain(self) -> DayCounts:
        """Fold, and hand over the per (day, coordinate) counts added since the last drain."""
        self.fold()
        if self._outbox is None:
            return {}
        added, self._outbox = self._outbox, {}
        return added

    def fold(self) -> None:
        """Move the requests recorded since the last fold into the totals (readers fold too,
        so what a sink still needs waits in the outbox for `drain()`)."""
        pending, self._pending = self._pending, {}  # one swap: no request is lost or doubled
        added: Counter[tuple[date, str]] = Counter()
        for (epoch_day, usage, client), count in pending.items():
            day = day_of(epoch_day)
            for coordinate in usage.coordinates:
                added[(day, coordinate)] += count
            self._operations.setdefault(day, Counter())[(client, usage.name)] += count
        for (day, coordinate), count in added.items():
            self._fields.setdefault(day, Counter())[coordinate] += count
            if self._outbox is not None:
                self._outbox[(day, coordinate)] = self._outbox.get((day, coordinate), 0) + count
        self._forget(today(datetime.fromtimestamp(self._clock(), UTC)))

    def field_counts(self, days: int, now: datetime | None = None) -> dict[str, int]:
        """Coordinate -> requests over the last `days` UTC days (this process only)."""
        self.fold()
        first, last = window(days, now or datetime.fromtimestamp(self._clock(), UTC))
        total: Counter[str] = Counter()
        for day, counts in self._fields.items():
            if first <= day <= last:
                total.update(counts)
        return dict(total)

    def operation_counts(
        self, days: int, now: datetime | None = None
    ) -> list[tuple[str | None, str | None, int]]:
        """(client name, operation name, requests) over the last `days` days, busiest first."""
        self.fold()
        first, last = window(days, now or datetime.fromtimestamp(self._clock(), UTC))
        total: Counter[tuple[str | None, str | None]] = Counter()
        for day, counts in self._operations.items():
            if first <= day <= last:
                total.update(counts)
        return [(client, name, n) for (client, name), n in total.most_common()]

    def _forget(self, current: date) -> None:
        oldest = current - timedelta(days=self.retention_days)
        for table in (self._fields, self._operations):
            for day in [d for d in table if d < oldest]:
                del table[day]
