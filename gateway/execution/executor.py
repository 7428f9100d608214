"""Runs a query plan: sends its fetches, in order and in parallel as the plan says, and merges
what comes back into one data tree. Failures become errors with the client's paths; the
fields a failed fetch would have filled stay absent, so projection makes them null.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from gateway.errors import graphql_error
from gateway.execution.merge import Path, deep_merge, objects_at
from gateway.planning.plan import (
    EntityRepresentation,
    FetchNode,
    FlattenNode,
    ParallelNode,
    PlanNode,
    QueryPlan,
    RepresentationField,
    SequenceNode,
)
from gateway.transport.base import SubgraphRequest, SubgraphTransport, TransportError

_MISSING = object()


@dataclass(slots=True)
class ExecutionState:
    variables: Mapping[str, Any]
    headers: Mapping[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    fetch_failed: bool = False
    subgraph_requests: int = 0


class Executor:
    def __init__(self, transports: Mapping[str, SubgraphTransport]) -> None:
        self.transports = transports

    async def run(
        self,
        plan: QueryPlan,
        variables: Mapping[str, Any],
        headers: Mapping[str, str] | None = None,
    ) -> ExecutionState:
        state = ExecutionState(variables, headers or {})
        if plan.root is not None:
            await self._run_node(plan.root, state)
        return state

    async def _run_node(self, node: PlanNode, state: ExecutionState) -> None:
        if isinstance(node, FetchNode):
            await self._root_fetch(node, state)
        elif isinstance(node, FlattenNode):
            await self._entity_fetch(node, state)
        elif isinstance(node, SequenceNode):
            for child in node.nodes:
                await self._run_node(child, state)
        elif isinstance(node, ParallelNode):
            await asyncio.gather(*(self._run_node(child, state) for child in node.nodes))

    def _request(
        self, fetch: FetchNode, state: ExecutionState, extra: dict[str, Any] | None = None
    ) -> SubgraphRequest:
        variables = {
            name: state.variables[name] for name in fetch.variable_names if name in state.variables
        }
        if extra:
            variables.update(extra)
        return SubgraphRequest(fetch.operation, variables or None, None, state.headers)

    async def _send(
        self, fetch: FetchNode, request: SubgraphRequest, state: ExecutionState
    ) -> dict[str, Any] | TransportError:
        transport = self.transports.get(fetch.subgraph)
        state.subgraph_requests += 1
        if transport is None:
            return TransportError(f"no transport configured for subgraph '{fetch.subgraph}'")
        try:
            return await transport.fetch(request)
        except TransportError as error:
            return error

    async def _root_fetch(self, fetch: FetchNode, state: ExecutionState) -> None:
        response = await self._send(fetch, self._request(fetch, state), state)
        if isinstance(response, TransportError):
            state.fetch_failed = True
            for key in fetch.response_keys:
                state.errors.append(_fetch_error(fetch, response, [key]))
            return
        data = response.get("data")
        if isinstance(data, dict):
            deep_merge(state.data, data)
        else:
            state.fetch_failed = True
        for error in response.get("errors") or ():
            state.errors.append(_subgraph_error(fetch, error, _root_path(error)))

    async def _entity_fetch(self, flatten: FlattenNode, state: ExecutionState) -> None:
        fetch = flatten.node
        entities = fetch.entities or {}
        representations: list[dict[str, Any]] = []
        rep_paths: list[Path] = []
        index_by_rep: dict[bytes, int] = {}
        targets: list[tuple[dict[str, Any], int]] = []
        for obj, path in objects_at(state.data, flatten.path):
            spec = entities.get(obj.get("__typename"))  # type: ignore[arg-type]
            if spec is None:
                continue
            representation = _representation(obj, spec)
            if representation is None:
                continue
            digest = orjson.dumps(representation, option=orjson.OPT_SORT_KEYS)
            index = index_by_rep.get(digest)
            if index is None:
                index = len(representations)
                index_by_rep[digest] = index
                representations.append(representation)
                rep_paths.append(path)
            targets.append((obj, index))
        if not representations:
            return
        request = self._request(fetch, state, {"representations": representations})
        response = await self._send(fetch, request, state)
        if isinstance(response, TransportError):
            state.fetch_failed = True
            first = fetch.response_keys[:1]
            state.errors.append(_fetch_error(fetch, response, [*rep_paths[0], *first]))
            return
        data = response.get("data")
        results = data.get("_entities") if isinstance(data, dict) else None
        if not isinstance(results, list):
            state.fetch_failed = True
            results = []
        for obj, index in targets:
            if index < len(results) and isinstance(results[index], dict):
                deep_merge(obj, results[index])
            else:
                state.fetch_failed = True
        for error in response.get("errors") or ():
            state.errors.append(_subgraph_error(fetch, error, _entity_path(error, rep_paths)))


def _representation(obj: dict[str, Any], spec: EntityRepresentation) -> dict[str, Any] | None:
    representation: dict[str, Any] = {"__typename": spec.typename}
    if not _fill(representation, obj, spec.fields):
        return None
    return representation


def _fill(
    out: dict[str, Any], obj: dict[str, Any], fields: tuple[RepresentationField, ...]
) -> bool:
    for item in fields:
        value = obj.get(item.response_key, _MISSING)
        if value is _MISSING or (value is None and item.is_key):
            if item.is_key:
                return False
            continue
        if item.children is not None and value is not None:
            value = _shape(value, item.children)
            if value is _MISSING:
                return False
        out[item.name] = value
    return True


def _shape(value: Any, children: tuple[RepresentationField, ...]) -> Any:
    if isinstance(value, list):
        return [_shape(v, children) if v is not None else None for v in value]
    if not isinstance(value, dict):
        return value
    nested: dict[str, Any] = {}
    if "__typename" in value:
        nested["__typename"] = value["__typename"]
    if not _fill(nested, value, children):
        return _MISSING
    return nested


def _root_path(error: dict[str, Any]) -> list[str | int] | None:
    path = error.get("path")
    return list(path) if isinstance(path, list) else None


def _entity_path(error: dict[str, Any], rep_paths: list[Path]) -> list[str | int] | None:
    path = error.get("path")
    if (
        isinstance(path, list)
        and len(path) >= 2
        and path[0] == "_entities"
        and isinstance(path[1], int)
        and 0 <= path[1] < len(rep_paths)
    ):
        return [*rep_paths[path[1]], *path[2:]]
    return None


def _subgraph_error(fetch: FetchNode, error: Any, path: list[str | int] | None) -> dict[str, Any]:
    if not isinstance(error, dict):
        error = {"message": str(error)}
    extensions = dict(error.get("extensions") or {})
    extensions.setdefault("serviceName", fetch.subgraph)
    return graphql_error(
        str(error.get("message", "subgraph error")),
        path=[p for p in path if not (isinstance(p, str) and p.startswith("__bm_"))]
        if path
        else None,
        extensions=extensions,
    )


def _fetch_error(fetch: FetchNode, error: TransportError, path: list[str | int]) -> dict[str, Any]:
    return graphql_error(
        str(error),
        path=path or None,
        code=error.code,
        extensions={"serviceName": fetch.subgraph},
    )
