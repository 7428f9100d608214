"""The request body size limit."""

from __future__ import annotations

from gateway.http import DEFAULT_MAX_BODY_SIZE, create_app
from tests.gateway.http.asgi_client import request
from tests.gateway.http.fakes import FakeGateway

JSON_HEADERS = {"Content-Type": "application/json"}


def padded_query(size: int) -> bytes:
    """A valid request body of exactly `size` bytes (the padding is a GraphQL comment)."""
    head, tail = b'{"query": "{ hello } #', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


async def test_default_limit_is_one_mebibyte() -> None:
    assert DEFAULT_MAX_BODY_SIZE == 1024 * 1024
    fake = FakeGateway()
    app = create_app(fake)  # type: ignore[arg-type]
    at_limit = await request(app, "POST", body=padded_query(1024 * 1024), headers=JSON_HEADERS)
    assert at_limit.status == 200
    reply = await request(app, "POST", body=padded_query(2 * 1024 * 1024), headers=JSON_HEADERS)
    assert reply.status == 413
    assert reply.json()["errors"][0]["message"].startswith("Request body is larger")
    assert len(fake.calls) == 1


async def test_declared_length_over_limit_is_refused_before_reading() -> None:
    fake = FakeGateway()
    app = create_app(fake, max_body_size=100)  # type: ignore[arg-type]
    # Content-Length claims more than the limit; the body itself is never needed.
    headers = {**JSON_HEADERS, "Content-Length": "5000000"}
    reply = await request(app, "POST", chunks=[b'{"query": "{ hello }"}'], headers=headers)
    assert reply.status == 413
    assert fake.calls == []


async def test_chunked_body_over_limit_is_413() -> None:
    app = create_app(FakeGateway(), max_body_size=100)  # type: ignore[arg-type]
    reply = await request(app, "POST", chunks=[b"x" * 60, b"x" * 60], headers=JSON_HEADERS)
    assert reply.status == 413


async def test_chunked_body_within_limit_is_read_whole() -> None:
    fake = FakeGateway()
    app = create_app(fake, max_body_size=100)  # type: ignore[arg-type]
    reply = await request(
        app, "POST", chunks=[b'{"query": ', b'"{ hello }"}'], headers=JSON_HEADERS
    )
    assert reply.status == 200
    assert fake.calls[0].request.query == "{ hello }"


async def test_understated_content_length_is_caught_while_reading() -> None:
    app = create_app(FakeGateway(), max_body_size=100)  # type: ignore[arg-type]
    headers = {**JSON_HEADERS, "Content-Length": "10"}
    reply = await request(app, "POST", chunks=[b"x" * 80, b"x" * 80], headers=headers)
    assert reply.status == 413


async def test_body_exactly_at_limit_is_accepted() -> None:
    app = create_app(FakeGateway(), max_body_size=100)  # type: ignore[arg-type]
    reply = await request(app, "POST", body=padded_query(100), headers=JSON_HEADERS)
    assert reply.status == 200


async def test_413_uses_the_negotiated_media_type() -> None:
    app = create_app(FakeGateway(), max_body_size=10)  # type: ignore[arg-type]
    headers = {**JSON_HEADERS, "Accept": "application/graphql-response+json"}
    reply = await request(app, "POST", body=padded_query(50), headers=headers)
    assert reply.status == 413
    assert reply.media_type == "application/graphql-response+json"


async def test_non_numeric_content_length_is_400() -> None:
    app = create_app(FakeGateway())  # type: ignore[arg-type]
    headers = {**JSON_HEADERS, "Content-Length": "lots"}
    reply = await request(app, "POST", chunks=[b'{"query": "{ hello }"}'], headers=headers)
    assert reply.status == 400
