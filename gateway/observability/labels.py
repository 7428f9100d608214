"""Bounded values for the `operation` metrics label.

Every label value is a time series kept forever, and operation names come from clients: a
name only takes a slot once its operation was valid and planned (so garbage cannot fill the
table), names are cut to a length, and past the cap new names share "other".
"""

from __future__ import annotations

ANONYMOUS = "anonymous"  # a valid operation without a name
UNKNOWN = "unknown"  # no operation was planned: undecodable, invalid, not GraphQL at all
OTHER = "other"  # the table of names is full


class OperationLabels:
    def __init__(self, max_names: int = 200, max_length: int = 64) -> None:
        if max_names < 0 or max_length < 1:
            raise ValueError("max_names must be >= 0 and max_length >= 1")
        self.max_names = max_names
        self.max_length = max_length
        self._known: dict[str, str] = {}

    def label(self, name: str | None, *, prepared: bool) -> str:
        if not prepared:
            if name is None:
                return UNKNOWN
            return self._known.get(name[: self.max_length], UNKNOWN)
        if not name:
            return ANONYMOUS
        key = name[: self.max_length]
        known = self._known.get(key)
        if known is not None:
            return known
        if len(self._known) >= self.max_names:
            return OTHER
        self._known[key] = key
        return key

    def __len__(self) -> int:
        return len(self._known)
