"""Contracts served by a real in-process gateway: /contracts/<name>/graphql, X-Brand
selection on /graphql, and rebuilding on supergraph reload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gateway.contracts import ContractError, ContractSpec
from gateway.http import create_app
from gateway.persisted import MemoryStore, PersistedQueries
from gateway.service import Gateway, GraphQLRequest
from gateway.supergraph_reload import FileSource, SupergraphReloader
from tests.gateway.contracts.federation import PUBLIC, supergraph_sdl, transports
from tests.gateway.http.asgi_client import request

CONTRACT_PATH = "/contracts/public/graphql"
ALLOWED = "{ products { name priceFen reviews { body } } reviewCount }"
TYPES = "{ __schema { types { name fields { name } } mutationType { fields { name } } } }"


def gateway(*contracts: ContractSpec, sdl: str | None = None, **kwargs: Any) -> Gateway:
    return Gateway(
        sdl or supergraph_sdl(), transports(), contracts=contracts or (PUBLIC,), **kwargs
    )


GRAPHQL_RESPONSE = {"accept": "application/graphql-response+json"}  # 4xx for request errors


async def post(app: Any, query: str, path: str = "/graphql", **headers: str) -> Any:
    headers = {**GRAPHQL_RESPONSE, **headers}
    return await request(app, "POST", path, json={"query": query}, headers=headers)


def fields_of(introspection: dict[str, Any]) -> dict[str, set[str]]:
    return {
        t["name"]: {f["name"] for f in t["fields"] or ()}
        for t in introspection["__schema"]["types"]
        if not t["name"].startswith("__")
    }


async def test_contract_introspection_shows_only_the_contract_schema() -> None:
    app = create_app(gateway())
    full = (await post(app, TYPES)).json()["data"]
    contract = (await post(app, TYPES, CONTRACT_PATH)).json()["data"]
    assert {"sku", "costFen"} <= fields_of(full)["Product"]
    assert fields_of(contract)["Product"] == {"name", "priceFen", "reviews"}
    assert fields_of(contract)["Query"] == {"products", "reviewCount"}
    assert fields_of(contract)["Review"] == {"body"}
    assert {f["name"] for f in contract["__schema"]["mutationType"]["fields"]} == {"like"}
    assert {f["name"] for f in full["__schema"]["mutationType"]["fields"]} == {"like", "setPrice"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ products { name costFen } }", "Cannot query field 'costFen' on type 'Product'"),
        ("{ auditLog }", "Cannot query field 'auditLog' on type 'Query'"),
        ("{ products(includeHidden: true) { name } }", "Unknown argument 'includeHidden'"),
        ('mutation { setPrice(sku: "lumen:1", fen: 1) { name } }', "Cannot query field"),
    ],
)
async def test_a_hidden_element_fails_validation_like_an_unknown_one(
    query: str, message: str
) -> None:
    app = create_app(gateway())
    reply = await post(app, query, CONTRACT_PATH)
    assert reply.status == 400
    error = reply.json()["errors"][0]
    assert message in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "data" not in reply.json()
    assert (await post(app, query)).status == 200  # the full schema still has it


async def test_an_allowed_query_answers_the_same_data_as_the_full_schema() -> None:
    app = create_app(gateway())
    contract = await post(app, ALLOWED, CONTRACT_PATH)
    full = await post(app, ALLOWED)
    assert contract.status == 200
    assert contract.json() == full.json()
    # The reviews come through the `sku` key, which the contract hides from clients.
    assert contract.json()["data"]["products"][0] == {
        "name": "Rose Serum",
        "priceFen": 12800,
        "reviews": [{"body": "Lovely"}],
    }


async def test_contract_has_its_own_plans_and_documents() -> None:
    gw = gateway()
    await gw.execute(GraphQLRequest(ALLOWED), contract="public")
    assert len(gw.state.contracts["public"].prepared) == 1
    assert len(gw.state.prepared) == 0
    assert gw.state.contracts["public"].transports is gw.state.transports  # shared clients


async def test_unknown_contract_path_is_404_and_unknown_name_an_error() -> None:
    gw = gateway()
    app = create_app(gw)
    assert (await post(app, ALLOWED, "/contracts/nope/graphql")).status == 404
    response = await gw.execute(GraphQLRequest(ALLOWED), contract="nope")
    assert response.kind == "request_error"
    assert response.body["errors"][0]["extensions"]["code"] == "UNKNOWN_CONTRACT"


async def test_contract_endpoint_serves_graphiql_and_get() -> None:
    app = create_app(gateway())
    page = await request(app, "GET", CONTRACT_PATH, headers={"accept": "text/html"})
    assert page.status == 200 and page.media_type == "text/html"
    query = {"query": "{ products { costFen } }"}
    reply = await request(app, "GET", CONTRACT_PATH, params=query, headers=GRAPHQL_RESPONSE)
    assert reply.status == 400
    reply = await request(app, "GET", CONTRACT_PATH, params={"query": "{ reviewCount }"})
    assert reply.json() == {"data": {"reviewCount": 2}}


async def test_contract_endpoint_has_the_gateway_limits() -> None:
    app = create_app(gateway())
    deep = "{ products { reviews { body } } }"
    from gateway.limits import Limits

    strict = create_app(gateway(limits=Limits(max_depth=2)))
    assert (await post(app, deep, CONTRACT_PATH)).status == 200
    reply = await post(strict, deep, CONTRACT_PATH)
    assert reply.status == 400
    assert reply.json()["errors"][0]["extensions"]["code"] == "MAX_DEPTH_EXCEEDED"


async def test_contract_endpoint_speaks_apq() -> None:
    import hashlib

    app = create_app(gateway(), persisted_queries=PersistedQueries(MemoryStore()))
    digest = hashlib.sha256(ALLOWED.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    first = await request(app, "POST", CONTRACT_PATH, json={"extensions": extensions})
    assert first.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    body = {"query": ALLOWED, "extensions": extensions}
    assert (await request(app, "POST", CONTRACT_PATH, json=body)).status == 200
    again = await request(app, "POST", CONTRACT_PATH, json={"extensions": extensions})
    assert again.json()["data"]["reviewCount"] == 2


async def test_x_brand_selects_a_contract_on_the_main_endpoint() -> None:
    spec = ContractSpec("public", exclude_tags=frozenset({"staff"}), brands=("lumen",))
    app = create_app(gateway(spec, brands=frozenset({"lumen", "vitalis"})))
    query = "{ products { name costFen } }"
    hidden = await post(app, query, **{"x-brand": "lumen"})
    assert hidden.status == 400
    assert "costFen" in hidden.json()["errors"][0]["message"]
    shown = await post(app, query, **{"x-brand": "vitalis"})
    assert shown.status == 200 and shown.json()["data"]["products"][0]["costFen"] == 3000
    assert (await post(app, query)).status == 200  # no X-Brand: the full schema
    # The contract's own endpoint is the contract whatever the brand.
    assert (await post(app, query, CONTRACT_PATH, **{"x-brand": "vitalis"})).status == 400


async def test_without_brands_x_brand_changes_nothing() -> None:
    app = create_app(gateway())  # PUBLIC lists no brands
    reply = await post(app, "{ products { costFen } }", **{"x-brand": "lumen"})
    assert reply.status == 200


def test_a_contract_leaving_no_query_field_refuses_the_gateway() -> None:
    everything = ContractSpec("none", include_tags=frozenset({"nothing-has-this"}))
    with pytest.raises(ContractError, match="contract 'none'"):
        gateway(everything)


EXTRA = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@tag"])
type Query { news: String  secretNews: String @tag(name: "staff") }
"""


async def test_replace_supergraph_rebuilds_the_contracts() -> None:
    gw = gateway()
    app = create_app(gw)
    old = gw.state.contracts["public"]
    gw.replace_supergraph(supergraph_sdl(EXTRA))
    assert gw.state.contracts["public"] is not old
    contract = fields_of((await post(app, TYPES, CONTRACT_PATH)).json()["data"])
    assert "news" in contract["Query"] and "secretNews" not in contract["Query"]
    full = fields_of((await post(app, TYPES)).json()["data"])
    assert {"news", "secretNews"} <= full["Query"]


def test_a_reload_that_breaks_a_contract_keeps_the_old_supergraph() -> None:
    spec = ContractSpec("only-news", include_tags=frozenset({"news"}))
    tagged = EXTRA.replace("news: String ", 'news: String @tag(name: "news") ')
    gw = gateway(spec, sdl=supergraph_sdl(tagged))
    before = gw.state
    with pytest.raises(ContractError, match="only-news"):
        gw.replace_supergraph(supergraph_sdl())  # nothing tagged "news" any more
    assert gw.state is before


def test_replace_supergraph_refuses_a_build_without_the_contracts() -> None:
    from gateway.supergraph_state import build_supergraph

    gw = gateway()
    with pytest.raises(ValueError, match="contracts"):
        gw.replace_supergraph(build_supergraph(supergraph_sdl()))


async def test_the_reloader_rebuilds_contracts(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(supergraph_sdl(), encoding="utf-8")
    gw = gateway(sdl=path.read_text())
    lines: list[str] = []
    reloader = SupergraphReloader(gw, FileSource(path), interval=0.01, report=lines.append)
    await reloader.check()
    path.write_text(supergraph_sdl(EXTRA), encoding="utf-8")
    assert await reloader.check(), lines
    response = await gw.execute(GraphQLRequest("{ news }"), contract="public")
    assert response.kind == "ok"
    hidden = await gw.execute(GraphQLRequest("{ secretNews }"), contract="public")
    assert hidden.kind == "request_error"
