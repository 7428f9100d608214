"""Each limit at, below and above its threshold, through the HTTP app: a refusal is HTTP 400
with a GraphQL error whose `extensions.code` says which limit, and nothing is fetched."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gateway.limits import Limits
from tests.gateway.limits.conftest import Served

Serve = Callable[..., Served]

DEPTH_2 = "{ node { id } }"
DEPTH_3 = "{ node { child { id } } }"
DEPTH_4 = "{ node { child { child { id } } } }"


async def test_depth(serve: Serve) -> None:
    served = serve(max_depth=3)
    assert await served.ok(DEPTH_2) == {"node": {"id": 1}}
    assert await served.ok(DEPTH_3) == {"node": {"child": {"id": 2}}}
    error = await served.refused(DEPTH_4, "MAX_DEPTH_EXCEEDED")
    assert error["extensions"]["found"] == 4 and error["extensions"]["max"] == 3
    assert len(served.subgraph.requests) == 2


@pytest.mark.parametrize(
    "query",
    [
        "{ node { ...F } } fragment F on Node { child { child { id } } }",
        "{ node { ... on Node { child { ... { child { id } } } } } }",
        "{ ...Q } fragment Q on Query { node { ...C } } fragment C on Node { child { ...C2 } }"
        " fragment C2 on Node { child { id } }",
    ],
)
async def test_depth_counts_fragments_and_inline_fragments(serve: Serve, query: str) -> None:
    served = serve(max_depth=3)
    await served.refused(query, "MAX_DEPTH_EXCEEDED")
    assert await serve(max_depth=4).ok(query)


async def test_aliases(serve: Serve) -> None:
    served = serve(max_aliases=2)
    assert await served.ok("{ a: hello }") == {"a": "hi"}
    assert await served.ok("{ a: hello b: hello }") == {"a": "hi", "b": "hi"}
    await served.refused("{ a: hello b: hello c: hello }", "MAX_ALIASES_EXCEEDED")
    # a fragment counts once per spread; aliases inside inline fragments count
    await served.refused(
        "{ ...A n: node { ...B } } fragment A on Query { a: hello } fragment B on Node { i: id }",
        "MAX_ALIASES_EXCEEDED",
    )
    await served.refused(
        "{ node { ...B c: child { ...B } } } fragment B on Node { i: id }",
        "MAX_ALIASES_EXCEEDED",
    )
    await served.refused("{ ... on Query { a: hello b: hello } c: hello }", "MAX_ALIASES_EXCEEDED")


async def test_root_fields(serve: Serve) -> None:
    served = serve(max_root_fields=2)
    assert await served.ok("{ hello }")
    assert await served.ok("{ hello tags }")
    await served.refused("{ hello tags node { id } }", "MAX_ROOT_FIELDS_EXCEEDED")
    await served.refused(
        "{ ...R hello } fragment R on Query { tags node { id } }", "MAX_ROOT_FIELDS_EXCEEDED"
    )
    await served.refused("{ ... { tags node { id } } hello }", "MAX_ROOT_FIELDS_EXCEEDED")
    # nested fields are not root fields
    assert await served.ok("{ node { id label child { id } } hello }")


async def test_tokens(serve: Serve) -> None:
    query = "{ hello tags }"  # {, hello, tags, }: 4 tokens
    assert await serve(max_tokens=5).ok(query)
    assert await serve(max_tokens=4).ok(query)
    error = await serve(max_tokens=3).refused(query, "MAX_TOKENS_EXCEEDED")
    assert "more than 3 tokens" in error["message"]


async def test_directives(serve: Serve) -> None:
    served = serve(max_directives=2)
    assert await served.ok("{ hello @include(if: true) }")
    assert await served.ok("{ hello @include(if: true) tags @skip(if: false) }")
    await served.refused(
        "{ hello @include(if: true) tags @skip(if: false) node @include(if: true) { id } }",
        "MAX_DIRECTIVES_EXCEEDED",
    )
    # directives in a fragment count once per spread, on spreads and fragments too
    await served.refused(
        "{ node { ...F child { ...F child { ...F } } } }"
        " fragment F on Node { id @include(if: true) }",
        "MAX_DIRECTIVES_EXCEEDED",
    )
    await served.refused(
        "query Q($x: Boolean = true) { ...F @include(if: $x) }"
        " fragment F on Query { hello @include(if: $x) tags @skip(if: false) }",
        "MAX_DIRECTIVES_EXCEEDED",
    )


async def test_a_limit_of_zero_is_off(serve: Serve) -> None:
    served = serve(max_depth=0, max_aliases=0, max_root_fields=0, max_directives=0, max_tokens=0)
    assert await served.ok("{ a: hello b: hello c: tags node @include(if: true) { child { id } } }")


async def test_every_broken_limit_is_reported(serve: Serve) -> None:
    served = serve(max_depth=2, max_aliases=1)
    reply = await served.post("{ a: node { b: child { id } } }")
    assert reply.status == 400
    codes = {e["extensions"]["code"] for e in reply.json()["errors"]}
    assert codes == {"MAX_DEPTH_EXCEEDED", "MAX_ALIASES_EXCEEDED"}


INTROSPECTION = [
    "{ __schema { queryType { name } } }",
    '{ __type(name: "Node") { name } }',
    "{ ...I } fragment I on Query { __schema { queryType { name } } }",
    '{ hello ... on Query { __type(name: "Item") { name } } }',
]


@pytest.mark.parametrize("query", INTROSPECTION)
async def test_introspection_off(serve: Serve, query: str) -> None:
    served = serve(introspection=False)
    error = await served.refused(query, "INTROSPECTION_DISABLED")
    assert "Introspection is disabled" in error["message"]
    assert await served.ok("{ __typename hello node { __typename id } }") == {
        "__typename": "Query",
        "hello": "hi",
        "node": {"__typename": "Node", "id": 1},
    }


@pytest.mark.parametrize("query", INTROSPECTION)
async def test_introspection_on(serve: Serve, query: str) -> None:
    assert await serve(introspection=True).ok(query)


async def test_checks_run_once_per_prepared_operation(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    check = Limits.check

    def counted(self: Limits, *args: object) -> object:
        calls.append("check")
        return check(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Limits, "check", counted)
    served = serve(max_depth=3)
    for _ in range(3):
        assert await served.ok(DEPTH_3)
    assert calls == ["check"]


async def test_exponential_fragment_fan_out_is_counted_quickly(serve: Serve) -> None:
    """F0 spreads F1 twice, ... F20 has one alias: 2**20 aliases expanded, counted in linear
    time (each fragment once) and refused before the operation is expanded for planning."""
    levels = 20
    fragments = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    query = f"{{ ...F0 }} {fragments} fragment F{levels} on Query {{ a: hello }}"
    error = await serve(max_aliases=30).refused(query, "MAX_ALIASES_EXCEEDED")
    assert error["extensions"]["found"] == 2**levels
