"""@authenticated / @requiresScopes / @policy enforced by the gateway before any fetch."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.auth import GatewayAuth, PolicyContext
from gateway.service import GraphQLRequest
from tests.gateway.auth.subgraphs import make_gateway
from tests.gateway.auth.tokens import bearer, hs_token, hs_verifier

DENIED = {
    "message": "Unauthorized field or type",
    "extensions": {"code": "UNAUTHORIZED_FIELD_OR_TYPE"},
}


def denied(*path: str | int) -> dict[str, Any]:
    return {**DENIED, "path": list(path)}


async def run(auth: GatewayAuth, query: str, token: str | None = None, **kw: Any) -> Any:
    gateway, transports = make_gateway(auth)
    headers = bearer(token) if token else None
    response = await gateway.execute(GraphQLRequest(query, **kw), headers=headers)
    return response, transports


@pytest.fixture
def auth() -> GatewayAuth:
    return GatewayAuth(hs_verifier())


async def test_anonymous_gets_nulls_and_errors_only_for_protected_fields(auth: GatewayAuth) -> None:
    response, _ = await run(auth, "{ products { id name price } greeting }")
    assert response.kind == "ok"
    assert response.body == {
        "errors": [denied("products", 0, "price"), denied("products", 1, "price")],
        "data": {
            "products": [
                {"id": "1", "name": "P1", "price": None},
                {"id": "2", "name": "P2", "price": None},
            ],
            "greeting": "hello you",
        },
    }


async def test_scoped_token_sees_protected_fields(auth: GatewayAuth) -> None:
    token = hs_token(scopes=["read:price"])
    response, _ = await run(auth, "{ products { price } secret { code } }", token)
    assert response.body == {
        "data": {"products": [{"price": 10}, {"price": 20}], "secret": {"code": "c0de"}}
    }


async def test_scopes_as_space_separated_string_and_alternatives(auth: GatewayAuth) -> None:
    response, _ = await run(auth, "{ product(id: 3) { price } }", hs_token(scopes="x admin"))
    assert response.body == {"data": {"product": {"price": 30}}}


async def test_signed_in_without_scope_still_denied_scoped_field(auth: GatewayAuth) -> None:
    response, _ = await run(auth, "{ product(id: 3) { price cost } }", hs_token(scopes=["other"]))
    assert response.body == {
        "errors": [denied("product", "price")],
        "data": {"product": {"price": None, "cost": 3}},
    }


async def test_non_null_protected_field_bubbles_to_its_parent(auth: GatewayAuth) -> None:
    response, _ = await run(auth, "{ product(id: 1) { name cost } greeting }")
    # Product.cost is Int!: its null makes the (nullable) product null; nothing else changes.
    assert response.body == {
        "errors": [denied("product", "cost")],
        "data": {"product": None, "greeting": "hello you"},
    }


async def test_non_null_bubbling_through_non_null_lists_reaches_data(auth: GatewayAuth) -> None:
    response, _ = await run(auth, "{ products { name cost } }")
    assert response.body["data"] is None
    assert response.body["errors"] == [denied("products", 0, "cost"), denied("products", 1, "cost")]


async def test_protected_type_behind_a_union_branch(auth: GatewayAuth) -> None:
    query = "{ search { __typename ... on Product { name } ... on Secret { code } } }"
    response, transports = await run(auth, query)
    # The Secret item is nulled; search is [SearchResult!]! so the null bubbles to data.
    assert response.body == {"errors": [denied("search", 1)], "data": None}
    sent = " ".join(r.query for r in transports["shop"].requests)
    assert "code" not in sent  # the Secret fragment was not planned
    token_response, _ = await run(auth, query, hs_token())
    assert token_response.body == {
        "data": {
            "search": [
                {"__typename": "Product", "name": "P1"},
                {"__typename": "Secret", "code": "c0de"},
            ]
        }
    }


async def test_protected_type_behind_an_interface(auth: GatewayAuth) -> None:
    query = "{ nodes { id ... on Secret { code } } }"
    response, _ = await run(auth, query)
    assert response.body == {
        "errors": [denied("nodes", 1)],
        "data": {"nodes": [{"id": "2"}, None]},
    }


async def test_protected_object_type_field(auth: GatewayAuth) -> None:
    response, transports = await run(auth, "{ secret { id code } }")
    assert response.body == {"errors": [denied("secret")], "data": {"secret": None}}
    assert transports["shop"].requests == []  # the whole operation was unauthorized


async def test_no_fetch_for_a_fully_unauthorized_subtree(auth: GatewayAuth) -> None:
    query = "{ products { name reviews { body } } }"
    response, transports = await run(auth, query)
    assert transports["reviews"].requests == []
    assert response.body["data"] is None  # reviews is [Review!]! on Product!, in [Product!]!
    assert response.body["errors"][0] == denied("products", 0, "reviews")
    response, transports = await run(auth, query, hs_token())
    assert len(transports["reviews"].requests) == 1
    assert response.body["data"]["products"][0] == {"name": "P1", "reviews": [{"body": "great 1"}]}


async def test_selection_left_empty_is_removed_and_reported_at_its_field(
    auth: GatewayAuth,
) -> None:
    # Nothing of product's selection is allowed: product itself is removed and reported.
    response, transports = await run(auth, "{ product(id: 2) { cost } greeting }")
    assert response.body == {
        "errors": [denied("product")],
        "data": {"product": None, "greeting": "hello you"},
    }
    [request] = transports["shop"].requests
    assert "product" not in request.query and "cost" not in request.query


async def test_removed_field_is_never_sent_to_the_subgraph(auth: GatewayAuth) -> None:
    _, transports = await run(auth, "{ products { name price } }")
    [request] = transports["shop"].requests
    assert "price" not in request.query and "name" in request.query


async def test_the_token_is_forwarded_to_subgraphs(auth: GatewayAuth) -> None:
    token = hs_token()
    _, transports = await run(auth, "{ greeting }", token)
    assert transports["shop"].requests[0].headers.get("authorization") == f"Bearer {token}"


async def test_policy_function_is_consulted_once_per_policy() -> None:
    calls: list[tuple[str, Any, PolicyContext]] = []

    async def policy(name: str, claims: Any, context: PolicyContext) -> bool:
        calls.append((name, claims, context))
        return claims is not None and claims.get("sub") == "m-1"

    auth = GatewayAuth(hs_verifier(), policy=policy)
    query = "query Me { profile { nickname email } other: profile { nickname email } }"
    response, _ = await run(auth, query)
    assert response.body == {
        "errors": [denied("profile", "email"), denied("other", "email")],
        "data": {
            "profile": {"nickname": "nick", "email": None},
            "other": {"nickname": "nick", "email": None},
        },
    }
    assert [(name, claims) for name, claims, _ in calls] == [("pii", None)]
    assert calls[0][2].operation_name == "Me"
    calls.clear()
    response, _ = await run(auth, query, hs_token())
    assert response.body == {
        "data": {
            "profile": {"nickname": "nick", "email": "a@b.c"},
            "other": {"nickname": "nick", "email": "a@b.c"},
        }
    }
    assert [name for name, _, _ in calls] == ["pii"]


async def test_without_a_policy_function_policies_are_unmet(auth: GatewayAuth) -> None:
    response, _ = await run(auth, "{ profile { nickname email } }", hs_token())
    assert response.body["errors"] == [denied("profile", "email")]


async def test_failing_policy_function_denies() -> None:
    async def policy(name: str, claims: Any, context: PolicyContext) -> bool:
        raise RuntimeError("policy store down")

    auth = GatewayAuth(hs_verifier(), policy=policy)
    response, _ = await run(auth, "{ profile { nickname email } }")
    assert response.body["errors"] == [denied("profile", "email")]


async def test_aliases_fragments_and_variables_in_removed_parts(auth: GatewayAuth) -> None:
    query = """
      query Q($id: ID!) {
        a: product(id: $id) { ...F }
        greeting
      }
      fragment F on Product { name p: price }
    """
    response, _ = await run(auth, query, variables={"id": "4"})
    assert response.body == {
        "errors": [denied("a", "p")],
        "data": {"a": {"name": "P4", "p": None}, "greeting": "hello you"},
    }


async def test_introspection_is_unaffected(auth: GatewayAuth) -> None:
    query = '{ __type(name: "Secret") { name fields { name } } greeting }'
    response, _ = await run(auth, query)
    assert response.body == {
        "data": {
            "__type": {"name": "Secret", "fields": [{"name": "id"}, {"name": "code"}]},
            "greeting": "hello you",
        }
    }


async def test_filtered_plans_are_cached_per_removed_set(auth: GatewayAuth) -> None:
    gateway, _ = make_gateway(auth)
    query = "{ products { name price } }"
    first = await gateway.execute(GraphQLRequest(query))
    built = gateway.state.built
    control = auth._controls[built]
    decisions = len(control._decisions)
    second = await gateway.execute(GraphQLRequest(query))
    assert first.body == second.body
    assert len(control._decisions) == decisions == 1
    token = await gateway.execute(GraphQLRequest(query), headers=bearer(hs_token(scopes=["admin"])))
    assert "errors" not in token.body
    assert len(control._decisions) == 1  # nothing removed: the cached full plan runs
