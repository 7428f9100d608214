"""Walking and merging the response data that subgraph fetches fill in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Path = tuple[str | int, ...]


def deep_merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    """Merge a subgraph's object into the data already fetched for the same object."""
    if target.keys().isdisjoint(source):  # the common case: new fields only
        target.update(source)
        return
    for key, value in source.items():
        current = target.get(key)
        if current is None:
            target[key] = value
        elif isinstance(current, dict) and isinstance(value, dict):
            deep_merge(current, value)
        elif isinstance(current, list) and isinstance(value, list) and len(current) == len(value):
            _merge_lists(current, value)
        else:
            target[key] = value


def _merge_lists(target: list[Any], source: list[Any]) -> None:
    for index, value in enumerate(source):
        current = target[index]
        if isinstance(current, dict) and isinstance(value, dict):
            deep_merge(current, value)
        elif isinstance(current, list) and isinstance(value, list) and len(current) == len(value):
            _merge_lists(current, value)
        else:
            target[index] = value


def objects_at(data: dict[str, Any], path: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every object at a response path, walking through lists (nested lists too)."""
    current: list[Any] = [data]
    for key in path:
        found: list[Any] = []
        for obj in current:
            value = obj.get(key)
            if type(value) is dict:
                found.append(value)
            elif type(value) is list:
                _flatten_into(value, found)
        current = found
    return current


def _flatten_into(items: list[Any], out: list[Any]) -> None:
    for item in items:
        if type(item) is dict:
            out.append(item)
        elif type(item) is list:
            _flatten_into(item, out)


def objects_with_paths(data: Any, path: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], Path]]:
    """Like objects_at, with each object's concrete path (for error messages)."""
    yield from _walk(data, path, 0, ())


def _walk(
    value: Any, path: tuple[str, ...], depth: int, concrete: Path
) -> Iterator[tuple[dict[str, Any], Path]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, path, depth, (*concrete, index))
        return
    if not isinstance(value, dict):
        return
    if depth == len(path):
        yield value, concrete
        return
    key = path[depth]
    yield from _walk(value.get(key), path, depth + 1, (*concrete, key))
