"""Gateway: the request path (parse, validate, plan, execute, project) and its request errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import strawberry
from starlette.datastructures import Headers
from strawberry.asgi import GraphQL

from gateway.service import Gateway, GatewayResponse, GraphQLRequest
from gateway.transport.asgi import AsgiTransport
from tests.gateway.sdl import supergraph
from tests.gateway.shop import RecordingTransport


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "world") -> str:
        return f"Hello, {name}!"

    @strawberry.field
    def count(self, limit: int = 3) -> int:
        return limit


@strawberry.type
class Mutation:
    @strawberry.mutation
    def shout(self, text: str) -> str:
        return text.upper()


SCHEMA = strawberry.federation.Schema(query=Query, mutation=Mutation, federation_version="2.3")

SDL = supergraph(
    ["hello"],
    """
type Query @join__type(graph: HELLO) {
  hello(name: String! = "world"): String!
  count(limit: Int! = 3): Int!
}

type Mutation @join__type(graph: HELLO) {
  shout(text: String!): String!
}

type Subscription @join__type(graph: HELLO) {
  ticks: Int
}
""",
    roots="query: Query\n  mutation: Mutation\n  subscription: Subscription",
)


@pytest.fixture
def hello() -> RecordingTransport:
    return RecordingTransport(AsgiTransport("hello", GraphQL(SCHEMA)))


@pytest.fixture
async def gateway(hello: RecordingTransport) -> AsyncIterator[Gateway]:
    gateway = Gateway(SDL, transports={"hello": hello})
    yield gateway
    await gateway.aclose()


async def execute(gateway: Gateway, query: str | None, **kwargs: Any) -> GatewayResponse:
    request_fields = {k: kwargs.pop(k) for k in ("operation_name", "variables") if k in kwargs}
    return await gateway.execute(GraphQLRequest(query, **request_fields), **kwargs)


def assert_request_error(response: GatewayResponse, *fragments: str) -> dict[str, Any]:
    assert response.kind == "request_error", response
    assert "data" not in response.body
    (error,) = response.body["errors"]
    for fragment in fragments:
        assert fragment.lower() in error["message"].lower(), error
    return error


# -- success -------------------------------------------------------------------------------


async def test_query(gateway: Gateway, hello: RecordingTransport) -> None:
    response = await execute(gateway, '{ hello(name: "Ann") again: hello }')
    assert response.kind == "ok"
    assert response.body == {"data": {"hello": "Hello, Ann!", "again": "Hello, world!"}}
    assert len(hello.requests) == 1


async def test_named_operation_among_several(gateway: Gateway) -> None:
    query = "query A { hello } query B { count }"
    response = await execute(gateway, query, operation_name="B")
    assert response.body == {"data": {"count": 3}}


async def test_variables(gateway: Gateway, hello: RecordingTransport) -> None:
    query = "query($n: String!, $l: Int) { hello(name: $n) count(limit: $l) }"
    response = await execute(gateway, query, variables={"n": "Bo", "l": 7})
    assert response.body == {"data": {"hello": "Hello, Bo!", "count": 7}}


async def test_mutation(gateway: Gateway) -> None:
    response = await execute(gateway, 'mutation { shout(text: "hi") }')
    assert response.kind == "ok"
    assert response.body == {"data": {"shout": "HI"}}


async def test_typename_only_needs_no_subgraph(gateway: Gateway, hello: RecordingTransport) -> None:
    response = await execute(gateway, "{ __typename }")
    assert response.body == {"data": {"__typename": "Query"}}
    assert hello.requests == []


async def test_introspection_answers_from_the_api_schema(gateway: Gateway) -> None:
    response = await execute(gateway, '{ __type(name: "Query") { fields { name } } }')
    names = [f["name"] for f in response.body["data"]["__type"]["fields"]]
    assert names == ["hello", "count"]
    hidden = await execute(gateway, '{ __type(name: "join__Graph") { name } }')
    assert hidden.body["data"] == {"__type": None}


# -- request errors ------------------------------------------------------------------------


@pytest.mark.parametrize("query", [None, "", "   \n"])
async def test_missing_query(gateway: Gateway, query: str | None) -> None:
    assert_request_error(await execute(gateway, query), "query")


async def test_syntax_error(gateway: Gateway, hello: RecordingTransport) -> None:
    error = assert_request_error(await execute(gateway, "{ hello"), "syntax error")
    assert error["locations"] == [{"line": 1, "column": 8}]
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert hello.requests == []


async def test_validation_error_with_locations(gateway: Gateway, hello: RecordingTransport) -> None:
    error = assert_request_error(await execute(gateway, "{\n  hello\n  nope\n}"), "nope")
    assert error["locations"] == [{"line": 3, "column": 3}]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert hello.requests == []


async def test_several_validation_errors(gateway: Gateway) -> None:
    response = await execute(gateway, "{ nope hello(unknown: 1) }")
    assert response.kind == "request_error"
    assert len(response.body["errors"]) == 2


async def test_cached_request_error_is_answered_again(gateway: Gateway) -> None:
    first = await execute(gateway, "{ nope }")
    second = await execute(gateway, "{ nope }")
    assert first.body == second.body
    assert second.kind == "request_error"


async def test_unknown_operation(gateway: Gateway) -> None:
    response = await execute(gateway, "query A { hello }", operation_name="B")
    assert_request_error(response, "B")


async def test_ambiguous_operation(gateway: Gateway) -> None:
    response = await execute(gateway, "query A { hello } query B { count }")
    assert_request_error(response, "operation name")


@pytest.mark.parametrize(
    "variables",
    [{}, {"n": 3}, {"n": None}, {"n": "Ann", "l": "many"}],
    ids=["missing", "wrong-type", "null-for-non-null", "second-wrong"],
)
async def test_invalid_variables(
    gateway: Gateway, hello: RecordingTransport, variables: dict[str, Any]
) -> None:
    query = "query($n: String!, $l: Int) { hello(name: $n) count(limit: $l) }"
    response = await execute(gateway, query, variables=variables)
    assert response.kind == "request_error"
    assert "data" not in response.body
    assert response.body["errors"]
    assert all(
        "$" in e["message"] or "variable" in e["message"].lower() for e in response.body["errors"]
    )
    assert hello.requests == []


async def test_variables_not_an_object(gateway: Gateway) -> None:
    response = await execute(gateway, "{ hello }", variables=["n"])  # type: ignore[arg-type]
    assert_request_error(response, "variables")


async def test_subscription_refused(gateway: Gateway, hello: RecordingTransport) -> None:
    assert_request_error(await execute(gateway, "subscription { ticks }"), "subscription")
    assert hello.requests == []


async def test_mutation_refused_when_not_allowed(
    gateway: Gateway, hello: RecordingTransport
) -> None:
    response = await execute(gateway, 'mutation { shout(text: "hi") }', allow_mutations=False)
    assert response.kind == "operation_not_allowed"
    assert "data" not in response.body
    assert response.body["errors"]
    assert hello.requests == []


async def test_query_allowed_when_mutations_are_not(gateway: Gateway) -> None:
    response = await execute(gateway, "{ hello }", allow_mutations=False)
    assert response.kind == "ok"
    assert response.body == {"data": {"hello": "Hello, world!"}}


async def test_query_chosen_from_a_document_with_a_mutation(gateway: Gateway) -> None:
    document = 'query Q { hello } mutation M { shout(text: "x") }'
    response = await execute(gateway, document, operation_name="Q", allow_mutations=False)
    assert response.body == {"data": {"hello": "Hello, world!"}}
    refused = await execute(gateway, document, operation_name="M", allow_mutations=False)
    assert refused.kind == "operation_not_allowed"


# -- caching -------------------------------------------------------------------------------


async def test_plan_cache_hit_on_second_prepare(gateway: Gateway) -> None:
    first = gateway.prepare("{ hello }", None)
    second = gateway.prepare("{ hello }", None)
    assert second is first
    assert gateway.plan("{ hello }") is first.plan


async def test_plan_cached_per_operation_name(gateway: Gateway) -> None:
    query = "query A { hello } query B { count }"
    a = gateway.prepare(query, "A")
    b = gateway.prepare(query, "B")
    assert a is not b
    assert gateway.prepare(query, "A") is a
    assert a.operation.name == "A" and b.operation.name == "B"


async def test_cached_plan_gives_the_same_answer(gateway: Gateway) -> None:
    query = "query($n: String!) { hello(name: $n) }"
    first = await execute(gateway, query, variables={"n": "A"})
    second = await execute(gateway, query, variables={"n": "B"})
    assert first.body == {"data": {"hello": "Hello, A!"}}
    assert second.body == {"data": {"hello": "Hello, B!"}}


# -- headers -------------------------------------------------------------------------------

CLIENT_HEADERS = {
    "authorization": "Bearer t",
    "x-brand": "b1",
    "cookie": "session=1",
    "content-length": "99",
    "host": "gateway.example",
}


async def test_only_forward_headers_reach_subgraphs(hello: RecordingTransport) -> None:
    gateway = Gateway(
        SDL, transports={"hello": hello}, forward_headers=("Authorization", "X-Brand")
    )
    await gateway.execute(GraphQLRequest("{ hello }"), headers=CLIENT_HEADERS)
    (request,) = hello.requests
    assert dict(request.headers) == {"authorization": "Bearer t", "x-brand": "b1"}


async def test_no_headers_forwarded_by_default(gateway: Gateway, hello: RecordingTransport) -> None:
    await gateway.execute(GraphQLRequest("{ hello }"), headers=CLIENT_HEADERS)
    (request,) = hello.requests
    assert dict(request.headers) == {}


async def test_forward_headers_from_starlette_headers(hello: RecordingTransport) -> None:
    gateway = Gateway(SDL, transports={"hello": hello}, forward_headers=("authorization",))
    headers = Headers(headers={"Authorization": "Bearer s", "Cookie": "c"})
    await gateway.execute(GraphQLRequest("{ hello }"), headers=headers)
    (request,) = hello.requests
    assert dict(request.headers) == {"authorization": "Bearer s"}


async def test_forward_headers_match_names_case_insensitively(hello: RecordingTransport) -> None:
    # HTTP header names are case-insensitive; a plain mapping may use any case.
    gateway = Gateway(SDL, transports={"hello": hello}, forward_headers=("authorization",))
    await gateway.execute(
        GraphQLRequest("{ hello }"), headers={"Authorization": "Bearer m", "Cookie": "c"}
    )
    (request,) = hello.requests
    assert {k.lower(): v for k, v in request.headers.items()} == {"authorization": "Bearer m"}


# -- transports ----------------------------------------------------------------------------


async def test_transports_default_to_the_supergraph_urls() -> None:
    gateway = Gateway(SDL)
    try:
        (transport,) = gateway.transports.values()
        assert getattr(transport, "url", None) == "http://hello.example:4001/graphql"
    finally:
        await gateway.aclose()


async def test_aclose_closes_transports(hello: RecordingTransport) -> None:
    gateway = Gateway(SDL, transports={"hello": hello})
    await gateway.aclose()
    assert hello.closed


async def test_variable_default_used_when_not_given(
    gateway: Gateway, hello: RecordingTransport
) -> None:
    query = 'query($n: String = "Dee") { hello(name: $n) }'
    response = await execute(gateway, query)
    assert response.body == {"data": {"hello": "Hello, Dee!"}}
