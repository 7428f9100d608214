"""Access directives read into the supergraph model; no cost without them."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry

import gateway.auth.control as control
from gateway.auth import GatewayAuth
from gateway.service import GraphQLRequest
from gateway.supergraph import load_supergraph
from gateway.supergraph.access import AccessRequirement
from tests.conformance.harness import composed_supergraph
from tests.gateway.auth.subgraphs import SUBGRAPHS, make_gateway
from tests.gateway.auth.tokens import hs_verifier


def test_requirements_in_the_model() -> None:
    supergraph = load_supergraph(composed_supergraph(SUBGRAPHS))
    types = supergraph.types
    assert supergraph.has_access_control
    assert types["Secret"].access == AccessRequirement(authenticated=True)
    assert types["Product"].access is None
    assert types["Product"].fields["price"].access == AccessRequirement(
        scopes=((frozenset({"admin"}), frozenset({"read:price"})),)
    )
    assert types["Profile"].fields["email"].access == AccessRequirement(
        policies=((frozenset({"pii"}),),)
    )
    assert types["Product"].fields["name"].access is None
    # The directives stay out of the API schema clients see.
    assert "requiresScopes" not in str(supergraph.api_schema.directives)


def test_requirements_combine_by_conjunction() -> None:
    a = AccessRequirement(scopes=((frozenset({"x"}),),))
    b = AccessRequirement(authenticated=True, scopes=((frozenset({"y"}),),))
    assert a & b == AccessRequirement(True, ((frozenset({"x"}),), (frozenset({"y"}),)))
    assert (a & None) is a
    assert not AccessRequirement()


@strawberry.type
class PlainQuery:
    @strawberry.field
    def hello(self) -> str:
        return "hi"


async def test_no_directives_no_authorization_work(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = {"plain": strawberry.federation.Schema(query=PlainQuery, federation_version="2.9")}

    def forbidden(*_: Any) -> Any:
        raise AssertionError(
            "operations of a supergraph without access directives are not analysed"
        )

    monkeypatch.setattr(control, "find_guards", forbidden)
    gateway, _ = make_gateway(GatewayAuth(hs_verifier()), plain)
    assert not gateway.supergraph.has_access_control
    response = await gateway.execute(GraphQLRequest("{ hello }"))
    assert response.body == {"data": {"hello": "hi"}}


async def test_operations_without_guarded_selections_run_the_cached_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gateway, _ = make_gateway(GatewayAuth(hs_verifier()))
    calls: list[int] = []
    real = control.find_guards

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(control, "find_guards", counting)
    for _ in range(3):
        response = await gateway.execute(GraphQLRequest("{ products { name } }"))
        assert response.body == {"data": {"products": [{"name": "P1"}, {"name": "P2"}]}}
    assert len(calls) == 1  # analysed once per prepared operation
    prepared = gateway.prepare("{ products { name } }", None)
    built = gateway.state.built
    assert await GatewayAuth(hs_verifier()).authorize(built, prepared, control.ANONYMOUS) is None
