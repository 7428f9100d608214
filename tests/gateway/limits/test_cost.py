"""The estimated cost from @cost/@listSize (composed from a Strawberry subgraph) and the
budget: refused with COST_ESTIMATED_TOO_EXPENSIVE, the estimate and the budget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from gateway.limits.cost import CostError, CostEstimator
from gateway.supergraph.loader import load_supergraph
from tests.gateway.limits.conftest import Served
from tests.gateway.limits.federation import supergraph_sdl

Serve = Callable[..., Served]
SUPERGRAPH = load_supergraph(supergraph_sdl())


def estimate(query: str, variables: dict[str, Any] | None = None, list_size: int = 10) -> int:
    document = parse(query)
    [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    estimator = CostEstimator(
        SUPERGRAPH.api_schema, SUPERGRAPH.costs, operation, fragments, list_size
    )
    return estimator.estimate(variables)


def test_the_directives_are_read_from_the_composed_supergraph() -> None:
    costs = SUPERGRAPH.costs
    assert costs.fields[("Item", "price")] == 3
    assert costs.fields[("Query", "expensive")] == 50
    assert costs.fields[("Filter", "text")] == 7
    assert costs.arguments[("Query", "search", "limit")] == 20
    assert costs.list_sizes[("Query", "items")].assumed_size == 5
    assert costs.list_sizes[("Query", "connection")].sized_fields == ("edges",)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ hello }", 0),  # scalars: 0
        ("{ __typename hello }", 0),
        ("{ node { id } }", 1),  # an object: 1
        ("{ node { child { child { id } } } }", 3),
        ("{ tags }", 0),  # a list of scalars: 10 x 0
        ("{ expensive }", 50),  # @cost on the field
        ("{ items { id } }", 5),  # @listSize(assumedSize: 5) x (1 + 0)
        ("{ items { id price } }", 20),  # 5 x (1 + 3)
        ("{ items { ...P } } fragment P on Item { price }", 20),
        ("{ items { ... on Item { price } } }", 20),
        ("{ page(first: 3) { price } }", 12),  # the slicing argument: 3 x (1 + 3)
        ("{ connection(first: 6) { edges { node { price } } } }", 31),  # 1 + 6 x (1 + 1 + 3)
        ("{ connection { edges { node { price } } } }", 21),  # the argument's default, 4
        ("{ search(limit: 1) }", 20),  # @cost on an argument
        ('{ search(filter: { text: "x" }) }', 7),  # @cost on an input field
        ("{ search }", 0),
        ("{ a: node { id } b: node { id } ...N } fragment N on Query { node { id } }", 3),
    ],
)
def test_estimates(query: str, expected: int) -> None:
    assert estimate(query) == expected


def test_a_list_without_list_size_uses_the_default_size() -> None:
    class_query = "{ items { id } connection { edges { node { id } } } }"
    assert estimate(class_query, list_size=100) == 5 + 1 + 4 * 2
    query = "{ page(first: 2) { id } }"
    assert estimate(query, list_size=100) == 2


def test_slicing_arguments_from_variables() -> None:
    query = "query P($n: Int = 2) { page(first: $n) { price } }"
    assert estimate(query) == 8  # the variable's default
    assert estimate(query, {"n": 100}) == 400


def test_exactly_one_slicing_argument_is_required() -> None:
    with pytest.raises(CostError) as raised:
        estimate("{ page { id } }")
    assert raised.value.error["extensions"]["code"] == "COST_SLICING_ARGUMENT_REQUIRED"


async def test_the_budget_over_http(serve: Serve) -> None:
    served = serve(max_cost=20)
    assert await served.ok("{ node { id } }")  # below
    data = await served.ok("{ items { id price } }")  # at: 20
    assert len(data["items"]) == 5
    error = await served.refused(
        "{ items { id price } node { id } }", "COST_ESTIMATED_TOO_EXPENSIVE"
    )
    assert error["extensions"]["estimatedCost"] == 21
    assert error["extensions"]["maxCost"] == 20
    await served.refused("{ expensive }", "COST_ESTIMATED_TOO_EXPENSIVE")


async def test_the_budget_with_variables_is_checked_per_request(serve: Serve) -> None:
    served = serve(max_cost=20)
    query = "query P($n: Int!) { page(first: $n) { id price } }"
    assert len((await served.ok(query, {"n": 5}))["page"]) == 5  # 5 x 4 = 20
    error = await served.refused(query, "COST_ESTIMATED_TOO_EXPENSIVE", {"n": 6})
    assert error["extensions"]["estimatedCost"] == 24
    assert await served.ok(query, {"n": 1})  # the same prepared operation, cheap again


async def test_a_missing_slicing_argument_is_refused(serve: Serve) -> None:
    served = serve(max_cost=1000)
    await served.refused("{ page { id } }", "COST_SLICING_ARGUMENT_REQUIRED")


async def test_a_budget_by_default_and_0_turns_it_off(serve: Serve) -> None:
    served = serve()
    assert served.gateway.limits is not None and served.gateway.limits.max_cost == 50_000
    assert await served.ok("{ expensive items { price } }")
    await served.refused("{ page { id } }", "COST_SLICING_ARGUMENT_REQUIRED")
    assert await serve(max_cost=0).ok("{ page { id } }") == {"page": []}
