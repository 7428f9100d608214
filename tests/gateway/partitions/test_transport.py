"""PartitionedTransport end to end: a gateway over 3 catalogue partitions and a central
subgraph, all in-process."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.partitions import PartitionedTransport
from gateway.service import Gateway, GraphQLRequest
from gateway.transport.base import SubgraphRequest, TransportError
from tests.gateway.partitions.brands_federation import (
    BRANDS,
    catalogue_transport,
    looks_transport,
    supergraph_sdl,
)

SDL = supergraph_sdl()


def make_gateway(down: tuple[str, ...] = ()) -> tuple[Gateway, PartitionedTransport]:
    catalogue = catalogue_transport(down)
    transports = {"catalogue": catalogue, "looks": looks_transport()}
    return Gateway(SDL, transports=transports, brands=frozenset(BRANDS)), catalogue


async def run(
    gateway: Gateway, query: str, headers: dict[str, str] | None = None, **variables: Any
) -> dict[str, Any]:
    response = await gateway.execute(GraphQLRequest(query, variables=variables), headers=headers)
    return response.body


def requests_to(catalogue: PartitionedTransport, brand: str) -> list[SubgraphRequest]:
    return catalogue.partitions[brand].requests  # type: ignore[attr-defined]


async def test_entities_of_three_brands_in_one_request_in_order() -> None:
    gateway, catalogue = make_gateway()
    body = await run(gateway, "{ looks { title product { id name brand } } }")
    assert "errors" not in body
    products = [look["product"] for look in body["data"]["looks"]]
    assert [p["id"] for p in products] == [
        "nova:SKU-1",
        "lumen:SKU-1",
        "aurora:SKU-1",
        "nova:SKU-2",
        "lumen:SKU-2",
    ]
    assert [p["brand"] for p in products] == ["nova", "lumen", "aurora", "nova", "lumen"]
    assert products[0]["name"] == "Nova Lipstick"
    for brand in BRANDS:  # one request per brand, carrying only that brand's keys
        (request,) = requests_to(catalogue, brand)
        ids = [r["id"] for r in request.variables["representations"]]
        assert ids and all(i.startswith(f"{brand}:") for i in ids)


async def test_batched_sections_are_split_per_alias() -> None:
    gateway, catalogue = make_gateway()
    query = "{ looks { title product { name } alternative { name price } } }"
    assert "_e1: _entities" in str(gateway.plan(query))
    body = await run(gateway, query)
    assert "errors" not in body
    looks = body["data"]["looks"]
    assert [look["product"]["name"] for look in looks] == [
        "Nova Lipstick",
        "Lumen Serum",
        "Aurora Tea",
        "Nova Gloss",
        "Lumen Mask",
    ]
    assert [look["alternative"] and look["alternative"]["name"] for look in looks] == [
        "Aurora Tea",
        None,
        "Lumen Mask",
        "Nova Lipstick",
        None,
    ]
    (aurora,) = requests_to(catalogue, "aurora")
    assert [r["id"] for r in aurora.variables["r0"]] == ["aurora:SKU-1"]
    assert [r["id"] for r in aurora.variables["r1"]] == ["aurora:SKU-1"]


async def test_batched_transport_gives_empty_lists_and_reindexes_errors() -> None:
    catalogue = catalogue_transport()
    query = (
        "query($r0: [_Any!]!, $r1: [_Any!]!) { "
        "_e0: _entities(representations: $r0) { ... on Product { name } } "
        "_e1: _entities(representations: $r1) { ... on Product { brand } } }"
    )
    reps0 = [_rep("nova:SKU-2"), _rep("lumen:SKU-BOOM"), _rep("nova:SKU-1")]
    reps1 = [_rep("aurora:SKU-1"), _rep("lumen:SKU-1")]
    body = await catalogue.fetch(SubgraphRequest(query, {"r0": reps0, "r1": reps1}))
    assert body["data"]["_e0"] == [{"name": "Nova Gloss"}, None, {"name": "Nova Lipstick"}]
    assert body["data"]["_e1"] == [{"brand": "aurora"}, {"brand": "lumen"}]
    (error,) = body["errors"]
    assert error["path"][:2] == ["_e0", 1]
    (aurora,) = requests_to(catalogue, "aurora")
    assert aurora.variables == {"r0": [], "r1": [_rep("aurora:SKU-1")]}


async def test_header_routing() -> None:
    gateway, catalogue = make_gateway()
    body = await run(gateway, "{ catalogueBrand }", {"x-brand": "aurora"})
    assert body == {"data": {"catalogueBrand": "aurora"}}
    (request,) = requests_to(catalogue, "aurora")
    assert request.headers["x-brand"] == "aurora"
    assert not requests_to(catalogue, "lumen")


async def test_brand_argument_routing_literal_and_variable() -> None:
    gateway, catalogue = make_gateway()
    body = await run(gateway, '{ featured(brand: "nova") { id brand } }')
    assert body == {"data": {"featured": {"id": "nova:SKU-1", "brand": "nova"}}}
    body = await run(gateway, "query($b: String!) { featured(brand: $b) { brand } }", b="lumen")
    assert body == {"data": {"featured": {"brand": "lumen"}}}
    assert len(requests_to(catalogue, "nova")) == 1
    assert len(requests_to(catalogue, "lumen")) == 1
    assert not requests_to(catalogue, "aurora")


async def test_root_field_without_brand_is_an_error() -> None:
    gateway, _ = make_gateway()
    body = await run(gateway, "{ catalogueBrand }")
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BRAND_REQUIRED"
    assert "X-Brand" in error["message"]


async def test_group_wide_fan_out_concatenates_in_config_order() -> None:
    gateway, catalogue = make_gateway()
    body = await run(gateway, "{ products { id } }", {"x-brand": "nova"})
    assert [p["id"] for p in body["data"]["products"]] == [
        "lumen:SKU-1",
        "lumen:SKU-2",
        "aurora:SKU-1",
        "nova:SKU-1",
        "nova:SKU-2",
    ]
    assert all(len(requests_to(catalogue, b)) == 1 for b in BRANDS)


async def test_partition_down_in_fan_out_gives_partial_data_naming_the_brand() -> None:
    gateway, _ = make_gateway(down=("aurora",))
    body = await run(gateway, "{ products { id } }")
    assert [p["id"] for p in body["data"]["products"]] == [
        "lumen:SKU-1",
        "lumen:SKU-2",
        "nova:SKU-1",
        "nova:SKU-2",
    ]
    (error,) = body["errors"]
    assert "aurora" in error["message"]
    assert error["extensions"]["brand"] == "aurora"


async def test_partition_down_for_entities_gives_nulls_and_an_error_naming_the_brand() -> None:
    gateway, _ = make_gateway(down=("lumen",))
    body = await run(gateway, "{ looks { title alternative { name } } }")
    names = [look["alternative"] and look["alternative"]["name"] for look in body["data"]["looks"]]
    assert names == ["Aurora Tea", None, None, "Nova Lipstick", None]
    (error,) = body["errors"]
    assert "partition 'lumen'" in error["message"]
    assert error["path"] == ["looks", 2, "alternative"]
    assert error["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"


async def test_all_partitions_down_is_a_transport_error() -> None:
    catalogue = catalogue_transport(down=BRANDS)
    with pytest.raises(TransportError, match="aurora"):
        await catalogue.fetch(SubgraphRequest("{ products { id } }"))


async def test_unknown_brand_header_is_a_request_error() -> None:
    gateway, catalogue = make_gateway()
    response = await gateway.execute(
        GraphQLRequest("{ looks { title } }"), headers={"X-Brand": "zeta"}
    )
    assert response.kind == "request_error"
    (error,) = response.body["errors"]
    assert error["extensions"]["code"] == "UNKNOWN_BRAND"
    assert "zeta" in error["message"]
    assert "data" not in response.body
    assert not any(requests_to(catalogue, b) for b in BRANDS)


async def test_unknown_or_unreadable_brand_in_entity_key() -> None:
    gateway, _ = make_gateway()
    body = await run(gateway, "{ oddLooks { title alternative { name } } }")
    alternatives = [look["alternative"] for look in body["data"]["oddLooks"]]
    assert alternatives == [{"name": "Aurora Tea"}, None, None, None]
    by_index = {e["path"][1]: e for e in body["errors"]}
    assert "unknown brand 'zeta'" in by_index[1]["message"]
    assert by_index[1]["extensions"]["code"] == "UNKNOWN_BRAND"
    assert "'SKU-9'" in by_index[2]["message"]
    assert "lumen cannot load" in by_index[3]["message"]  # reindexed from lumen's index 0
    assert by_index[3]["path"] == ["oddLooks", 3, "alternative"]


async def test_entity_key_without_brand_is_routed_by_the_x_brand_header() -> None:
    gateway, catalogue = make_gateway()
    body = await run(gateway, "{ oddLooks { title alternative { name } } }", {"X-Brand": "lumen"})
    by_index = {e["path"][1]: e for e in body["errors"]}
    assert "'SKU-9'" not in by_index.get(2, {}).get("message", "")  # went to lumen this time
    (request,) = requests_to(catalogue, "lumen")
    ids = [r["id"] for r in request.variables["representations"]]
    assert "SKU-9" in ids  # the unprefixed key, sent to the header's brand
    assert "unknown brand 'zeta'" in by_index[1]["message"]  # a named brand still wins


def _rep(sku: str) -> dict[str, str]:
    return {"__typename": "Product", "id": sku}
