"""Field usage in Redis: one hash per UTC day (coordinate -> count), HINCRBY in a pipeline.

Keys: PREFIX + YYYY-MM-DD, expiring `retention_days` after the day; PREFIX + "since" marks
that a gateway records there (so a reader can tell "never used" from "wrong Redis") and from
which day; PREFIX + "retention" how many days are kept.
The prefix is `brand-matrix:usage:` unless the URL says `?prefix=...`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from gateway.usage.recorder import DAY, DayCounts, today

if TYPE_CHECKING:
    from redis import Redis

DEFAULT_PREFIX = "brand-matrix:usage:"
EPOCH = date(1970, 1, 1)


def split_prefix(url: str) -> tuple[str, str]:
    """(url without our `prefix` query parameter, the prefix): redis-py refuses unknown ones."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    prefix = next((v for k, v in query if k == "prefix"), DEFAULT_PREFIX)
    rest = urlencode([(k, v) for k, v in query if k != "prefix"])
    return urlunsplit(parts._replace(query=rest)), prefix


class RedisSink:
    def __init__(self, client: Redis, *, prefix: str = DEFAULT_PREFIX, retention_days: int = 30):
        self._client = client
        self.prefix = prefix
        self.retention_days = retention_days

    @classmethod
    def from_url(cls, url: str, *, retention_days: int = 30) -> RedisSink:
        from redis import Redis

        plain, prefix = split_prefix(url)
        client = Redis.from_url(plain, socket_timeout=2.0, socket_connect_timeout=2.0)
        return cls(client, prefix=prefix, retention_days=retention_days)

    def key(self, day: date) -> str:
        return f"{self.prefix}{day.isoformat()}"

    def write(self, counts: DayCounts) -> None:
        pipe = self._client.pipeline(transaction=False)
        days = {day for day, _ in counts}
        first = min(days, default=today())
        pipe.set(f"{self.prefix}since", first.isoformat(), nx=True)
        # Days older than the retention are gone: a reader must not count them as covered.
        pipe.set(f"{self.prefix}retention", self.retention_days)
        for (day, coordinate), count in counts.items():
            pipe.hincrby(self.key(day), coordinate, count)
        for day in days:  # kept `retention_days` after the day ends
            end = (day - EPOCH).days + 1 + self.retention_days
            pipe.expireat(self.key(day), end * DAY)
        pipe.execute()

    def read(self, first: date, last: date) -> dict[str, int]:
        pipe = self._client.pipeline(transaction=False)
        pipe.exists(f"{self.prefix}since")
        day = first
        while day <= last:
            pipe.hgetall(self.key(day))
            day += timedelta(days=1)
        marker, *hashes = pipe.execute()
        if not marker:
            raise LookupError(f"no field usage recorded under the key prefix {self.prefix!r}")
        total: dict[str, int] = {}
        for table in hashes:
            for coordinate, count in table.items():
                name = coordinate.decode() if isinstance(coordinate, bytes) else coordinate
                total[name] = total.get(name, 0) + int(count)
        return total

    def recorded_since(self) -> date | None:
        """The first recorded day still kept: the `since` marker, or the oldest day the
        retention keeps when that is later."""
        marker, retention = self._client.mget(f"{self.prefix}since", f"{self.prefix}retention")
        if marker is None:
            return None
        since = date.fromisoformat(marker.decode() if isinstance(marker, bytes) else marker)
        if retention is not None:
            since = max(since, today() - timedelta(days=int(retention) - 1))
        return since

    def close(self) -> None:
        self._client.close()
