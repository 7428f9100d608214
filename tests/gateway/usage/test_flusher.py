"""The background flush: periodic and on shutdown; a failing sink costs a warning, no counts."""

from __future__ import annotations

import asyncio
import logging
from datetime import date

import pytest

from gateway.usage.extract import OperationUsage
from gateway.usage.flusher import UsageFlusher
from gateway.usage.recorder import DayCounts, UsageRecorder
from gateway.usage.sinks import merge

USAGE = OperationUsage("Q", ("Query.a",))


class FlakySink:
    """Fails while `down`; otherwise adds up what it is sent."""

    def __init__(self, down: bool = False) -> None:
        self.down = down
        self.stored: DayCounts = {}
        self.closed = False
        self.attempts = 0

    def write(self, counts: DayCounts) -> None:
        self.attempts += 1
        if self.down:
            raise ConnectionError("Connection refused\nsecond line")
        merge(self.stored, counts)

    def read(self, first: date, last: date) -> dict[str, int]:
        raise NotImplementedError

    def close(self) -> None:
        self.closed = True


def totals(sink: FlakySink) -> int:
    return sum(sink.stored.values())


async def test_a_down_sink_keeps_the_counts_and_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder, sink = UsageRecorder(), FlakySink(down=True)
    flusher = UsageFlusher(recorder, sink)
    with caplog.at_level(logging.INFO, logger="gateway.usage"):
        for _ in range(3):
            recorder.record(USAGE)
            assert await flusher.flush() is False
        sink.down = False
        recorder.record(USAGE)
        assert await flusher.flush() is True
    assert totals(sink) == 4  # every count arrived, once
    assert await flusher.flush() is True and totals(sink) == 4
    messages = [r.getMessage() for r in caplog.records if r.name == "gateway.usage"]
    assert len(messages) == 2
    assert messages[0].startswith("field usage sink failed") and "second line" not in messages[0]
    assert messages[1] == "field usage sink recovered"
    assert recorder.field_counts(1) == {"Query.a": 4}  # memory counted all along


async def test_flushes_in_the_background_and_on_stop() -> None:
    recorder, sink = UsageRecorder(), FlakySink()
    flusher = UsageFlusher(recorder, sink, interval=0.01)
    await flusher.start()
    recorder.record(USAGE)
    for _ in range(200):
        if totals(sink) == 1:
            break
        await asyncio.sleep(0.01)
    assert totals(sink) == 1
    flusher.interval = 3600.0  # no more periodic flushes: the next arrives with stop()
    await asyncio.sleep(0.05)
    recorder.record(USAGE)
    recorder.record(USAGE)
    await flusher.stop()
    assert totals(sink) == 3 and sink.closed


async def test_without_a_sink_it_only_folds() -> None:
    recorder = UsageRecorder()
    flusher = UsageFlusher(recorder, None)
    recorder.record(USAGE)
    assert await flusher.flush() is True
    await flusher.stop()
    assert recorder.field_counts(1) == {"Query.a": 1}
