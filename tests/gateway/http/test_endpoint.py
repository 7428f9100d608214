"""Status codes and media types of /graphql, per the GraphQL-over-HTTP specification."""

from __future__ import annotations

import logging

import pytest
from starlette.applications import Starlette

from gateway.http import create_app
from gateway.service import GatewayResponse
from tests.gateway.http.asgi_client import Reply, request
from tests.gateway.http.fakes import FakeGateway

GRAPHQL_JSON = "application/graphql-response+json"
JSON = "application/json"
QUERY = {"query": "{ hello }"}

# Requests that are not well-formed GraphQL-over-HTTP requests, as clients really send them.
MALFORMED_POST_BODIES = [
    pytest.param(b"", id="empty body"),
    pytest.param(b"NONSENSE", id="not JSON"),
    pytest.param(b'{"query":', id="truncated JSON"),
    pytest.param(b"null", id="null"),
    pytest.param(b"[]", id="empty array"),
    pytest.param(b'[{"query": "{ hello }"}]', id="batch array"),
    pytest.param(b'"{ hello }"', id="bare string"),
    pytest.param(b"{}", id="empty object"),
    pytest.param(b'{"qeury": "{ hello }"}', id="misspelt query"),
    pytest.param(b'{"query": 1}', id="query as number"),
    pytest.param(b'{"query": {"hello": true}}', id="query as object"),
    pytest.param(b'{"query": "{ hello }", "variables": "{}"}', id="variables as string"),
    pytest.param(b'{"query": "{ hello }", "variables": [7]}', id="variables as array"),
    pytest.param(b'{"query": "{ hello }", "operationName": 1}', id="operationName as number"),
    pytest.param(b'{"query": "{ hello }", "extensions": 1}', id="extensions as number"),
]

MALFORMED_GET_PARAMS = [
    pytest.param({}, id="no query"),
    pytest.param({"query": "{ hello }", "variables": "{not json"}, id="invalid JSON variables"),
    pytest.param({"query": "{ hello }", "variables": "[1, 2]"}, id="variables as array"),
    pytest.param({"query": "{ hello }", "extensions": "nope"}, id="invalid JSON extensions"),
]


def assert_graphql_errors(reply: Reply) -> list[dict[str, object]]:
    body = reply.json()
    assert set(body) == {"errors"}, body
    assert body["errors"] and all(isinstance(e["message"], str) for e in body["errors"])
    return body["errors"]


async def post(app: Starlette, body: object = QUERY, **kwargs: object) -> Reply:
    return await request(app, "POST", json=body, **kwargs)  # type: ignore[arg-type]


# --- successful execution -------------------------------------------------------------------


async def test_post_executes_with_every_parameter(app: Starlette, fake: FakeGateway) -> None:
    body = {
        "query": "query Q($id: ID!) { hello(id: $id) }",
        "operationName": "Q",
        "variables": {"id": "7"},
        "extensions": {"trace": True},
    }
    reply = await post(app, body, headers={"X-Brand": "acme"})
    assert reply.status == 200
    assert reply.json() == {"data": {"hello": "world"}}
    [call] = fake.calls
    assert call.request.query == body["query"]
    assert call.request.operation_name == "Q"
    assert call.request.variables == {"id": "7"}
    assert call.request.extensions == {"trace": True}
    assert call.allow_mutations is True
    assert call.headers is not None and call.headers["x-brand"] == "acme"


async def test_get_executes_query_without_mutations(app: Starlette, fake: FakeGateway) -> None:
    reply = await request(
        app,
        "GET",
        params={
            "query": "query Q($n: Int) { hello(n: $n) }",
            "operationName": "Q",
            "variables": '{"n": 2}',
        },
    )
    assert reply.status == 200
    assert reply.json() == {"data": {"hello": "world"}}
    [call] = fake.calls
    assert call.request.operation_name == "Q"
    assert call.request.variables == {"n": 2}
    assert call.allow_mutations is False


async def test_response_is_utf8_and_orjson_encoded(fake: FakeGateway) -> None:
    fake.response = GatewayResponse({"data": {"name": "Café 北京"}})
    reply = await post(create_app(fake))  # type: ignore[arg-type]
    assert reply.headers["content-type"] == "application/json; charset=utf-8"
    assert reply.body == '{"data":{"name":"Café 北京"}}'.encode()


async def test_gateway_response_headers_are_forwarded(fake: FakeGateway) -> None:
    fake.response = GatewayResponse({"data": {"a": 1}}, headers={"cache-control": "no-store"})
    reply = await post(create_app(fake))  # type: ignore[arg-type]
    assert reply.headers["cache-control"] == "no-store"


# --- Accept negotiation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, JSON),
        ("*/*", JSON),
        (JSON, JSON),
        (GRAPHQL_JSON, GRAPHQL_JSON),
        (f"{GRAPHQL_JSON}, {JSON}", GRAPHQL_JSON),
        (f"{JSON}, {GRAPHQL_JSON};q=0.5", JSON),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_response_media_type_follows_accept(
    app: Starlette, method: str, accept: str | None, media_type: str
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    if method == "GET":
        reply = await request(app, "GET", params=QUERY, headers=headers)
    else:
        reply = await post(app, headers=headers)
    assert reply.status == 200
    assert reply.headers["content-type"] == f"{media_type}; charset=utf-8"


@pytest.mark.parametrize("accept", ["text/html", "application/xml", f"{JSON};q=0"])
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_406_when_no_supported_media_type_is_accepted(
    app: Starlette, fake: FakeGateway, method: str, accept: str
) -> None:
    if method == "GET":
        reply = await request(app, "GET", params=QUERY, headers={"Accept": accept})
    else:
        reply = await post(app, headers={"Accept": accept})
    assert reply.status == 406
    assert reply.media_type == JSON
    assert_graphql_errors(reply)
    assert fake.calls == []


# --- request errors found by the gateway (parse, validation, operation, variables) ----------


REQUEST_ERROR = GatewayResponse(
    {"errors": [{"message": "Syntax Error: Expected Name, found <EOF>."}]}, kind="request_error"
)


@pytest.mark.parametrize(("accept", "status"), [(GRAPHQL_JSON, 400), (JSON, 200), (None, 200)])
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_request_errors_status_depends_on_media_type(
    fake: FakeGateway, method: str, accept: str | None, status: int
) -> None:
    fake.response = REQUEST_ERROR
    app = create_app(fake)  # type: ignore[arg-type]
    headers = {"Accept": accept} if accept else {}
    if method == "GET":
        reply = await request(app, "GET", params={"query": "{"}, headers=headers)
    else:
        reply = await post(app, {"query": "{"}, headers=headers)
    assert reply.status == status
    assert reply.json() == REQUEST_ERROR.body


@pytest.mark.parametrize("accept", [GRAPHQL_JSON, JSON])
async def test_field_errors_with_partial_or_null_data_are_200(
    fake: FakeGateway, accept: str
) -> None:
    app = create_app(fake)  # type: ignore[arg-type]
    for data in ({"a": None}, None):
        fake.response = GatewayResponse({"data": data, "errors": [{"message": "boom"}]})
        reply = await post(app, headers={"Accept": accept})
        assert reply.status == 200
        assert reply.json()["data"] == data


# --- mutations over GET, and other methods --------------------------------------------------


@pytest.mark.parametrize("accept", [GRAPHQL_JSON, JSON])
async def test_mutation_over_get_is_405_allow_post(fake: FakeGateway, accept: str) -> None:
    fake.response = GatewayResponse(
        {"errors": [{"message": "Mutations can only be sent with POST"}]},
        kind="operation_not_allowed",
    )
    app = create_app(fake)  # type: ignore[arg-type]
    reply = await request(
        app, "GET", params={"query": "mutation { buy }"}, headers={"Accept": accept}
    )
    assert reply.status == 405
    assert reply.headers["allow"] == "POST"
    assert reply.media_type == accept
    assert reply.json() == fake.response.body
    assert fake.calls[0].allow_mutations is False


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "HEAD"])
async def test_other_methods_are_405(app: Starlette, fake: FakeGateway, method: str) -> None:
    reply = await request(app, method, json=QUERY)
    assert reply.status == 405
    assert reply.headers["allow"] == "GET, POST"
    if method != "HEAD":
        assert_graphql_errors(reply)
    assert fake.calls == []


# --- malformed requests ---------------------------------------------------------------------


@pytest.mark.parametrize("body", MALFORMED_POST_BODIES)
@pytest.mark.parametrize("accept", [GRAPHQL_JSON, JSON, None])
async def test_malformed_post_is_400(
    app: Starlette, fake: FakeGateway, body: bytes, accept: str | None
) -> None:
    headers = {"Content-Type": "application/json"}
    if accept:
        headers["Accept"] = accept
    reply = await request(app, "POST", body=body, headers=headers)
    assert reply.status == 400
    assert reply.media_type == (accept or JSON)
    assert_graphql_errors(reply)
    assert fake.calls == []


@pytest.mark.parametrize("params", MALFORMED_GET_PARAMS)
@pytest.mark.parametrize("accept", [GRAPHQL_JSON, JSON])
async def test_malformed_get_is_400(
    app: Starlette, fake: FakeGateway, params: dict[str, str], accept: str
) -> None:
    reply = await request(app, "GET", params=params, headers={"Accept": accept})
    assert reply.status == 400
    assert reply.media_type == accept
    assert_graphql_errors(reply)
    assert fake.calls == []


async def test_non_utf8_body_is_400(app: Starlette) -> None:
    reply = await request(
        app, "POST", body=b'{"query": "\xff"}', headers={"Content-Type": "application/json"}
    )
    assert reply.status == 400
    assert_graphql_errors(reply)


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/graphql",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/json; charset=iso-8859-1",
    ],
)
async def test_unsupported_content_type_is_415(
    app: Starlette, fake: FakeGateway, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    reply = await request(app, "POST", body=b'{"query": "{ hello }"}', headers=headers)
    assert reply.status == 415
    assert_graphql_errors(reply)
    assert fake.calls == []


async def test_json_content_type_with_utf8_charset_is_accepted(app: Starlette) -> None:
    reply = await request(
        app,
        "POST",
        body=b'{"query": "{ hello }"}',
        headers={"Content-Type": "application/json; charset=UTF-8"},
    )
    assert reply.status == 200


# --- failures inside the gateway ------------------------------------------------------------


@pytest.mark.parametrize("accept", [GRAPHQL_JSON, JSON])
async def test_unexpected_exception_is_a_logged_500(
    accept: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(FakeGateway(error=RuntimeError("secret internals")))  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="gateway.http"):
        reply = await post(app, headers={"Accept": accept})
    assert reply.status == 500
    assert reply.media_type == accept
    assert reply.json() == {"errors": [{"message": "Internal server error"}]}
    assert b"secret internals" not in reply.body and b"Traceback" not in reply.body
    assert any("secret internals" in (r.exc_text or "") for r in caplog.records)


async def test_unserializable_result_is_a_500(fake: FakeGateway) -> None:
    fake.response = GatewayResponse({"data": {"a": object()}})
    reply = await post(create_app(fake))  # type: ignore[arg-type]
    assert reply.status == 500
    assert_graphql_errors(reply)
