"""The operation without its unauthorized selections, planned, and what to null afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.auth.guards import Guard, OperationGuards, Path, Step
from gateway.errors import graphql_error
from gateway.planning.operation import Field, Fragment, Operation, Selection
from gateway.planning.plan import QueryPlan
from gateway.planning.planner import Planner

UNAUTHORIZED_MESSAGE = "Unauthorized field or type"
UNAUTHORIZED_CODE = "UNAUTHORIZED_FIELD_OR_TYPE"


@dataclass(eq=False, slots=True)
class AccessDecision:
    """What one set of unmet guards means for an operation; cached with it."""

    operation: Operation  # the filtered operation that is planned
    plan: QueryPlan
    fields: tuple[Path, ...]  # fields nulled (removed, or left with an empty selection)
    objects: tuple[tuple[Path, frozenset[str]], ...]  # objects nulled by runtime type

    def apply(self, data: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        """Null the removed response paths in the merged data and report each one.

        Runs before projection: the projector then bubbles these nulls by the schema's
        non-null rules, and reports no second error where one of these is related.
        """
        seen: set[tuple[str | int, ...]] = set()
        found: list[list[str | int]] = []
        for path, types in self.objects:
            for holder, key, at in _holders(data, path):
                _null_objects(holder, key, holder.get(key), at, types, found)
        for path in self.fields:
            for holder, key, at in _holders(data, path):
                holder[key] = None
                found.append(at)
        for at in found:
            if tuple(at) not in seen:
                seen.add(tuple(at))
                errors.append(graphql_error(UNAUTHORIZED_MESSAGE, path=at, code=UNAUTHORIZED_CODE))


def decide(planner: Planner, guards: OperationGuards, unmet: list[Guard]) -> AccessDecision:
    removed = {id(g.selection) for g in unmet if g.selection is not None}
    emptied: list[Field] = []
    selections = _without(guards.operation.selections, removed, emptied)
    operation = guards.operation
    filtered = Operation(operation.kind, operation.name, selections, operation.variable_definitions)
    # With nothing left there is nothing to ask any subgraph.
    plan = planner.plan(filtered) if selections else QueryPlan(operation.kind, None, 0)
    fields = [g.path for g in unmet if g.kind == "field"]
    fields.extend(guards.paths[id(f)] for f in emptied)
    objects = tuple((g.path, g.types) for g in unmet if g.kind == "objects")
    return AccessDecision(filtered, plan, tuple(fields), objects)


def _without(
    selections: list[Selection], removed: set[int], emptied: list[Field]
) -> list[Selection]:
    """The selections minus removed ones; a field or fragment left empty goes too (a field
    that goes this way is recorded, its path is reported)."""
    out: list[Selection] = []
    changed = False
    for item in selections:
        if id(item) in removed:
            changed = True
            continue
        if item.selections is None:
            out.append(item)
            continue
        children = _without(item.selections, removed, emptied)
        if children is item.selections:
            out.append(item)
            continue
        changed = True
        if not children:
            if isinstance(item, Field):
                emptied.append(item)
            continue
        if isinstance(item, Field):
            out.append(
                Field(
                    item.response_key,
                    item.name,
                    item.arguments,
                    item.directives,
                    item.conditions,
                    children,
                    item.variables,
                )
            )
        else:
            out.append(Fragment(item.type_condition, item.conditions, children))
    return out if changed else selections


def _holders(data: Any, path: Path) -> list[tuple[dict[str, Any], str, list[str | int]]]:
    """The objects holding the path's last key, with the concrete response path to it."""
    out: list[tuple[dict[str, Any], str, list[str | int]]] = []

    def walk(value: Any, index: int, at: list[str | int]) -> None:
        if isinstance(value, list):
            for position, item in enumerate(value):
                walk(item, index, [*at, position])
            return
        if not isinstance(value, dict):
            return
        step: Step = path[index]
        if step.on is not None and value.get("__typename") not in step.on:
            return
        if index == len(path) - 1:
            out.append((value, step.key, [*at, step.key]))
        else:
            walk(value.get(step.key), index + 1, [*at, step.key])

    walk(data, 0, [])
    return out


def _null_objects(
    holder: Any,
    slot: str | int,
    value: Any,
    at: list[str | int],
    types: frozenset[str],
    found: list[list[str | int]],
) -> None:
    if isinstance(value, list):
        for position, item in enumerate(value):
            _null_objects(value, position, item, [*at, position], types, found)
    elif isinstance(value, dict) and value.get("__typename") in types:
        holder[slot] = None
        found.append(at)
