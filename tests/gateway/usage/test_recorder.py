"""In-memory counts: per coordinate and UTC day, per client and operation, windows, retention."""

from __future__ import annotations

from datetime import UTC, date, datetime

from gateway.usage.extract import OperationUsage
from gateway.usage.recorder import DAY, OTHER, UsageRecorder, window

NOON = datetime(2026, 11, 24, 12, tzinfo=UTC).timestamp()
A = OperationUsage("A", ("Query.a", "Query.b"))
B = OperationUsage("B", ("Query.b",))


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_requests_add_up_per_coordinate_and_drain_hands_them_to_the_sink_once() -> None:
    recorder = UsageRecorder(clock=Clock(NOON))
    recorder.keep_for_sink()
    for _ in range(3):
        recorder.record(A, "web")
    recorder.record(B)
    day = date(2026, 11, 24)
    assert recorder.field_counts(1) == {"Query.a": 3, "Query.b": 4}  # a reader folds first
    assert recorder.drain() == {(day, "Query.a"): 3, (day, "Query.b"): 4}  # still for the sink
    assert recorder.drain() == {}  # handed over once: nothing doubled
    recorder.record(B)
    assert recorder.field_counts(1) == {"Query.a": 3, "Query.b": 5}
    assert recorder.operation_counts(1) == [("web", "A", 3), (None, "B", 2)]


def test_days_are_utc_days_and_the_window_ends_today() -> None:
    clock = Clock(NOON - 3 * DAY)
    recorder = UsageRecorder(clock=clock)
    recorder.record(A)
    clock.now = NOON - DAY
    recorder.record(B)
    clock.now = NOON
    recorder.record(B)
    assert recorder.field_counts(1) == {"Query.b": 1}
    assert recorder.field_counts(2) == {"Query.b": 2}
    assert recorder.field_counts(4) == {"Query.a": 1, "Query.b": 3}
    then = datetime(2026, 11, 21, 23, 59, tzinfo=UTC)
    assert recorder.field_counts(1, now=then) == {"Query.a": 1, "Query.b": 1}
    assert window(3, then) == (date(2026, 11, 19), date(2026, 11, 21))


def test_days_beyond_the_retention_are_forgotten() -> None:
    clock = Clock(NOON - 5 * DAY)
    recorder = UsageRecorder(retention_days=2, clock=clock)
    recorder.record(A)
    recorder.fold()
    clock.now = NOON
    recorder.record(B)
    assert recorder.field_counts(30) == {"Query.b": 1}


def test_client_names_are_bounded() -> None:
    recorder = UsageRecorder(max_pending=2, clock=Clock(NOON))
    recorder.record(A, "x" * 500)
    recorder.record(A, "one")
    recorder.record(A, "two")  # a third distinct key before a fold: lumped together
    recorder.record(A, "three")
    clients = {client: n for client, _, n in recorder.operation_counts(1)}
    assert clients == {"x" * 100: 1, "one": 1, OTHER: 2}
