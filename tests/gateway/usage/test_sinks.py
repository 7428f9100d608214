"""Flushes to SQLite, PostgreSQL and Redis, read back with `read_usage` over a window of days;
an unreadable sink is one line of UsageUnavailable."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from redis import Redis

from gateway.usage.extract import OperationUsage
from gateway.usage.flusher import UsageFlusher
from gateway.usage.reader import UsageUnavailable, read_usage, recorded_since
from gateway.usage.recorder import DAY, UsageRecorder
from gateway.usage.redis_sink import split_prefix
from gateway.usage.sinks import open_sink
from tests.gateway.persisted.test_redis_store import _free_port

NOW = datetime(2026, 11, 24, 15, tzinfo=UTC)
A = OperationUsage("A", ("Query.a", "Query.b"))
B = OperationUsage("B", ("Query.b",))


async def record_days(url: str) -> None:
    """Ten days ago: A; two days ago: A twice; today: B three times. Two flushers (two
    replicas) add up in the sink."""
    clock_now = [0.0]
    one = UsageRecorder(clock=lambda: clock_now[0])
    two = UsageRecorder(clock=lambda: clock_now[0])
    flushers = [UsageFlusher(r, open_sink(url)) for r in (one, two)]
    for days_ago, usage, recorder, times in (
        (10, A, one, 1), (2, A, one, 1), (2, A, two, 1), (0, B, two, 3),
    ):  # fmt: skip
        clock_now[0] = NOW.timestamp() - days_ago * DAY
        for _ in range(times):
            recorder.record(usage)
        for flusher in flushers:
            assert await flusher.flush()
    for flusher in flushers:
        await flusher.stop()


async def test_read_usage_sums_the_window_and_ignores_days_outside(sink_url: str) -> None:
    await record_days(sink_url)
    assert read_usage(sink_url, days=1, now=NOW) == {"Query.b": 3}
    assert read_usage(sink_url, days=3, now=NOW) == {"Query.a": 2, "Query.b": 5}
    assert read_usage(sink_url, days=11, now=NOW) == {"Query.a": 3, "Query.b": 6}
    assert read_usage(sink_url, days=1, now=datetime(2026, 11, 14, 23, tzinfo=UTC)) == {
        "Query.a": 1, "Query.b": 1,
    }  # fmt: skip
    assert read_usage(sink_url, days=30, now=datetime(2027, 1, 1, tzinfo=UTC)) == {}


async def test_the_sink_knows_since_when_it_records(sink_url: str) -> None:
    # `check` applies usage only to a window the sink covers from its first day.
    assert recorded_since(sink_url) is None
    await record_days(sink_url)
    assert recorded_since(sink_url) == date(2026, 11, 14)  # the first flush: ten days before NOW
    assert "#recording" not in read_usage(sink_url, days=30)  # the SQL marker is no coordinate


async def test_nothing_recorded_there_is_unavailable_not_empty(sink_url: str) -> None:
    # A wrong URL or prefix must not read as "no operation used anything".
    with pytest.raises(UsageUnavailable) as raised:
        read_usage(sink_url, days=7)
    assert "\n" not in str(raised.value) and "no" in str(raised.value)
    await asyncio.to_thread(open_sink(sink_url).write, {})  # a gateway started: now readable
    assert read_usage(sink_url, days=7) == {}


async def test_flushes_increment_atomically(sql_sink_url: str) -> None:
    sinks = [open_sink(sql_sink_url) for _ in range(4)]
    sinks[0].write({})  # the table first, then concurrent upserts of the same rows
    day = NOW.date()
    await asyncio.gather(
        *(asyncio.to_thread(s.write, {(day, "Query.a"): 5}) for s in sinks for _ in range(5))
    )
    for sink in sinks:
        sink.close()
    assert read_usage(sql_sink_url, days=1, now=NOW) == {"Query.a": 100}


async def test_redis_days_expire_after_the_retention(redis_url: str, redis_sink_url: str) -> None:
    sink = open_sink(redis_sink_url, retention_days=3)
    today = datetime.now(UTC).date()
    sink.write({(today, "Query.a"): 1})
    sink.close()
    _, prefix = split_prefix(redis_sink_url)
    client = Redis.from_url(redis_url)
    ttl = client.ttl(f"{prefix}{today.isoformat()}")
    client.close()
    assert 3 * DAY < ttl <= 4 * DAY


async def test_redis_covers_no_more_days_than_it_keeps(redis_sink_url: str) -> None:
    sink = open_sink(redis_sink_url, retention_days=3)
    today = datetime.now(UTC).date()
    sink.write({(today - timedelta(days=40), "Query.a"): 1, (today, "Query.a"): 1})
    sink.close()
    # Recording began 40 days ago, but only the last 3 days are still there.
    assert recorded_since(redis_sink_url) == today - timedelta(days=2)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (lambda: f"redis://127.0.0.1:{_free_port()}/0", "cannot read usage sink redis://"),
        (lambda: "postgresql://nobody:secret@127.0.0.1:1/none", "cannot read usage sink"),
        (lambda: "mysql://h/db", "must be a redis://"),
    ],
)
def test_an_unreadable_sink_is_one_line(url, expected: str) -> None:
    with pytest.raises(UsageUnavailable) as raised:
        read_usage(url(), days=7)
    message = str(raised.value)
    assert expected in message and "\n" not in message and "secret" not in message


def test_the_window_is_at_least_a_day() -> None:
    with pytest.raises(UsageUnavailable, match="at least 1 day"):
        read_usage("sqlite:///nowhere.db", days=0)


def test_redis_prefix_comes_from_the_url() -> None:
    assert split_prefix("redis://h:6379/0?prefix=x:&db=1") == ("redis://h:6379/0?db=1", "x:")
    assert split_prefix("redis://h/0")[1] == "brand-matrix:usage:"
