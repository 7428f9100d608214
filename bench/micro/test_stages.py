"""The gateway's stages on the benchmark query, one benchmark each.

Measure:  python -m pytest bench/micro --benchmark-enable
In the normal test run (benchmarks disabled) each runs once, so they cannot rot.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
from graphql import parse, validate

from bench.micro.replay import EXPECTED, QUERY, SUPERGRAPH, record, replay_gateway
from gateway.planning.operation import find_operation, normalize
from gateway.planning.planner import Planner
from gateway.service import Gateway, GraphQLRequest
from gateway.supergraph import load_supergraph


@pytest.fixture(scope="module")
def answers() -> dict[str, dict[bytes, bytes]]:
    return asyncio.run(record())


@pytest.fixture(scope="module")
def gateway(answers: dict[str, dict[bytes, bytes]]) -> Gateway:
    return replay_gateway(answers)


def test_parse_and_validate(benchmark: Any) -> None:
    schema = load_supergraph(SUPERGRAPH).api_schema

    def run() -> None:
        assert not validate(schema, parse(QUERY))

    benchmark(run)


def test_plan_cold(benchmark: Any) -> None:
    supergraph = load_supergraph(SUPERGRAPH)
    document = parse(QUERY)
    definition = find_operation(document, None)
    assert definition is not None

    def run() -> None:
        plan = Planner(supergraph).plan(normalize(document, definition))
        assert plan.fetch_count == 7

    benchmark(run)


def test_plan_cached(benchmark: Any, gateway: Gateway) -> None:
    gateway.prepare(QUERY, None)
    benchmark(lambda: gateway.prepare(QUERY, None))


def test_execute(benchmark: Any, gateway: Gateway) -> None:
    """Fetches (replayed), representations, merging: everything before projection."""
    prepared = gateway.prepare(QUERY, None)
    loop = asyncio.new_event_loop()
    try:
        state = benchmark(lambda: loop.run_until_complete(gateway.executor.run(prepared.plan, {})))
    finally:
        loop.close()
    assert not state.errors and state.subgraph_requests == 7


def test_project(benchmark: Any, gateway: Gateway) -> None:
    prepared = gateway.prepare(QUERY, None)
    loop = asyncio.new_event_loop()
    state = loop.run_until_complete(gateway.executor.run(prepared.plan, {}))
    loop.close()
    data = benchmark(lambda: prepared.projector.project(state.data, {}, [], False))
    assert {"data": data} == EXPECTED


def test_serialize(benchmark: Any) -> None:
    benchmark(lambda: orjson.dumps(EXPECTED))


def test_whole_request(benchmark: Any, gateway: Gateway) -> None:
    """Everything but HTTP: cached parse and plan, execute, project, serialize."""
    loop = asyncio.new_event_loop()

    def run() -> bytes:
        response = loop.run_until_complete(gateway.execute(GraphQLRequest(QUERY)))
        return orjson.dumps(response.body)

    try:
        body = benchmark(run)
    finally:
        loop.close()
    assert orjson.loads(body) == EXPECTED
