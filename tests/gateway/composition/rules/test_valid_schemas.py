"""Valid subgraphs get no error from the rules: the benchmark's four subgraphs and every
conformance suite's subgraphs (Strawberry schemas printed with `as_str()`, Federation 1
subgraphs with their SDL). A false error here would stop a team's valid deploy."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
import strawberry

import tests.conformance
from gateway.composition import SubgraphInput, compose
from gateway.composition.errors import Issues
from gateway.composition.fed1 import upgrade
from gateway.composition.merge import merge
from gateway.composition.overrides import resolve_overrides
from gateway.composition.rules import RULES
from gateway.composition.subgraph import read_subgraph


def _sdl(app: Any) -> str:
    if isinstance(app, strawberry.Schema):
        return app.as_str()
    sdl = getattr(app, "sdl", None)
    assert isinstance(sdl, str), f"no SDL for {app!r}"
    return sdl


def _suites() -> dict[str, dict[str, str]]:
    suites: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(tests.conformance.__path__):
        module = importlib.import_module(f"tests.conformance.{info.name}")
        subgraphs = getattr(module, "SUBGRAPHS", None)
        if isinstance(subgraphs, dict):
            suites[info.name] = {name: _sdl(app) for name, app in subgraphs.items()}
    from bench.subgraphs import accounts, inventory, products, reviews

    suites["bench"] = {
        "accounts": accounts.schema.as_str(),
        "inventory": inventory.schema.as_str(),
        "products": products.schema.as_str(),
        "reviews": reviews.schema.as_str(),
    }
    return suites


SUITES = _suites()


def test_the_suites_were_found() -> None:
    assert "bench" in SUITES
    assert len(SUITES) > 20


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_valid_subgraphs_get_no_rule_error(suite: str) -> None:
    inputs = [SubgraphInput(n, f"http://{n}.test/graphql", s) for n, s in SUITES[suite].items()]
    # The rules alone, on the merged schema, so that a failure names the rule's code...
    issues = Issues()
    subgraphs = []
    for source in inputs:
        subgraph = read_subgraph(source)
        upgrade(subgraph)
        subgraphs.append(subgraph)
    schema = merge(subgraphs, issues)
    overrides = resolve_overrides(schema, issues)
    for rule in RULES:
        rule(schema, overrides, issues)
    assert issues.errors == [], [str(e) for e in issues.errors]
    # ... and the whole composition.
    result = compose(inputs)
    assert result.errors == [], [str(e) for e in result.errors]
    assert result.supergraph_sdl
