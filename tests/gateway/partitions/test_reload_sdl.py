"""A brand that a config reload adds must serve the composed SDL too, as at startup."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from gateway.cli import _load_gateway
from gateway.partitions import PartitionedTransport
from gateway.partitions.reload import ConfigWatcher
from gateway.partitions.sdl_check import PARTITION_REFUSED, RefusedPartition
from gateway.service import GraphQLRequest
from gateway.transport.aiohttp_client import AiohttpTransport
from tests.gateway.partitions.live_partitions import serve
from tests.gateway.partitions.test_sdl_check import _files


@pytest.mark.parametrize("reference", [True, False], ids=["schema-file", "running-brand"])
def test_a_reloaded_brand_serving_another_sdl_is_refused(tmp_path: Path, reference: bool) -> None:
    with serve() as base:
        supergraph, config = _files(tmp_path, {"lumen": f"{base}/lumen"}, reference=reference)
        gateway = _load_gateway(supergraph, config=config, check_partition_sdls=True)
        reports: list[str] = []
        watcher = ConfigWatcher(
            config,
            gateway,
            lambda subgraph, brand, url: AiohttpTransport(f"{subgraph}@{brand}", url),
            interval=0.05,
            verify_sdl=True,
            verify_timeout=5.0,
            report=reports.append,
        )
        path = Path(config)
        path.write_text(
            path.read_text().replace(
                f'lumen = "{base}/lumen"',
                f'lumen = "{base}/lumen"\naurora = "{base}/aurora"\nvela = "{base}/changed/"',
            )
        )

        async def reload_and_query() -> dict[str, object]:
            try:
                assert await watcher.check_and_verify()
                response = await gateway.execute(GraphQLRequest("{ products { id } }"))
                return response.body
            finally:
                await gateway.aclose()

        body = asyncio.run(reload_and_query())
    catalogue = gateway.transports["catalogue"]
    assert isinstance(catalogue, PartitionedTransport)
    assert list(catalogue.partitions) == ["lumen", "aurora", "vela"]
    assert isinstance(catalogue.partitions["vela"], RefusedPartition)
    assert not isinstance(catalogue.partitions["aurora"], RefusedPartition)
    ids = [p["id"] for p in body["data"]["products"]]  # type: ignore[index]
    brands_in_order = [i.split(":")[0] for i in ids]
    assert brands_in_order == sorted(brands_in_order, key=["lumen", "aurora"].index)
    assert set(brands_in_order) == {"lumen", "aurora"}
    [error] = body["errors"]  # type: ignore[misc]
    assert error["extensions"]["code"] == PARTITION_REFUSED
    assert error["extensions"]["brand"] == "vela"
    assert any("'vela'" in r and "different SDL" in r for r in reports)
