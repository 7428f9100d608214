"""What field usage costs a request (gateway/usage): the whole request with and without the
recorder, the per-request record() alone, and the once-per-operation extraction.

Measure:  python -m pytest bench/micro/test_usage.py --benchmark-enable
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
from graphql import parse
from starlette.datastructures import Headers

from bench.micro.replay import EXPECTED, QUERY, SUPERGRAPH, ReplayTransport, record
from gateway.planning.operation import find_operation
from gateway.service import Gateway, GraphQLRequest
from gateway.supergraph import load_supergraph
from gateway.usage import UsageRecorder, operation_usage

HEADERS = Headers({"apollographql-client-name": "bench"})


@pytest.fixture(scope="module")
def answers() -> dict[str, dict[bytes, bytes]]:
    return asyncio.run(record())


def _gateway(answers: dict[str, dict[bytes, bytes]], usage: UsageRecorder | None) -> Gateway:
    transports = {name: ReplayTransport(name, a) for name, a in answers.items()}
    return Gateway(SUPERGRAPH, transports, usage=usage)


def _whole_request(benchmark: Any, gateway: Gateway) -> None:
    loop = asyncio.new_event_loop()

    def run() -> bytes:
        response = loop.run_until_complete(gateway.execute(GraphQLRequest(QUERY), headers=HEADERS))
        return orjson.dumps(response.body)

    try:
        body = benchmark(run)
    finally:
        loop.close()
    assert orjson.loads(body) == EXPECTED


def test_whole_request_without_usage(benchmark: Any, answers: Any) -> None:
    _whole_request(benchmark, _gateway(answers, None))


def test_whole_request_with_usage(benchmark: Any, answers: Any) -> None:
    recorder = UsageRecorder()
    _whole_request(benchmark, _gateway(answers, recorder))
    assert recorder.field_counts(1)  # counted


def test_record(benchmark: Any, answers: Any) -> None:
    """The per-request part: the day, the client header, one counter."""
    recorder = UsageRecorder()
    gateway = _gateway(answers, recorder)
    usage = gateway.prepare(QUERY, None).usage
    assert usage is not None
    benchmark(lambda: recorder.record(usage, HEADERS.get("apollographql-client-name")))
    assert recorder.operation_counts(1)[0][0] == "bench"


def test_extract_once_per_operation(benchmark: Any) -> None:
    schema = load_supergraph(SUPERGRAPH).api_schema
    document = parse(QUERY)
    definition = find_operation(document, None)
    assert definition is not None
    usage = benchmark(lambda: operation_usage(schema, document, definition))
    assert len(usage.coordinates) > 10
