"""Field usage through a real Gateway over an in-process subgraph: counted per request,
extracted once per prepared operation, never for requests that do not run."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from starlette.datastructures import Headers

from gateway.service import Gateway, GraphQLRequest
from gateway.usage.flusher import UsageFlusher
from gateway.usage.recorder import UsageRecorder
from gateway.usage.sinks import open_sink
from tests.gateway.persisted.test_redis_store import _free_port
from tests.gateway.test_service import SDL, RecordingTransport, hello  # noqa: F401

QUERY = "query Greet($n: String!) { hello(name: $n) again: hello count(limit: 2) }"


@pytest.fixture
async def counted(hello: RecordingTransport) -> AsyncIterator[Gateway]:  # noqa: F811
    gateway = Gateway(SDL, transports={"hello": hello}, usage=UsageRecorder())
    yield gateway
    await gateway.aclose()


async def test_counts_add_up_across_requests(counted: Gateway) -> None:
    web = Headers({"ApolloGraphQL-Client-Name": "web"})
    for n in range(3):
        response = await counted.execute(
            GraphQLRequest(QUERY, variables={"n": str(n)}), headers=web
        )
        assert response.kind == "ok" and response.body["data"]["count"] == 2
    await counted.execute(GraphQLRequest("{ count }"))
    assert counted.usage is not None
    assert counted.usage.field_counts(1) == {
        "Query.hello": 3,
        "Query.hello(name:)": 3,
        "Query.count": 4,
        "Query.count(limit:)": 3,
    }
    assert counted.usage.operation_counts(1) == [("web", "Greet", 3), (None, None, 1)]


async def test_extracted_once_per_prepared_operation(counted: Gateway) -> None:
    first = counted.prepare(QUERY, None)
    again = counted.prepare(QUERY, None)
    assert first is again and first.usage is not None
    assert "Query.hello(name:)" in first.usage.coordinates


async def test_requests_that_do_not_run_are_not_counted(counted: Gateway) -> None:
    assert (await counted.execute(GraphQLRequest("{ nope }"))).kind == "request_error"
    refused = await counted.execute(GraphQLRequest('mutation { shout(text: "a") }'),
                                    allow_mutations=False)  # fmt: skip
    assert refused.kind == "operation_not_allowed"
    bad_variables = await counted.execute(GraphQLRequest(QUERY, variables={"n": 1}))
    assert bad_variables.kind == "request_error"
    assert counted.usage is not None and counted.usage.field_counts(1) == {}


async def test_without_a_recorder_nothing_is_extracted(hello: RecordingTransport) -> None:  # noqa: F811
    gateway = Gateway(SDL, transports={"hello": hello})
    try:
        assert (await gateway.execute(GraphQLRequest("{ count }"))).kind == "ok"
        assert gateway.prepare("{ count }", None).usage is None
    finally:
        await gateway.aclose()


@pytest.mark.parametrize(
    "sink", ["redis://127.0.0.1:{port}/0", "postgresql://postgres@127.0.0.1:{port}/test"]
)
async def test_a_down_sink_fails_no_request_and_warns_once(
    hello: RecordingTransport,  # noqa: F811
    sink: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = UsageRecorder()
    flusher = UsageFlusher(recorder, open_sink(sink.format(port=_free_port())), interval=0.01)
    gateway = Gateway(SDL, transports={"hello": hello}, usage=recorder)
    await flusher.start()
    with caplog.at_level(logging.WARNING, logger="gateway.usage"):
        for _ in range(5):
            assert (await gateway.execute(GraphQLRequest("{ count }"))).kind == "ok"
            await asyncio.sleep(0.02)  # flushes fail in the background meanwhile
        await flusher.stop()
    await gateway.aclose()
    warnings = [r for r in caplog.records if r.name == "gateway.usage"]
    assert len(warnings) == 1 and "field usage sink failed" in warnings[0].getMessage()
    assert recorder.field_counts(1) == {"Query.count": 5}
