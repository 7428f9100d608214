"""The default cost budget against our composed supergraph: every list field is sized
(`@listSize`), every registered front-end operation stays well under the budget, and a
greedy query (nested large lists) is refused by the gateway before anything is fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import (
    FragmentDefinitionNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    OperationDefinitionNode,
    parse,
)

from gateway.http import create_app
from gateway.limits import Limits
from gateway.limits.cost import TOO_EXPENSIVE, CostEstimator
from gateway.service import Gateway
from gateway.supergraph.loader import load_supergraph
from gateway.transport.base import SubgraphRequest
from tests.gateway.http.asgi_client import request

ROOT = Path(__file__).resolve().parents[2]
SDL = (ROOT / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
SUPERGRAPH = load_supergraph(SDL)
BUDGET = Limits().max_cost
# Orders x lines x SKUs at their caps: 1 + 100 x (1 + 50 x (1 + 1 + 10 x 1)) = 60101.
GREEDY = "{ me { orders(first: 100) { lines { product { skus { id } } } } } }"


def operations() -> list[tuple[str, OperationDefinitionNode, dict[str, Any]]]:
    found = []
    for path in sorted((ROOT / "schema" / "operations").glob("*/*.graphql")):
        document = parse(path.read_text(encoding="utf-8"))
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for d in document.definitions:
            if isinstance(d, OperationDefinitionNode):
                found.append((f"{path.parent.name}/{d.name.value}", d, fragments))  # type: ignore[union-attr]
    return found


def estimate(
    operation: OperationDefinitionNode,
    fragments: dict[str, Any],
    variables: dict[str, Any] | None = None,
) -> int:
    return CostEstimator(
        SUPERGRAPH.api_schema, SUPERGRAPH.costs, operation, fragments, Limits().default_list_size
    ).estimate(variables)


def test_the_budget_is_on_by_default() -> None:
    assert BUDGET == 50_000


def test_every_list_field_of_our_schemas_is_sized() -> None:
    unsized = []
    for type_ in SUPERGRAPH.api_schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            returned = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            if (
                isinstance(returned, GraphQLList)
                and (type_.name, name) not in SUPERGRAPH.costs.list_sizes
            ):
                unsized.append(f"{type_.name}.{name}")
    assert unsized == []


def test_registered_operations_stay_well_under_the_budget() -> None:
    costs = {name: estimate(op, fragments) for name, op, fragments in operations()}
    assert len(costs) >= 10
    heaviest = max(costs, key=costs.__getitem__)
    assert (heaviest, costs[heaviest]) == ("lumen-miniprogram/OrderHistory", 2021), costs
    assert all(cost * 10 <= BUDGET for cost in costs.values()), costs


def test_order_history_at_its_cap_still_fits() -> None:
    [(_, op, fragments)] = [o for o in operations() if o[0].endswith("/OrderHistory")]
    assert estimate(op, fragments, {"first": 100}) == 10101  # the resolver's cap
    assert estimate(op, fragments, {"first": 100}) < BUDGET


class NoFetch:
    """A subgraph the gateway must not reach."""

    def __init__(self) -> None:
        self.requests: list[SubgraphRequest] = []

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        self.requests.append(request)
        return {"data": None}

    async def aclose(self) -> None:
        return None


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "query",
    [
        GREEDY,
        # aliases multiply too: 2 x 60 x (1 + 50 x 12) = 72120
        "{ me { a: orders(first: 60) { lines { product { skus { id } } } } "
        "b: orders(first: 60) { lines { product { skus { name } } } } } }",
    ],
)
async def test_a_greedy_query_is_refused_with_the_cost_code(query: str) -> None:
    subgraphs = {name: NoFetch() for name in SUPERGRAPH.graphs}
    gateway = Gateway(SDL, subgraphs)  # the safe default limits
    reply = await request(
        create_app(gateway),
        "POST",
        json={"query": query},
        headers={"Accept": "application/graphql-response+json", "x-brand": "lumen"},
    )
    body = reply.json()
    assert reply.status == 400, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == TOO_EXPENSIVE
    assert error["extensions"]["estimatedCost"] > BUDGET == error["extensions"]["maxCost"]
    assert all(s.requests == [] for s in subgraphs.values())
    await gateway.aclose()
