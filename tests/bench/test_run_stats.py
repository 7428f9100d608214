"""Latency percentiles of the benchmark harness."""

from __future__ import annotations

import pytest

from bench.run.stats import percentile, summarize


def test_percentiles_interpolate_between_closest_ranks() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 10.0
    assert percentile(values, 50) == pytest.approx(5.5)
    # position (10 - 1) * 0.95 = 8.55: between the 9th and 10th values
    assert percentile(values, 95) == pytest.approx(9.55)
    assert percentile(values, 99) == pytest.approx(9.91)


def test_percentile_of_one_value_is_that_value() -> None:
    assert percentile([4.2], 50) == 4.2
    assert percentile([4.2], 99) == 4.2


def test_percentile_matches_numpy_linear_on_uneven_data() -> None:
    # numpy.percentile([1, 2, 4, 8, 100], [25, 90]) == [2.0, 63.2]
    assert percentile([1, 2, 4, 8, 100], 25) == pytest.approx(2.0)
    assert percentile([1, 2, 4, 8, 100], 90) == pytest.approx(63.2)


def test_percentile_rejects_no_values_and_bad_ranks() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_is_in_milliseconds_and_sorts_its_input() -> None:
    summary = summarize([0.003, 0.001, 0.002])
    assert summary is not None
    assert summary.p50 == pytest.approx(2.0)
    assert summary.max == pytest.approx(3.0)
    assert summary.mean == pytest.approx(2.0)
    assert summarize([]) is None
