"""Projector: merged subgraph data -> the client's response (selection, order, nulls)."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLSchema, build_schema, parse

from gateway.execution.projector import Projector
from gateway.planning.operation import find_operation, normalize

SCHEMA = build_schema(
    """
    type Query {
      me: User
      users: [User!]
      strictUsers: [User!]!
      matrix: [[Int]]
      node(id: ID!): Node
      search: [SearchResult]
      product: Product
      mustProduct: Product!
      count: Int!
      tags: [String]
    }

    interface Node { id: ID! }

    type User implements Node {
      id: ID!
      name: String!
      nick: String
      friends: [User]
    }

    type Product implements Node {
      id: ID!
      title: String
      price: Int!
      owner: User
    }

    union SearchResult = User | Product
    """
)


def projector(query: str, schema: GraphQLSchema = SCHEMA) -> Projector:
    document = parse(query)
    definition = find_operation(document, None)
    assert definition is not None
    return Projector(schema, normalize(document, definition))


def project(
    query: str,
    data: dict[str, Any],
    variables: dict[str, Any] | None = None,
    errors: list[dict[str, Any]] | None = None,
    fetch_failed: bool = False,
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    errors = [] if errors is None else errors
    result = projector(query).project(data, variables or {}, errors, fetch_failed)
    return result, errors


def paths(errors: list[dict[str, Any]]) -> list[list[str | int]]:
    return [e.get("path") for e in errors]  # type: ignore[misc]


# -- shape ---------------------------------------------------------------------------------


def test_only_selected_fields_in_query_order() -> None:
    data = {
        "me": {"__typename": "User", "nick": "a", "email": "x", "id": "1", "__bm_id": "1"},
        "count": 3,
        "other": True,
    }
    result, errors = project("{ count me { id nick } }", data)
    assert result == {"count": 3, "me": {"id": "1", "nick": "a"}}
    assert list(result) == ["count", "me"]  # type: ignore[arg-type]
    assert list(result["me"]) == ["id", "nick"]  # type: ignore[index]
    assert errors == []


def test_aliases() -> None:
    data = {"first": {"n": "Ann", "id": "1"}, "me": {"id": "2"}}
    result, _ = project("{ first: me { n: name id } me { id } }", data)
    assert result == {"first": {"n": "Ann", "id": "1"}, "me": {"id": "2"}}


def test_missing_nullable_field_is_null_without_error() -> None:
    result, errors = project("{ me { id nick } product { title } }", {"me": {"id": "1"}})
    assert result == {"me": {"id": "1", "nick": None}, "product": None}
    assert errors == []


def test_lists_of_scalars_and_nested_lists() -> None:
    data = {"tags": ["a", None, "b"], "matrix": [[1, None], [], None]}
    result, _ = project("{ tags matrix }", data)
    assert result == {"tags": ["a", None, "b"], "matrix": [[1, None], [], None]}


def test_lists_of_objects() -> None:
    data = {"me": {"friends": [{"id": "2", "name": "Bo", "x": 1}, None, {"id": "3", "name": "Cy"}]}}
    result, _ = project("{ me { friends { name } } }", data)
    assert result == {"me": {"friends": [{"name": "Bo"}, None, {"name": "Cy"}]}}


def test_fragments_merge_into_one_object() -> None:
    query = """
    { me { ...A ... on User { nick } id } }
    fragment A on User { id name }
    """
    result, _ = project(query, {"me": {"id": "1", "name": "Ann", "nick": "a"}})
    assert result == {"me": {"id": "1", "name": "Ann", "nick": "a"}}
    assert list(result["me"]) == ["id", "name", "nick"]  # type: ignore[index]


# -- abstract types and __typename ---------------------------------------------------------


def test_fragments_apply_by_runtime_type() -> None:
    query = "{ search { ... on User { name } ... on Product { title } } }"
    data = {
        "search": [
            {"__typename": "User", "name": "Ann", "title": "leaked?"},
            {"__typename": "Product", "title": "Lamp", "name": "leaked?"},
        ]
    }
    result, errors = project(query, data)
    assert result == {"search": [{"name": "Ann"}, {"title": "Lamp"}]}
    assert errors == []


def test_fragment_on_interface_applies_to_implementations() -> None:
    query = '{ node(id: "1") { ... on Node { id } ... on User { name } ... on Product { title } } }'
    result, _ = project(query, {"node": {"__typename": "Product", "id": "p", "title": "Lamp"}})
    assert result == {"node": {"id": "p", "title": "Lamp"}}


def test_typename_everywhere() -> None:
    query = "{ __typename me { __typename } search { t: __typename } }"
    data = {
        "me": {"__typename": "User"},
        "search": [{"__typename": "Product"}, {"__typename": "User"}],
    }
    result, _ = project(query, data)
    assert result == {
        "__typename": "Query",
        "me": {"__typename": "User"},
        "search": [{"t": "Product"}, {"t": "User"}],
    }


def test_typename_of_object_type_without_data_typename() -> None:
    result, _ = project("{ me { __typename id } }", {"me": {"id": "1"}})
    assert result == {"me": {"__typename": "User", "id": "1"}}


# -- @skip / @include ----------------------------------------------------------------------

CONDITIONAL = (
    "query($s: Boolean!, $i: Boolean!) { me { id @skip(if: $s) name @include(if: $i) nick } }"
)
USER = {"me": {"id": "1", "name": "Ann", "nick": "a"}}


@pytest.mark.parametrize(
    "s, i, expected",
    [
        (False, True, {"id": "1", "name": "Ann", "nick": "a"}),
        (True, True, {"name": "Ann", "nick": "a"}),
        (False, False, {"id": "1", "nick": "a"}),
        (True, False, {"nick": "a"}),
    ],
)
def test_skip_and_include_with_variables(s: bool, i: bool, expected: dict[str, Any]) -> None:
    result, _ = project(CONDITIONAL, USER, {"s": s, "i": i})
    assert result == {"me": expected}


def test_one_projector_serves_different_variables() -> None:
    compiled = projector(CONDITIONAL)
    first = compiled.project(USER, {"s": True, "i": False}, [], False)
    second = compiled.project(USER, {"s": False, "i": True}, [], False)
    assert first == {"me": {"nick": "a"}}
    assert second == {"me": {"id": "1", "name": "Ann", "nick": "a"}}


def test_field_kept_when_any_occurrence_is_kept() -> None:
    query = "query($s: Boolean!) { me { name name @skip(if: $s) } }"
    result, _ = project(query, USER, {"s": True})
    assert result == {"me": {"name": "Ann"}}


def test_condition_on_fragment() -> None:
    query = "query($i: Boolean!) { me { id ... on User @include(if: $i) { nick } } }"
    assert project(query, USER, {"i": False})[0] == {"me": {"id": "1"}}
    assert project(query, USER, {"i": True})[0] == {"me": {"id": "1", "nick": "a"}}


def test_conditional_selections_merge_sub_selections() -> None:
    query = "query($i: Boolean!) { me { id } me @include(if: $i) { nick } }"
    assert project(query, USER, {"i": True})[0] == {"me": {"id": "1", "nick": "a"}}
    assert project(query, USER, {"i": False})[0] == {"me": {"id": "1"}}


# -- nulls ---------------------------------------------------------------------------------


def test_null_bubbles_to_the_nearest_nullable_parent() -> None:
    result, errors = project(
        "{ me { id name } count }", {"me": {"id": "1", "name": None}, "count": 1}
    )
    assert result == {"me": None, "count": 1}
    assert paths(errors) == [["me", "name"]]
    assert "User.name" in errors[0]["message"]


def test_null_bubbles_through_non_null_parents_to_data() -> None:
    result, errors = project(
        "{ mustProduct { price } count }", {"mustProduct": {"price": None}, "count": 1}
    )
    assert result is None
    assert paths(errors) == [["mustProduct", "price"]]


def test_missing_non_null_root_field_nulls_data() -> None:
    result, errors = project("{ count me { id } }", {"me": {"id": "1"}})
    assert result is None
    assert paths(errors) == [["count"]]


def test_list_of_non_null_items_becomes_null() -> None:
    data = {"users": [{"name": "Ann"}, {"name": None}, {"name": "Cy"}]}
    result, errors = project("{ users { name } }", data)
    assert result == {"users": None}
    assert paths(errors) == [["users", 1, "name"]]


def test_null_item_in_non_null_list_in_non_null_field_nulls_data() -> None:
    result, errors = project("{ strictUsers { id } }", {"strictUsers": [{"id": "1"}, None]})
    assert result is None
    assert paths(errors) == [["strictUsers", 1]]


def test_nullable_items_stay_in_their_list() -> None:
    data = {"me": {"friends": [{"id": "2", "name": None}, {"id": "3", "name": "Cy"}]}}
    result, errors = project("{ me { friends { id name } } }", data)
    assert result == {"me": {"friends": [None, {"id": "3", "name": "Cy"}]}}
    assert paths(errors) == [["me", "friends", 0, "name"]]


def test_no_duplicate_error_when_one_covers_the_path() -> None:
    subgraph_error = {"message": "name failed", "path": ["me", "name"]}
    errors = [subgraph_error]
    result, errors = project("{ me { id name } }", {"me": {"id": "1", "name": None}}, errors=errors)
    assert result == {"me": None}
    assert errors == [subgraph_error]


def test_error_on_a_parent_path_covers_the_field() -> None:
    errors = [{"message": "users failed", "path": ["users"]}]
    result, errors = project("{ users { name } }", {"users": [{"name": None}]}, errors=errors)
    assert result == {"users": None}
    assert len(errors) == 1


def test_failed_fetch_error_covers_missing_fields() -> None:
    fetch_error = {
        "message": "accounts down",
        "path": ["me", "name"],
        "extensions": {"code": "SUBREQUEST_HTTP_ERROR"},
    }
    errors = [fetch_error]
    result, errors = project(
        "{ me { id name } }", {"me": {"id": "1"}}, errors=errors, fetch_failed=True
    )
    assert result == {"me": None}
    assert errors == [fetch_error]


def test_unrelated_error_does_not_hide_a_null_violation() -> None:
    errors = [{"message": "other", "path": ["product", "title"]}]
    result, errors = project(
        "{ me { id name } product { title } }",
        {"me": {"id": "1", "name": None}, "product": {}},
        errors=errors,
    )
    assert result == {"me": None, "product": {"title": None}}
    assert paths(errors) == [["product", "title"], ["me", "name"]]
