"""Registered operations against a composed schema (gateway/checks/operations.py)."""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema

from gateway.checks.operations import check_operations, load_operations, plan_subgraphs
from gateway.errors import RequestError

SCHEMA = build_schema("type Query { a: Int, b: String }")


def write(directory: Path, front_end: str, name: str, text: str) -> None:
    (directory / front_end).mkdir(parents=True, exist_ok=True)
    (directory / front_end / name).write_text(text, encoding="utf-8")


def api(_front_end: str) -> tuple[str, object]:
    return "api", SCHEMA


def test_each_operation_of_a_file_is_checked_alone_with_its_fragments(tmp_path) -> None:
    ops = tmp_path / "operations"
    write(ops, "web", "one.graphql", "query A { ...F }\nquery B { c }\nfragment F on Query { a }")
    found = load_operations(ops, tmp_path)
    assert [(o.front_end, o.file, o.name) for o in found] == [
        ("web", "operations/web/one.graphql", "A"),
        ("web", "operations/web/one.graphql", "B"),
    ]
    a, b = check_operations(found, api, None)
    assert a.ok and a.errors == []  # F is used by A only, and is no "unused fragment" error
    assert not b.ok
    assert b.errors == [
        {
            "message": "Cannot query field 'c' on type 'Query'. Did you mean 'a' or 'b'?",
            "locations": [{"line": 2, "column": 11}],
        }
    ]


def test_a_file_that_does_not_parse_is_a_failing_operation(tmp_path) -> None:
    write(tmp_path, "app", "bad.graphql", "query {")
    (result,) = check_operations(load_operations(tmp_path), api, None)
    assert result.operation is None and not result.ok
    assert result.errors[0]["message"].startswith("Syntax Error")


def test_a_contract_that_cannot_be_built_fails_its_operations(tmp_path) -> None:
    write(tmp_path, "app", "ok.graphql", "{ a }")
    (result,) = check_operations(
        load_operations(tmp_path), lambda _: ("contract:x", "contract x cannot be built"), None
    )
    assert result.schema == "contract:x"
    assert result.errors == [{"message": "contract x cannot be built"}]


class RefusingPlanner:
    def plan(self, operation: object) -> object:
        raise RequestError([{"message": "no subgraph resolves Query.a"}])


def test_an_operation_the_planner_cannot_satisfy_fails(tmp_path) -> None:
    write(tmp_path, "app", "ok.graphql", "query Ok { a }")
    (result,) = check_operations(load_operations(tmp_path), api, RefusingPlanner())
    assert result.errors == [{"message": "cannot be planned: no subgraph resolves Query.a"}]
    assert plan_subgraphs(RefusingPlanner(), load_operations(tmp_path)[0].document)[0] == []
