"""Response checking: parsed-JSON equality with the expected response, wrong answers counted."""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson
import pytest
from aiohttp import web

from bench.run.checking import ResponseChecker, describe_difference
from bench.run.loadgen import ClosedLoop

EXPECTED = b'{"data":{"users":[{"id":"1","name":"Ada","inStock":true,"price":899}]}}\n'


@pytest.fixture
def checker() -> ResponseChecker:
    return ResponseChecker(EXPECTED)


def test_the_expected_bytes_are_correct(checker: ResponseChecker) -> None:
    assert checker.is_expected(EXPECTED.rstrip())


def test_key_order_and_whitespace_do_not_matter(checker: ResponseChecker) -> None:
    body = b'{ "data": { "users": [ {"price": 899, "inStock": true, "name": "Ada", "id": "1"} ] } }'
    assert checker.is_expected(body)
    assert checker.is_expected(body)  # now known by its bytes


@pytest.mark.parametrize(
    ("body", "explanation"),
    [
        (
            b'{"data":{"users":[{"id":"1","name":"Bob","inStock":true,"price":899}]}}',
            '$.data.users[0].name is "Bob", expected "Ada"',
        ),
        (
            b'{"data":{"users":[{"id":"1","name":"Ada","inStock":1,"price":899}]}}',
            "$.data.users[0].inStock is 1, expected true",
        ),
        (b'{"data":{"users":[]}}', "$.data.users has 0 items, expected 1"),
        (b'{"data":null,"errors":[{"message":"boom"}]}', "$.data is null, expected"),
        (b"<html>Bad Gateway</html>", "not JSON: <html>Bad Gateway</html>"),
    ],
)
def test_a_wrong_answer_is_wrong_and_explained(
    checker: ResponseChecker, body: bytes, explanation: str
) -> None:
    assert not checker.is_expected(body)
    assert checker.explain(body).startswith(explanation)


def test_an_unexpected_extra_member_is_reported() -> None:
    found = describe_difference({"data": {}}, {"data": {}, "errors": [{"message": "x"}]})
    assert found == '$.errors is unexpected: [{"message":"x"}]'
    assert describe_difference({"a": 1}, {"a": 1.0}) is None  # the same JSON number


@pytest.fixture
async def wrong_server() -> AsyncIterator[str]:
    """A gateway stand-in that answers every request with a wrong body."""

    async def graphql(request: web.Request) -> web.Response:
        await request.read()
        wrong = orjson.loads(EXPECTED)
        wrong["data"]["users"][0]["price"] = 900
        return web.json_response(body=orjson.dumps(wrong))

    app = web.Application()
    app.router.add_post("/graphql", graphql)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/graphql"
    await runner.cleanup()


async def test_the_load_generator_counts_wrong_answers(
    wrong_server: str, checker: ResponseChecker
) -> None:
    loop = ClosedLoop(wrong_server, b'{"query":"{ users { id } }"}', checker, 2, timeout=5)
    result = await loop.run(warmup=0.05, duration=0.3)
    assert result.answered > 0
    assert result.wrong == result.answered
    assert result.errors == 0
    assert result.first_wrong == "$.data.users[0].price is 900, expected 899"
    assert result.latency_ms is not None
