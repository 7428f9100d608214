from __future__ import annotations

import pytest

from gateway.observability.labels import ANONYMOUS, OTHER, UNKNOWN, OperationLabels


def test_names_of_planned_operations_are_their_own_label() -> None:
    labels = OperationLabels(max_names=10, max_length=64)
    assert labels.label("TopProducts", prepared=True) == "TopProducts"
    assert labels.label("TopProducts", prepared=False) == "TopProducts"


def test_anonymous_and_unknown_buckets() -> None:
    labels = OperationLabels()
    assert labels.label(None, prepared=True) == ANONYMOUS
    assert labels.label("", prepared=True) == ANONYMOUS
    assert labels.label(None, prepared=False) == UNKNOWN
    # A name the client made up for a request that failed never takes a slot.
    assert labels.label("Garbage123", prepared=False) == UNKNOWN
    assert len(labels) == 0


def test_names_are_capped_in_length() -> None:
    labels = OperationLabels(max_length=8)
    assert labels.label("AVeryLongOperationName", prepared=True) == "AVeryLon"
    assert labels.label("AVeryLongOther", prepared=True) == "AVeryLon"
    assert len(labels) == 1


def test_past_the_cap_new_names_share_other() -> None:
    labels = OperationLabels(max_names=2)
    assert labels.label("A", prepared=True) == "A"
    assert labels.label("B", prepared=True) == "B"
    assert labels.label("C", prepared=True) == OTHER
    assert labels.label("A", prepared=True) == "A"
    assert len(labels) == 2


def test_bad_bounds_are_refused() -> None:
    with pytest.raises(ValueError):
        OperationLabels(max_length=0)
