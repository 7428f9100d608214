"""In-flight deduplication of identical subgraph query requests."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from gateway.transport.asgi import AsgiTransport
from gateway.transport.base import SubgraphRequest, TransportError


class SlowApp:
    """An ASGI subgraph that counts calls and answers after a short pause."""

    def __init__(self, *, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.calls += 1
        await receive()
        await asyncio.sleep(0.05)
        if self.fail:
            raise RuntimeError("boom")
        body = orjson.dumps({"data": {"n": self.calls, "items": [{"id": 1}]}})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})


async def test_identical_queries_in_flight_share_one_request() -> None:
    app = SlowApp()
    transport = AsgiTransport("s", app)
    request = SubgraphRequest("{ n items { id } }", {"a": 1}, deduplicate=True)
    first, second = await asyncio.gather(transport.fetch(request), transport.fetch(request))
    assert app.calls == 1
    assert transport.shared_requests == 1
    assert first == second == {"data": {"n": 1, "items": [{"id": 1}]}}
    # Each caller owns its answer: merging into one must not change the other.
    assert first["data"]["items"][0] is not second["data"]["items"][0]


async def test_requests_differing_in_variables_or_headers_are_not_shared() -> None:
    app = SlowApp()
    transport = AsgiTransport("s", app)
    await asyncio.gather(
        transport.fetch(SubgraphRequest("{ n }", {"a": 1}, deduplicate=True)),
        transport.fetch(SubgraphRequest("{ n }", {"a": 2}, deduplicate=True)),
        transport.fetch(
            SubgraphRequest("{ n }", {"a": 1}, headers={"authorization": "x"}, deduplicate=True)
        ),
    )
    assert app.calls == 3


async def test_mutations_are_never_shared() -> None:
    app = SlowApp()
    transport = AsgiTransport("s", app)
    request = SubgraphRequest("mutation { n }", deduplicate=False)
    await asyncio.gather(transport.fetch(request), transport.fetch(request))
    assert app.calls == 2


async def test_a_shared_failure_reaches_every_caller() -> None:
    app = SlowApp(fail=True)
    transport = AsgiTransport("s", app)
    request = SubgraphRequest("{ n }", deduplicate=True)
    results = await asyncio.gather(
        transport.fetch(request), transport.fetch(request), return_exceptions=True
    )
    assert app.calls == 1
    assert all(isinstance(r, TransportError) for r in results)


async def test_a_caller_giving_up_does_not_cancel_the_others() -> None:
    app = SlowApp()
    transport = AsgiTransport("s", app)
    request = SubgraphRequest("{ n }", deduplicate=True)
    impatient = asyncio.ensure_future(transport.fetch(request))
    patient = asyncio.ensure_future(transport.fetch(request))
    await asyncio.sleep(0.01)
    impatient.cancel()
    assert (await patient) == {"data": {"n": 1, "items": [{"id": 1}]}}
    with pytest.raises(asyncio.CancelledError):
        await impatient


async def test_after_completion_the_next_identical_request_goes_out_again() -> None:
    app = SlowApp()
    transport = AsgiTransport("s", app)
    request = SubgraphRequest("{ n }", deduplicate=True)
    await transport.fetch(request)
    await transport.fetch(request)
    assert app.calls == 2
