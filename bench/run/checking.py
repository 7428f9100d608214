"""Is a gateway's answer the benchmark's expected response? Parsed-JSON equality."""

from __future__ import annotations

from typing import Any

import orjson

_MAX_KNOWN_BODIES = 8


class ResponseChecker:
    """Checks response bodies against the expected JSON.

    Comparing bytes first keeps the check cheap under load: a body byte-equal to one already
    found correct is correct. Anything else is parsed and compared as JSON values (so key
    order and whitespace do not matter), and remembered when correct.
    """

    def __init__(self, expected_json: bytes) -> None:
        self.expected: Any = orjson.loads(expected_json)
        self._known_good: set[bytes] = {orjson.dumps(self.expected)}

    def is_expected(self, body: bytes) -> bool:
        if body in self._known_good:
            return True
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            return False
        if describe_difference(self.expected, value) is not None:
            return False
        if len(self._known_good) < _MAX_KNOWN_BODIES:
            self._known_good.add(body)
        return True

    def explain(self, body: bytes) -> str:
        """One line saying how `body` differs from the expected response."""
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            return f"not JSON: {_clip(body.decode(errors='replace'))}"
        return describe_difference(self.expected, value) or "no difference"


def describe_difference(expected: Any, actual: Any, path: str = "$") -> str | None:
    """The first place where two JSON values differ, as one line, or None when equal."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected:
            if key not in actual:
                return f"{path}.{key} is missing"
            found = describe_difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        extra = [key for key in actual if key not in expected]
        if extra:
            return f"{path}.{extra[0]} is unexpected: {_clip(orjson.dumps(actual[extra[0]]))}"
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path} has {len(actual)} items, expected {len(expected)}"
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found = describe_difference(want, got, f"{path}[{index}]")
            if found:
                return found
        return None
    if _same_scalar(expected, actual):
        return None
    want, got = _clip(orjson.dumps(expected)), _clip(orjson.dumps(actual))
    return f"{path} is {got}, expected {want}"


def _same_scalar(expected: Any, actual: Any) -> bool:
    # Python's == says True == 1 and 1 == 1.0; JSON keeps booleans apart but not 1 and 1.0.
    numbers = (int, float)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, numbers) and isinstance(actual, numbers):
        return expected == actual
    return type(expected) is type(actual) and expected == actual


def _clip(text: str | bytes, limit: int = 120) -> str:
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    return text if len(text) <= limit else text[: limit - 3] + "..."
