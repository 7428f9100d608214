"""Executor: runs plans against subgraphs (in-process Strawberry, behind recording transports)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from graphql import parse

from gateway.execution.executor import ExecutionState, Executor
from gateway.planning.operation import find_operation, normalize
from gateway.planning.planner import Planner
from gateway.supergraph import load_supergraph
from gateway.transport.base import TransportError
from tests.gateway.shop import (
    SUPERGRAPH,
    RecordingTransport,
    client_variables,
    recorders,
    representations,
)


@pytest.fixture(scope="module")
def planner() -> Planner:
    return Planner(load_supergraph(SUPERGRAPH))


async def run(
    planner: Planner,
    query: str,
    transports: Mapping[str, RecordingTransport],
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> ExecutionState:
    document = parse(query)
    definition = find_operation(document, None)
    assert definition is not None
    plan = planner.plan(normalize(document, definition))
    return await Executor(transports).run(plan, variables or {}, headers)


def without_typename(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k != "__typename"} for item in items]


def codes(state: ExecutionState) -> list[str | None]:
    return [e.get("extensions", {}).get("code") for e in state.errors]


# -- plain runs ----------------------------------------------------------------------------


async def test_root_and_entity_data_merged(planner: Planner) -> None:
    transports = recorders()
    state = await run(planner, "{ topProducts(first: 2) { upc name inStock } }", transports)
    assert state.errors == []
    products = state.data["topProducts"]
    assert [(p["upc"], p["name"], p["inStock"]) for p in products] == [
        ("p1", "Lamp", True),
        ("p2", "Rug", True),
    ]


async def test_requires_field_is_sent_in_the_representation(planner: Planner) -> None:
    transports = recorders()
    state = await run(planner, "{ topProducts { shippingEstimate } }", transports)
    (request,) = transports["inventory"].requests
    assert representations(request) == [
        {"__typename": "Product", "upc": "p1", "weight": 1200},
        {"__typename": "Product", "upc": "p2", "weight": 3000},
        {"__typename": "Product", "upc": "p3", "weight": 350},
    ]
    assert [p["shippingEstimate"] for p in state.data["topProducts"]] == [12, 30, 3]


async def test_representations_deduplicated(planner: Planner) -> None:
    # Reviews r1, r2 and r4 are about p1, r3 about p2.
    transports = recorders()
    state = await run(planner, "{ latestReviews { id product { name } } }", transports)
    (request,) = transports["products"].requests
    assert representations(request) == [
        {"__typename": "Product", "upc": "p1"},
        {"__typename": "Product", "upc": "p2"},
    ]
    names = [r["product"]["name"] for r in state.data["latestReviews"]]
    assert names == ["Lamp", "Lamp", "Rug", "Lamp"]


async def test_one_entities_call_per_subgraph_and_plan_step(planner: Planner) -> None:
    transports = recorders()
    query = "{ topProducts { reviews { body product { name inStock } } } }"
    state = await run(planner, query, transports)
    assert state.errors == []
    assert len(transports["reviews"].requests) == 1
    assert len(transports["inventory"].requests) == 1
    assert len(transports["products"].requests) == 2  # the root, then the reviewed products
    bodies = [r["body"] for p in state.data["topProducts"] for r in p["reviews"]]
    assert bodies == ["Bright", "Warm", "Nice", "Soft"]
    stock = [r["product"]["inStock"] for p in state.data["topProducts"] for r in p["reviews"]]
    assert stock == [True, True, True, True]


async def test_same_subgraph_at_two_paths_in_one_step_is_one_request(planner: Planner) -> None:
    transports = recorders()
    query = "{ topProducts { inStock } latestReviews { product { inStock } } }"
    state = await run(planner, query, transports)
    assert state.errors == []
    assert len(transports["inventory"].requests) == 1
    assert [p["inStock"] for p in state.data["topProducts"]] == [True, True, False]
    assert [r["product"]["inStock"] for r in state.data["latestReviews"]] == [True] * 4


async def test_no_entities_no_request(planner: Planner) -> None:
    transports = recorders()
    state = await run(planner, '{ product(upc: "nope") { inStock } }', transports)
    assert state.data == {"product": None}
    assert transports["inventory"].requests == []


# -- errors --------------------------------------------------------------------------------


async def test_entity_error_path_rewritten_to_the_client_path(planner: Planner) -> None:
    # p2 (the second representation, third review) fails in inventory.
    transports = recorders()
    state = await run(planner, "{ latestReviews { id product { stockCheck } } }", transports)
    (error,) = state.errors
    assert error["path"] == ["latestReviews", 2, "product", "stockCheck"]
    assert "stock system down for p2" in error["message"]
    checks = [r["product"].get("stockCheck") for r in state.data["latestReviews"]]
    assert checks == ["ok", "ok", None, "ok"]


async def test_root_error_path_kept(planner: Planner) -> None:
    transports = recorders()
    state = await run(planner, "{ flaky topProducts(first: 1) { upc } }", transports)
    (error,) = state.errors
    assert error["path"] == ["flaky"]
    assert error["message"] == "flaky is down"
    assert state.data["topProducts"] == [{"upc": "p1"}]


async def test_entity_transport_error(planner: Planner) -> None:
    down = RecordingTransport(fail=TransportError("inventory is down"))
    transports = recorders(inventory=down)
    query = "{ topProducts(first: 2) { upc inStock } latestReviews { body } }"
    state = await run(planner, query, transports)
    assert len(down.requests) == 1
    # inStock absent
    assert without_typename(state.data["topProducts"]) == [{"upc": "p1"}, {"upc": "p2"}]
    assert len(state.data["latestReviews"]) == 4  # the rest of the data stands
    (error,) = state.errors
    assert error["path"] == ["topProducts", 0, "inStock"]
    assert error["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"
    assert "inventory is down" in error["message"]


async def test_root_transport_error(planner: Planner) -> None:
    transports = recorders(products=RecordingTransport(fail=TransportError("no route")))
    state = await run(planner, "{ topProducts { upc } warehouse }", transports)
    assert "topProducts" not in state.data
    assert state.data["warehouse"] == "north"
    (error,) = state.errors
    assert error["path"] == ["topProducts"]
    assert error["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"


async def test_transport_error_code_passed_on(planner: Planner) -> None:
    timeout = TransportError("too slow", code="SUBREQUEST_TIMEOUT")
    transports = recorders(inventory=RecordingTransport(fail=timeout))
    state = await run(planner, "{ topProducts { inStock } }", transports)
    assert codes(state) == ["SUBREQUEST_TIMEOUT"]
    assert all("inStock" not in p for p in state.data["topProducts"])


async def test_missing_transport_is_a_fetch_error(planner: Planner) -> None:
    transports = recorders()
    del transports["inventory"]
    state = await run(planner, "{ topProducts(first: 1) { upc inStock } }", transports)
    assert without_typename(state.data["topProducts"]) == [{"upc": "p1"}]
    (error,) = state.errors
    assert error["path"] == ["topProducts", 0, "inStock"]
    assert error["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"


async def test_subgraph_answer_without_entities_leaves_fields_absent(planner: Planner) -> None:
    broken = RecordingTransport(
        respond=lambda request: {"data": None, "errors": [{"message": "x"}]}
    )
    state = await run(
        planner, "{ topProducts(first: 1) { upc inStock } }", recorders(inventory=broken)
    )
    assert without_typename(state.data["topProducts"]) == [{"upc": "p1"}]
    assert [e["message"] for e in state.errors] == ["x"]


# -- variables and headers -----------------------------------------------------------------


async def test_variables_forwarded_only_to_fetches_that_use_them(planner: Planner) -> None:
    transports = recorders()
    query = """
    query($n: Int!, $withStock: Boolean!, $unused: String) {
      topProducts(first: $n) { name inStock @include(if: $withStock) reviews { body } }
    }
    """
    variables = {"n": 2, "withStock": True, "unused": "x"}
    state = await run(planner, query, transports, variables)
    assert state.errors == []
    (products,) = transports["products"].requests
    (inventory,) = transports["inventory"].requests
    (reviews,) = transports["reviews"].requests
    assert client_variables(products) == {"n": 2}
    assert client_variables(inventory) == {"withStock": True}
    assert client_variables(reviews) == {}
    assert [p["inStock"] for p in state.data["topProducts"]] == [True, True]


async def test_headers_sent_with_every_request(planner: Planner) -> None:
    transports = recorders()
    await run(planner, "{ topProducts { inStock } }", transports, headers={"authorization": "t"})
    sent = [r for t in transports.values() for r in t.requests]
    assert len(sent) == 2
    assert all(dict(r.headers) == {"authorization": "t"} for r in sent)


async def test_error_path_rewritten_when_one_request_serves_several_paths(
    planner: Planner,
) -> None:
    # inventory is needed at topProducts.@ and latestReviews.@.product in the same step.
    transports = recorders()
    query = "{ topProducts { upc inStock } latestReviews { id product { stockCheck } } }"
    state = await run(planner, query, transports)
    (error,) = state.errors
    assert error["path"] == ["latestReviews", 2, "product", "stockCheck"]
    assert [p["inStock"] for p in state.data["topProducts"]] == [True, True, False]
    checks = [r["product"].get("stockCheck") for r in state.data["latestReviews"]]
    assert checks == ["ok", "ok", None, "ok"]


async def test_transport_error_reported_at_each_path_a_request_served(planner: Planner) -> None:
    down = RecordingTransport(fail=TransportError("inventory is down"))
    query = "{ topProducts { upc inStock } latestReviews { id product { stockCheck } } }"
    state = await run(planner, query, recorders(inventory=down))
    assert sorted(tuple(e["path"]) for e in state.errors) == [
        ("latestReviews", 0, "product", "stockCheck"),
        ("topProducts", 0, "inStock"),
    ]
    assert all(e["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR" for e in state.errors)
    assert all("inStock" not in p for p in state.data["topProducts"])


async def test_query_fetches_may_share_in_flight_requests(planner: Planner) -> None:
    transports = recorders()
    await run(planner, "{ topProducts(first: 2) { name inStock } }", transports)
    sent = [r for t in transports.values() for r in t.requests]
    assert sent and all(r.deduplicate for r in sent)


async def test_mutation_fetches_are_never_shared() -> None:
    from gateway.transport.base import SubgraphRequest
    from tests.gateway.tiny_federation import SUBGRAPH_NAME, supergraph_sdl

    seen: list[SubgraphRequest] = []
    transport = RecordingTransport(respond=lambda r: seen.append(r) or {"data": {"shout": "A"}})
    mutation_planner = Planner(load_supergraph(supergraph_sdl()))
    state = await run(mutation_planner, 'mutation { shout(text: "a") }', {SUBGRAPH_NAME: transport})
    assert state.data == {"shout": "A"}
    assert [r.deduplicate for r in seen] == [False]
