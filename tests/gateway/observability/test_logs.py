"""JSON log lines with the request id; the id taken from the client when sane."""

from __future__ import annotations

import json
import logging
import re

import pytest

from gateway.observability.context import sane_request_id
from tests.gateway.http.asgi_client import request
from tests.gateway.observability.conftest import QUERY, Build


async def test_one_json_access_line_per_request(build: Build) -> None:
    observed = build(tracing=False)
    reply = await request(observed.app, "POST", json={"query": QUERY, "operationName": "TestQuery"})
    request_id = reply.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = [json.loads(line) for line in observed.log_lines()]
    access = [line for line in lines if line["logger"] == "gateway.access"]
    assert len(access) == 1
    (line,) = access
    assert line["request_id"] == request_id
    assert line["operation"] == "TestQuery"
    assert line["operation_type"] == "query"
    assert line["status"] == 200
    assert line["errors"] == 0
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["message"] == "request" and line["level"] == "info" and line["ts"]


async def test_the_clients_request_id_is_reused_returned_and_forwarded(build: Build) -> None:
    observed = build(tracing=False)
    reply = await request(
        observed.app, "POST", json={"query": QUERY}, headers={"x-request-id": "abc-123.DEF"}
    )
    assert reply.headers["x-request-id"] == "abc-123.DEF"
    seen = [h for recorder in observed.recorders.values() for h in recorder.seen]
    assert len(seen) == 7 and all(h["x-request-id"] == "abc-123.DEF" for h in seen)
    (line,) = [json.loads(x) for x in observed.log_lines()]
    assert line["request_id"] == "abc-123.DEF"


@pytest.mark.parametrize(
    "malicious", ["a" * 129, "abc\tdef", "id with spaces", "x\x1b[31mred", '{"json":1}', ""]
)
async def test_a_malicious_request_id_is_replaced(build: Build, malicious: str) -> None:
    observed = build(tracing=False)
    reply = await request(
        observed.app, "POST", json={"query": QUERY}, headers={"x-request-id": malicious}
    )
    request_id = reply.headers["x-request-id"]
    assert request_id != malicious and re.fullmatch(r"[0-9a-f]{32}", request_id)
    seen = [h for recorder in observed.recorders.values() for h in recorder.seen]
    assert all(h["x-request-id"] == request_id for h in seen)


async def test_every_line_of_a_request_carries_its_id(build: Build) -> None:
    observed = build(tracing=False)

    async def chatty(scope: dict[str, object], receive: object, send: object) -> None:
        logging.getLogger("tests.subgraph").warning("inside the subgraph fetch")
        await inner(scope, receive, send)

    inner = observed.recorders["accounts"].app
    observed.recorders["accounts"].app = chatty
    reply = await request(observed.app, "POST", json={"query": QUERY})
    lines = [json.loads(line) for line in observed.log_lines()]
    assert {line["logger"] for line in lines} == {"tests.subgraph", "gateway.access"}
    assert all(line["request_id"] == reply.headers["x-request-id"] for line in lines)


async def test_server_errors_are_logged_as_json_with_the_exception(build: Build) -> None:
    observed = build(tracing=False)

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    observed.gateway.executor.run = crash  # type: ignore[method-assign]
    reply = await request(observed.app, "POST", json={"query": QUERY})
    assert reply.status == 500
    lines = [json.loads(line) for line in observed.log_lines()]
    (failure,) = [line for line in lines if line["level"] == "error"]
    assert "RuntimeError: boom" in failure["exception"]
    assert failure["request_id"] == reply.headers["x-request-id"]
    (access,) = [line for line in lines if line["logger"] == "gateway.access"]
    assert access["status"] == 500


async def test_access_log_can_be_off(build: Build) -> None:
    observed = build(tracing=False, access_log=False)
    await request(observed.app, "POST", json={"query": QUERY})
    assert observed.log_lines() == []


def test_sane_request_ids() -> None:
    assert sane_request_id("0f3c-AB_12.x:y") == "0f3c-AB_12.x:y"
    assert sane_request_id(b"abc") == "abc"
    assert sane_request_id(b"\xff\xfe") is None
    assert sane_request_id("a" * 128) == "a" * 128
    assert sane_request_id("a" * 129) is None
    assert sane_request_id("line\nbreak") is None
    assert sane_request_id(None) is None
