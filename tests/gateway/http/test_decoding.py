from __future__ import annotations

import pytest

from gateway.http.decoding import decode_json_body, decode_query_params
from gateway.http.errors import HttpError


def test_json_body_with_every_parameter() -> None:
    request = decode_json_body(
        b'{"query": "query Q($id: ID!) { a(id: $id) }", "operationName": "Q",'
        b' "variables": {"id": "1"}, "extensions": {"trace": true}}'
    )
    assert request.query == "query Q($id: ID!) { a(id: $id) }"
    assert request.operation_name == "Q"
    assert request.variables == {"id": "1"}
    assert request.extensions == {"trace": True}


def test_json_nulls_mean_absent() -> None:
    request = decode_json_body(
        b'{"query": "{ a }", "operationName": null, "variables": null, "extensions": null}'
    )
    assert (request.operation_name, request.variables, request.extensions) == (None, None, None)


def test_empty_operation_name_means_absent() -> None:
    assert decode_json_body(b'{"query": "{ a }", "operationName": ""}').operation_name is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"NONSENSE", "not valid JSON"),
        (b'{"query":', "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
        (b"null", "JSON object"),
        (b"[]", "JSON object"),
        (b'[{"query": "{ a }"}]', "JSON object"),
        (b'"{ a }"', "JSON object"),
        (b"42", "JSON object"),
        (b"{}", "Missing 'query'"),
        (b'{"qeury": "{ a }"}', "Missing 'query'"),
        (b'{"query": null}', "Missing 'query'"),
        (b'{"query": 1}', "'query' must be a string"),
        (b'{"query": true}', "'query' must be a string"),
        (b'{"query": ["{ a }"]}', "'query' must be a string"),
        (b'{"query": {"a": 1}}', "'query' must be a string"),
        (b'{"query": "{ a }", "operationName": 7}', "'operationName' must be a string"),
        (b'{"query": "{ a }", "variables": "{\\"id\\": 1}"}', "'variables' must be an object"),
        (b'{"query": "{ a }", "variables": [7]}', "'variables' must be an object"),
        (b'{"query": "{ a }", "extensions": "x"}', "'extensions' must be an object"),
    ],
)
def test_malformed_json_bodies(body: bytes, message: str) -> None:
    with pytest.raises(HttpError) as raised:
        decode_json_body(body)
    assert raised.value.status == 400
    assert message in raised.value.message


def test_query_params_decode_json_parameters() -> None:
    request = decode_query_params(
        {
            "query": "query Q($n: Int) { a(n: $n) }",
            "operationName": "Q",
            "variables": '{"n": 3}',
            "extensions": '{"persistedQuery": {"version": 1}}',
        }
    )
    assert request.operation_name == "Q"
    assert request.variables == {"n": 3}
    assert request.extensions == {"persistedQuery": {"version": 1}}


def test_query_params_empty_values_mean_absent() -> None:
    request = decode_query_params(
        {"query": "{ a }", "operationName": "", "variables": "", "extensions": ""}
    )
    assert (request.operation_name, request.variables, request.extensions) == (None, None, None)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Missing 'query'"),
        ({"operationName": "Q"}, "Missing 'query'"),
        ({"query": "{ a }", "variables": "{id: 1}"}, "'variables' is not valid JSON"),
        ({"query": "{ a }", "variables": "[1]"}, "'variables' must be an object"),
        ({"query": "{ a }", "variables": '"s"'}, "'variables' must be an object"),
        ({"query": "{ a }", "extensions": "{"}, "'extensions' is not valid JSON"),
        ({"query": "{ a }", "extensions": "3"}, "'extensions' must be an object"),
    ],
)
def test_malformed_query_params(params: dict[str, str], message: str) -> None:
    with pytest.raises(HttpError) as raised:
        decode_query_params(params)
    assert raised.value.status == 400
    assert message in raised.value.message
