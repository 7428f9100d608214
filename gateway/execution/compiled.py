"""The projector's fast path: Python functions generated once per cached plan.

For every (selection set, runtime type) of an operation, a small function is generated that
copies exactly the selected keys from the merged data into a new dict, in the client's
order, with the non-null checks inlined. It handles the common case — no @skip/@include and
no nulls where the schema forbids them. Anything else raises `NeedsSlowPath`, and the caller
projects the response again with the general projector, which builds error paths.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    is_abstract_type,
    is_composite_type,
)

from gateway.planning.operation import Selection

ObjectProjector = Callable[[dict[str, Any]], dict[str, Any]]


class NeedsSlowPath(Exception):
    """The data breaks a rule the fast path does not handle (a forbidden null, bad shape)."""


def _violation(*_: object) -> Any:
    raise NeedsSlowPath


class CompiledProjector:
    """Generates and caches the fast-path functions of one operation."""

    def __init__(self, projector: Any) -> None:
        # The general projector knows how fields are collected per runtime type.
        self._projector = projector
        self._functions: dict[tuple[int, str], ObjectProjector] = {}
        self._counter = 0
        self._namespace: dict[str, Any] = {"_violation": _violation, "NeedsSlowPath": NeedsSlowPath}

    def root(self, selections: list[Selection], type_name: str) -> ObjectProjector:
        return self._object(selections, type_name)

    def _name(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter}"

    def _object(self, selections: list[Selection], type_name: str) -> ObjectProjector:
        key = (id(selections), type_name)
        function = self._functions.get(key)
        if function is not None:
            return function
        name = self._name("o")
        lines = [f"def {name}(obj):", "    get = obj.get", "    out = {}"]
        for compiled in self._projector.fields_for(selections, type_name):
            response_key = compiled.response_key
            kept = tuple(range(len(compiled.occurrences)))
            if compiled.name == "__typename":
                lines.append(f"    out[{response_key!r}] = {type_name!r}")
                continue
            field_type = compiled.occurrences[0].type
            if field_type is None:  # introspection: already shaped by graphql-core
                lines.append(f"    out[{response_key!r}] = get({response_key!r})")
                continue
            value = self._value(field_type, compiled.selections(kept))
            lines.append(f"    out[{response_key!r}] = {value.format(f'get({response_key!r})')}")
        lines.append("    return out")
        exec("\n".join(lines), self._namespace)  # source generated from the schema, not from input
        function = self._namespace[name]
        self._functions[key] = function
        return function

    def _value(self, field_type: GraphQLOutputType, selections: list[Selection] | None) -> str:
        """An expression template completing the value `{}` of a field of this type."""
        if isinstance(field_type, GraphQLNonNull):
            inner = self._value(field_type.of_type, selections)
            helper = self._name("n")
            self._define(
                f"def {helper}(v):\n"
                f"    if v is None:\n"
                f"        raise NeedsSlowPath\n"
                f"    return {inner.format('v')}"
            )
            return helper + "({})"
        if isinstance(field_type, GraphQLList):
            inner = self._value(field_type.of_type, selections)
            helper = self._name("l")
            item = inner.format("x")
            self._define(
                f"def {helper}(v):\n"
                f"    if v is None:\n"
                f"        return None\n"
                f"    if type(v) is not list:\n"
                f"        raise NeedsSlowPath\n"
                f"    return [{item} for x in v]"
            )
            return helper + "({})"
        if not is_composite_type(field_type):
            return "{}"
        if selections is None:
            raise NeedsSlowPath
        helper = self._name("c")
        if is_abstract_type(field_type):
            dispatch = self._dispatcher(selections, field_type.name)  # type: ignore[attr-defined]
            self._namespace[helper + "_dispatch"] = dispatch
            call = f"{helper}_dispatch(v)"
        else:
            function = self._object(selections, field_type.name)  # type: ignore[attr-defined]
            self._namespace[helper + "_object"] = function
            call = f"{helper}_object(v)"
        self._define(
            f"def {helper}(v):\n"
            f"    if v is None:\n"
            f"        return None\n"
            f"    if type(v) is not dict:\n"
            f"        raise NeedsSlowPath\n"
            f"    return {call}"
        )
        return helper + "({})"

    def _dispatcher(self, selections: list[Selection], abstract: str) -> ObjectProjector:
        """Picks (and compiles on first sight) the function for an object's runtime type."""
        by_type: dict[str, ObjectProjector] = {}

        def dispatch(obj: dict[str, Any]) -> dict[str, Any]:
            type_name = obj.get("__typename") or abstract
            function = by_type.get(type_name)
            if function is None:
                if self._projector.schema.get_type(type_name) is None:
                    raise NeedsSlowPath  # not a type of ours: let the general path decide
                function = self._object(selections, type_name)
                by_type[type_name] = function
            return function(obj)

        return dispatch

    def _define(self, source: str) -> None:
        exec(source, self._namespace)  # source generated from the schema, not from input
