"""Runs federation conformance cases: in-process Strawberry subgraphs behind our gateway.

A suite defines its subgraphs (Strawberry federation schemas, or ASGI apps with an `sdl`
attribute: the SDL their `_service { sdl }` returns) and cases (query, variables, exact
expected response). The supergraph is composed from the subgraphs' SDL with our composer
(`gateway.composition`); tests/gateway/composition/test_differential.py checks that Apollo's
composer gives the same supergraph for every suite.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
import strawberry
from strawberry.asgi import GraphQL

from gateway.composition import SubgraphInput, compose
from gateway.service import Gateway, GraphQLRequest
from gateway.transport.asgi import AsgiTransport


@dataclass(frozen=True)
class Case:
    """One client operation and the exact response the gateway must give.

    `expected` holds `data` (compared exactly, key order included) and optionally `errors`:
    either True (at least one error, any content) or a list of dicts whose given keys
    (`message`, `path`, `extensions`) must match the actual errors in order.
    """

    name: str
    query: str
    expected: dict[str, Any]
    variables: dict[str, Any] | None = None
    operation_name: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def subgraph_sdl(app: Any) -> str:
    """The SDL a suite's subgraph serves at `_service { sdl }`."""
    if isinstance(app, strawberry.Schema):
        return app.as_str()
    sdl = getattr(app, "sdl", None)
    if not isinstance(sdl, str):
        raise TypeError(f"subgraph {app!r} is neither a Strawberry schema nor has an `sdl`")
    return sdl


def subgraph_inputs(subgraphs: Mapping[str, Any]) -> list[SubgraphInput]:
    return [
        SubgraphInput(name, f"http://{name}.invalid/graphql", subgraph_sdl(app))
        for name, app in subgraphs.items()
    ]


def composed_supergraph(subgraphs: Mapping[str, Any]) -> str:
    """The supergraph our composer makes of the subgraphs (the test fails on errors)."""
    inputs = subgraph_inputs(subgraphs)
    return _compose(tuple((i.name, i.url, i.sdl) for i in inputs))


@functools.cache
def _compose(inputs: tuple[tuple[str, str, str], ...]) -> str:
    result = compose([SubgraphInput(*i) for i in inputs])
    if result.supergraph_sdl is None or result.errors:
        pytest.fail(
            "the suite's subgraphs do not compose:\n"
            + "\n".join(f"{e.code}: {e.message}" for e in result.errors),
            pytrace=False,
        )
    return result.supergraph_sdl


def make_gateway(
    subgraphs: Mapping[str, Any],
    *,
    serve: Mapping[str, Any] | None = None,
    timeout: float = 5.0,
) -> Gateway:
    """A gateway over the supergraph composed from `subgraphs`, served in-process.

    `serve` replaces some subgraphs' apps (by name) with others, e.g. failing stand-ins; the
    supergraph is still composed from `subgraphs`.
    """
    apps = {**subgraphs, **(serve or {})}
    transports = {
        name: AsgiTransport(name, _as_asgi(app), timeout=timeout) for name, app in apps.items()
    }
    return Gateway(composed_supergraph(subgraphs), transports=transports)


def _as_asgi(app: Any) -> Any:
    if isinstance(app, strawberry.Schema):
        return GraphQL(app)
    return app


async def run_case(gateway: Gateway, case: Case) -> dict[str, Any]:
    response = await gateway.execute(
        GraphQLRequest(case.query, case.operation_name, case.variables)
    )
    assert_response(response.body, case.expected)
    return response.body


def assert_response(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    assert _ordered(actual.get("data")) == _ordered(expected.get("data")), (
        f"data differs\nactual:   {actual.get('data')}\nexpected: {expected.get('data')}"
        f"\nerrors: {actual.get('errors')}"
    )
    expected_errors = expected.get("errors")
    actual_errors = actual.get("errors") or []
    if expected_errors is None or expected_errors is False:
        assert not actual_errors, f"unexpected errors: {actual_errors}"
    elif expected_errors is True:
        assert actual_errors, "expected errors, got none"
    else:
        assert len(actual_errors) == len(expected_errors), (
            f"expected {len(expected_errors)} errors, got {actual_errors}"
        )
        for got, want in zip(actual_errors, expected_errors, strict=True):
            for key, value in want.items():
                if key == "extensions":
                    for ext_key, ext_value in value.items():
                        assert got.get("extensions", {}).get(ext_key) == ext_value, (
                            f"error extensions.{ext_key}: {got}"
                        )
                else:
                    assert got.get(key) == value, f"error {key}: {got} (wanted {want})"


def _ordered(value: Any) -> Any:
    """Turn dicts into lists of pairs so that comparison also checks key order."""
    if isinstance(value, dict):
        return [(k, _ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value
