"""Shapes the merged subgraph data into the client's response.

Only what the client selected comes out, in its order, under its aliases; fragments apply by
the runtime type; @skip/@include are decided with the request's variables; nulls bubble up
by the API schema's non-null rules. The field lists per (selection, runtime type) are
compiled once and kept with the cached plan, so a request only walks data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    get_named_type,
    is_abstract_type,
    is_composite_type,
)

from gateway.errors import graphql_error
from gateway.execution.compiled import CompiledProjector, NeedsSlowPath, ObjectProjector
from gateway.planning.operation import Condition, Field, Fragment, Operation, Selection

_BUBBLE = object()  # a non-null violation travelling up to the nearest nullable parent


@dataclass(slots=True)
class _Occurrence:
    type: GraphQLOutputType | None  # None for __typename and introspection
    selections: list[Selection] | None
    conditions: tuple[Condition, ...]


@dataclass(slots=True)
class _CompiledField:
    """One response key of an object, with every place the client selected it."""

    response_key: str
    name: str
    occurrences: list[_Occurrence]
    conditional: bool
    # Sub-selections merged per set of kept occurrences; kept here so they live with the plan.
    merged: dict[tuple[int, ...], list[Selection] | None]

    def selections(self, kept: tuple[int, ...]) -> list[Selection] | None:
        found = self.merged.get(kept)
        if found is None and kept not in self.merged:
            parts = [s for i in kept for s in (self.occurrences[i].selections or ())]
            found = parts if any(self.occurrences[i].selections is not None for i in kept) else None
            self.merged[kept] = found
        return found


class Projector:
    def __init__(self, schema: GraphQLSchema, operation: Operation) -> None:
        self.schema = schema
        self.operation = operation
        self._compiled: dict[tuple[int, str], list[_CompiledField]] = {}
        root = schema.get_root_type(_operation_type(operation.kind))
        assert root is not None
        self.root_type: GraphQLObjectType = root
        # Generated fast path, for operations without variable @skip/@include.
        self._fast: ObjectProjector | None = None
        if not _has_conditions(operation.selections):
            self._fast = CompiledProjector(self).root(operation.selections, root.name)

    def project(
        self,
        data: dict[str, Any],
        variables: Mapping[str, Any],
        errors: list[dict[str, Any]],
        fetch_failed: bool,
    ) -> dict[str, Any] | None:
        if self._fast is not None:
            try:
                return self._fast(data)
            except NeedsSlowPath:
                pass  # a null where the schema forbids one: the general path reports it
        run = _Run(self, variables, errors, fetch_failed)
        result = run.object(self.operation.selections, self.root_type, data, None)
        return None if result is _BUBBLE else result

    def fields_for(self, selections: list[Selection], type_name: str) -> list[_CompiledField]:
        key = (id(selections), type_name)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(selections, type_name)
            self._compiled[key] = compiled
        return compiled

    def _compile(self, selections: list[Selection], type_name: str) -> list[_CompiledField]:
        parent = self.schema.get_type(type_name)
        fields = getattr(parent, "fields", {}) if parent is not None else {}
        out: dict[str, _CompiledField] = {}

        def visit(items: list[Selection], conditions: tuple[Condition, ...]) -> None:
            for item in items:
                if isinstance(item, Field):
                    definition = fields.get(item.name)
                    occurrence = _Occurrence(
                        definition.type if definition is not None else None,
                        item.selections,
                        conditions + item.conditions,
                    )
                    compiled = out.get(item.response_key)
                    if compiled is None:
                        compiled = _CompiledField(item.response_key, item.name, [], False, {})
                        out[item.response_key] = compiled
                    compiled.occurrences.append(occurrence)
                    compiled.conditional = compiled.conditional or bool(occurrence.conditions)
                elif self._applies(item, type_name):
                    visit(item.selections, conditions + item.conditions)

        visit(selections, ())
        return list(out.values())

    def _applies(self, fragment: Fragment, type_name: str) -> bool:
        condition = fragment.type_condition
        if condition is None or condition == type_name:
            return True
        condition_type = self.schema.get_type(condition)
        runtime = self.schema.get_type(type_name)
        if condition_type is None or runtime is None or not is_abstract_type(condition_type):
            return False
        if not isinstance(runtime, GraphQLObjectType):
            return False
        return self.schema.is_sub_type(condition_type, runtime)  # type: ignore[arg-type]


def _has_conditions(selections: list[Selection]) -> bool:
    for item in selections:
        if item.conditions:
            return True
        if item.selections and _has_conditions(item.selections):
            return True
    return False


def _operation_type(kind: str) -> Any:
    from graphql import OperationType

    return OperationType(kind)


class _Run:
    def __init__(
        self,
        projector: Projector,
        variables: Mapping[str, Any],
        errors: list[dict[str, Any]],
        fetch_failed: bool,
    ) -> None:
        self.projector = projector
        self.variables = variables
        self.errors = errors
        self.fetch_failed = fetch_failed

    def _kept(self, conditions: tuple[Condition, ...]) -> bool:
        return all(bool(self.variables.get(c.variable)) is c.keep_if for c in conditions)

    def object(
        self,
        selections: list[Selection],
        parent: Any,
        obj: dict[str, Any],
        path: Any,
    ) -> Any:
        if is_abstract_type(parent):
            type_name = obj.get("__typename") or parent.name
        else:
            type_name = parent.name
        out: dict[str, Any] = {}
        for compiled in self.projector.fields_for(selections, type_name):
            occurrences = compiled.occurrences
            if compiled.conditional:
                kept = tuple(i for i, o in enumerate(occurrences) if self._kept(o.conditions))
                if not kept:
                    continue
            else:
                kept = tuple(range(len(occurrences)))
            key = compiled.response_key
            if compiled.name == "__typename":
                out[key] = type_name
                continue
            field_type = occurrences[kept[0]].type
            if field_type is None:  # introspection, answered by graphql-core already
                out[key] = obj.get(key)
                continue
            value = self.complete(
                field_type,
                obj.get(key),
                compiled.selections(kept),
                (path, key),
                key in obj,
                parent,
                compiled,
            )
            if value is _BUBBLE:
                return _BUBBLE
            out[key] = value
        return out

    def complete(
        self,
        field_type: Any,
        value: Any,
        selections: list[Selection] | None,
        path: Any,
        present: bool,
        parent: Any,
        compiled: _CompiledField,
    ) -> Any:
        if isinstance(field_type, GraphQLNonNull):
            result = self.complete(
                field_type.of_type, value, selections, path, present, parent, compiled
            )
            if result is None:
                self._non_null_error(path, present, parent, compiled)
                return _BUBBLE
            return result
        if value is None:
            return None
        if isinstance(field_type, GraphQLList):
            if not isinstance(value, list):
                return None
            items = []
            for index, item in enumerate(value):
                completed = self.complete(
                    field_type.of_type, item, selections, (path, index), True, parent, compiled
                )
                if completed is _BUBBLE:
                    return None  # an item broke its non-null rule: the list itself is null
                items.append(completed)
            return items
        if is_composite_type(field_type):
            if not isinstance(value, dict) or selections is None:
                return None
            result = self.object(selections, field_type, value, path)
            return None if result is _BUBBLE else result
        return value

    def _non_null_error(
        self, path: Any, present: bool, parent: Any, compiled: _CompiledField
    ) -> None:
        flat = _flatten(path)
        if not present and self.fetch_failed and self.errors:
            return  # the failed fetch already reported why this is missing
        for error in self.errors:
            error_path = error.get("path")
            if error_path and _related(error_path, flat):
                return
        parent_name = get_named_type(parent).name if parent is not None else "?"
        self.errors.append(
            graphql_error(
                f"Cannot return null for non-nullable field {parent_name}.{compiled.name}.",
                path=flat,
            )
        )


def _flatten(path: Any) -> list[str | int]:
    out: list[str | int] = []
    while path is not None:
        path, key = path
        out.append(key)
    out.reverse()
    return out


def _related(a: list[Any], b: list[Any]) -> bool:
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]
