"""The gateway answers the benchmark query over the Python subgraphs as Apollo Gateway does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest

from bench.subgraphs import Stats, subgraph_apps
from gateway.service import Gateway, GraphQLRequest
from gateway.transport.asgi import AsgiTransport

DATA = Path(__file__).parents[2] / "bench" / "data"


@pytest.fixture
async def gateway() -> AsyncIterator[Gateway]:
    apps = subgraph_apps(Stats())
    transports = {name: AsgiTransport(name, app) for name, app in apps.items()}
    gateway = Gateway((DATA / "supergraph.graphql").read_text(), transports=transports)
    yield gateway
    await gateway.aclose()


async def test_benchmark_query_gives_the_expected_response(gateway: Gateway) -> None:
    response = await gateway.execute(GraphQLRequest((DATA / "query.graphql").read_text()))
    assert response.kind == "ok"
    # Compared as compact JSON so key order counts too (the file is compact JSON plus "\n").
    expected = (DATA / "expected-response.json").read_bytes().rstrip(b"\n")
    assert orjson.dumps(response.body) == expected


async def test_repeated_benchmark_queries_stay_identical(gateway: Gateway) -> None:
    # The second run goes through every cache: the gateway's plans and the subgraph answers.
    query = GraphQLRequest((DATA / "query.graphql").read_text())
    first = await gateway.execute(query)
    second = await gateway.execute(query)
    assert orjson.dumps(second.body) == orjson.dumps(first.body)
