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
from gateway.execution.merge import Path, deep_merge, objects_at, objects_with_paths
from gateway.execution.representations import representation_builder
from gateway.headers import headers_for
from gateway.planning.plan import (
    EntitySection,
    FetchNode,
    FlattenNode,
    ParallelNode,
    PlanNode,
    QueryPlan,
    SequenceNode,
)
from gateway.transport.base import SubgraphRequest, SubgraphTransport, TransportError


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
            if node.sections:
                await self._entity_fetch(node, state)
            else:
                await self._root_fetch(node, state)
        elif isinstance(node, FlattenNode):
            await self._entity_fetch(node.node, state)
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
        return SubgraphRequest(
            fetch.operation,
            variables or None,
            None,
            headers_for(state.headers, fetch.subgraph),  # rules may differ per subgraph
            deduplicate=fetch.operation_kind == "query",
        )

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

    async def _entity_fetch(self, fetch: FetchNode, state: ExecutionState) -> None:
        # Sections that share a variable share its representation list and its dedup index.
        shared: dict[str, tuple[list[dict[str, Any]], dict[bytes, int]]] = {}
        collected = []
        for section in fetch.sections:
            reps, index = shared.setdefault(section.variable, ([], {}))
            collected.append((reps, _collect(state.data, section, reps, index)))
        if not any(reps for reps, _ in shared.values()):
            return
        extra = {variable: reps for variable, (reps, _) in shared.items()}
        response = await self._send(fetch, self._request(fetch, state, extra), state)
        if isinstance(response, TransportError):
            state.fetch_failed = True
            for section, (_, targets) in zip(fetch.sections, collected, strict=True):
                if targets:
                    paths = _paths_of(state.data, [(section, targets)])
                    first = [*paths[targets[0][1]], *section.response_keys[:1]]
                    state.errors.append(_fetch_error(fetch, response, first))
            return
        data = response.get("data")
        for section, (_, targets) in zip(fetch.sections, collected, strict=True):
            if not targets:
                continue
            results = data.get(section.alias) if isinstance(data, dict) else None
            if not isinstance(results, list):
                state.fetch_failed = True
                results = []
            count = len(results)
            for obj, index in targets:
                result = results[index] if index < count else None
                if type(result) is dict:
                    deep_merge(obj, result)
                else:
                    state.fetch_failed = True
        errors = response.get("errors")
        if errors:
            self._entity_errors(fetch, state, collected, errors)

    def _entity_errors(
        self,
        fetch: FetchNode,
        state: ExecutionState,
        collected: list[tuple[list[dict[str, Any]], list[tuple[dict[str, Any], int]]]],
        errors: list[Any],
    ) -> None:
        """Rewrite `[alias, i, ...]` paths to the client's path of the i-th representation."""
        by_alias: dict[str, list[tuple[EntitySection, list[tuple[dict[str, Any], int]]]]] = {}
        for section, (_, targets) in zip(fetch.sections, collected, strict=True):
            by_alias.setdefault(section.alias, []).append((section, targets))
        rep_paths: dict[str, dict[int, Path]] = {}
        for error in errors:
            path = error.get("path") if isinstance(error, dict) else None
            client_path = None
            if isinstance(path, list) and len(path) >= 2 and path[0] in by_alias:
                if path[0] not in rep_paths:
                    rep_paths[path[0]] = _paths_of(state.data, by_alias[path[0]])
                found = rep_paths[path[0]].get(path[1]) if isinstance(path[1], int) else None
                if found is not None:
                    client_path = [*found, *path[2:]]
            state.errors.append(_subgraph_error(fetch, error, client_path))


def _collect(
    data: dict[str, Any],
    section: EntitySection,
    representations: list[dict[str, Any]],
    index_by_rep: dict[Any, int],
) -> list[tuple[dict[str, Any], int]]:
    """Add the representations of the objects at a section's path (deduplicated) and
    return which representation each object takes its result from."""
    builders = section.builders
    if builders is None:
        builders = {t: representation_builder(s) for t, s in section.entities.items()}
        section.builders = builders
    targets: list[tuple[dict[str, Any], int]] = []
    for obj in objects_at(data, section.path):
        builder = builders.get(obj.get("__typename"))  # type: ignore[arg-type]
        if builder is None:
            continue
        built = builder(obj)
        if built is None:
            continue
        representation, identity = built
        try:
            index = index_by_rep.get(identity)
        except TypeError:  # a list among @requires values: identify by the JSON instead
            identity = orjson.dumps(representation)
            index = index_by_rep.get(identity)
        if index is None:
            index = len(representations)
            index_by_rep[identity] = index
            representations.append(representation)
        targets.append((obj, index))
    return targets


def _paths_of(
    data: dict[str, Any],
    sections: list[tuple[EntitySection, list[tuple[dict[str, Any], int]]]],
) -> dict[int, Path]:
    """Client path of each representation (its first object); only needed for errors."""
    paths: dict[int, Path] = {}
    for section, targets in sections:
        path_by_object = {id(obj): path for obj, path in objects_with_paths(data, section.path)}
        for obj, index in targets:
            if index not in paths:
                paths[index] = path_by_object.get(id(obj), ())
    return paths


def _root_path(error: dict[str, Any]) -> list[str | int] | None:
    path = error.get("path")
    return list(path) if isinstance(path, list) else None


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
