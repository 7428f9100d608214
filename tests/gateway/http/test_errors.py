from __future__ import annotations

import logging

import orjson
import pytest
from starlette.exceptions import HTTPException
from starlette.requests import Request

from gateway.http.errors import http_exception_handler, server_error_handler


def make_request() -> Request:
    return Request(
        {"type": "http", "method": "GET", "path": "/x", "headers": [], "query_string": b""}
    )


async def test_http_exceptions_become_graphql_errors() -> None:
    response = await http_exception_handler(
        make_request(), HTTPException(405, headers={"Allow": "GET"})
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert orjson.loads(response.body) == {"errors": [{"message": "Method Not Allowed"}]}


async def test_unhandled_errors_are_logged_and_hidden(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="gateway.http"):
        response = await server_error_handler(make_request(), KeyError("internal detail"))
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert orjson.loads(response.body) == {"errors": [{"message": "Internal server error"}]}
    assert b"internal detail" not in response.body
    assert "internal detail" in caplog.text


async def test_unhandled_errors_on_a_non_utf8_query_string_are_still_answered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    scope = {"type": "http", "method": "GET", "path": "/x", "headers": [], "query_string": b"\x80"}
    with caplog.at_level(logging.ERROR, logger="gateway.http"):
        response = await server_error_handler(Request(scope), KeyError("boom"))
    assert response.status_code == 500
    assert orjson.loads(response.body) == {"errors": [{"message": "Internal server error"}]}
    assert "GET /x" in caplog.text
