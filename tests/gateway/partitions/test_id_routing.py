"""Root fields with a brand-scoped `id` argument go to that id's brand, whatever app asks."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.partitions import PartitionedTransport, RoutingRules
from gateway.partitions.shape import read_shape
from gateway.transport.base import SubgraphRequest, TransportError


class Partition:
    """Answers every root field with the brand's name; records what it was asked."""

    def __init__(self, brand: str, *, down: bool = False) -> None:
        self.brand = brand
        self.down = down
        self.requests: list[SubgraphRequest] = []

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        self.requests.append(request)
        if self.down:
            raise TransportError("connection refused")
        keys = [root.response_key for root in read_shape(request.query).roots]
        return {
            "data": {key: {"servedBy": self.brand} for key in keys},
            "errors": [{"message": f"{self.brand} note", "path": [keys[-1]]}],
        }

    async def aclose(self) -> None:
        pass


def transport(**down: bool) -> PartitionedTransport:
    brands = ("lumen", "vitalis", "aurora")
    parts = {b: Partition(b, down=down.get(b, False)) for b in brands}
    return PartitionedTransport("catalogue", parts, RoutingRules("prefix", "id"))


def request(query: str, variables: dict[str, Any] | None = None, brand: str | None = "lumen"):
    headers = {"x-brand": brand} if brand else {}
    return SubgraphRequest(query=query, variables=variables or {}, headers=headers)


async def test_an_id_of_another_brand_goes_to_that_brand_not_the_header_brand() -> None:
    catalogue = transport()
    body = await catalogue.fetch(
        request("query($id: ID!) { product(id: $id) { name } }", {"id": "vitalis:SKU-1"})
    )
    assert body["data"] == {"product": {"servedBy": "vitalis"}}
    assert [len(p.requests) for p in catalogue.partitions.values()] == [0, 1, 0]


async def test_literal_ids_work_too_and_no_header_is_needed() -> None:
    catalogue = transport()
    body = await catalogue.fetch(request('{ product(id: "aurora:SKU-9") { name } }', brand=None))
    assert body["data"] == {"product": {"servedBy": "aurora"}}


async def test_root_fields_of_several_brands_are_each_taken_from_their_own_brand() -> None:
    catalogue = transport()
    query = '{ a: product(id: "vitalis:SKU-1") { n } b: product(id: "aurora:SKU-2") { n } list: products { n } }'  # noqa: E501
    body = await catalogue.fetch(request(query))
    assert body["data"] == {
        "a": {"servedBy": "vitalis"},
        "b": {"servedBy": "aurora"},
        "list": {"servedBy": "lumen"},  # the header's brand
    }
    # each partition's errors are kept only for the fields it owns
    assert [e["message"] for e in body["errors"]] == ["lumen note"]


async def test_an_unknown_brand_in_an_id_is_a_null_with_an_error() -> None:
    catalogue = transport()
    body = await catalogue.fetch(request('{ product(id: "zeta:SKU-1") { n } products { n } }'))
    assert body["data"] == {"product": None, "products": {"servedBy": "lumen"}}
    codes = [e["extensions"]["code"] for e in body["errors"] if "extensions" in e]
    assert codes == ["UNKNOWN_BRAND"]


async def test_a_failed_brand_leaves_only_its_own_fields_null() -> None:
    catalogue = transport(vitalis=True)
    body = await catalogue.fetch(request('{ product(id: "vitalis:SKU-1") { n } products { n } }'))
    assert body["data"] == {"product": None, "products": {"servedBy": "lumen"}}
    failure = next(e for e in body["errors"] if e.get("path") == ["product"])
    assert failure["extensions"]["brand"] == "vitalis"


async def test_a_mutation_touching_several_brands_is_refused() -> None:
    catalogue = transport()
    query = 'mutation { a: setActive(id: "vitalis:SKU-1") { n } b: setActive(id: "aurora:SKU-1") { n } }'  # noqa: E501
    with pytest.raises(TransportError) as refused:
        await catalogue.fetch(request(query))
    assert refused.value.code == "BRAND_REQUIRED"
    assert not any(p.requests for p in catalogue.partitions.values())


async def test_ids_without_a_brand_prefix_route_by_the_header_as_before() -> None:
    catalogue = transport()
    body = await catalogue.fetch(request('{ product(id: "SKU-1") { n } }', brand="aurora"))
    assert body["data"] == {"product": {"servedBy": "aurora"}}
