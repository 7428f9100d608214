"""Latency percentiles."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 to 100) of ascending values, interpolating between closest ranks.

    The same definition as numpy's default ("linear"): position (n - 1) * q / 100.
    """
    if not sorted_values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0..100")
    position = (len(sorted_values) - 1) * q / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    fraction = position - lower
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * fraction


@dataclass(frozen=True)
class LatencySummary:
    """Milliseconds."""

    p50: float
    p95: float
    p99: float
    mean: float
    max: float


def summarize(latencies_s: Iterable[float]) -> LatencySummary | None:
    """Percentiles of request latencies given in seconds; None when there are none."""
    values = sorted(latencies_s)
    if not values:
        return None
    ms = [value * 1000 for value in values]
    return LatencySummary(
        p50=percentile(ms, 50),
        p95=percentile(ms, 95),
        p99=percentile(ms, 99),
        mean=sum(ms) / len(ms),
        max=ms[-1],
    )
