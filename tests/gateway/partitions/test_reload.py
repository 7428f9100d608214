"""Hot reload: a running gateway over 3 in-process brands follows edits of its config file."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from strawberry.asgi import GraphQL

from gateway.http import create_app
from gateway.partitions import PartitionedTransport
from gateway.partitions.edit import add_brand
from gateway.partitions.reload import ConfigWatcher
from gateway.service import Gateway, GraphQLRequest
from gateway.transport.asgi import AsgiTransport
from gateway.transport.base import SubgraphRequest
from tests.gateway.http.asgi_client import request, run_lifespan
from tests.gateway.partitions.brands_federation import (
    BRANDS,
    CATALOGUES,
    catalogue_schema,
    catalogue_transport,
    looks_transport,
    supergraph_sdl,
)

SDL = supergraph_sdl()
INTERVAL = 0.02
HEADER_QUERY = "query { catalogueBrand }"


def config_text(brands: tuple[str, ...]) -> str:
    lines = [
        "# the test federation",
        "[partitions.catalogue]",
        'brand_from = "prefix"',
        'group_wide = ["products"]',
        "[partitions.catalogue.brands]  # fan-out order",
        *(f'{b} = "http://{b}.test/graphql"' for b in brands),
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def vela(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fourth brand's catalogue, deployed (in-process) but not yet in the config."""
    monkeypatch.setitem(CATALOGUES, "vela", [("vela:SKU-1", "Vela Balm", 11.0)])


class Setup:
    def __init__(self, tmp_path: Path) -> None:
        self.path = tmp_path / "brand-matrix.toml"
        self.path.write_text(config_text(BRANDS))
        self.catalogue = catalogue_transport()
        transports = {"catalogue": self.catalogue, "looks": looks_transport()}
        self.gateway = Gateway(SDL, transports=transports, brands=frozenset(BRANDS))
        self.made: list[tuple[str, str, str]] = []
        self.reports: list[str] = []
        self.watcher = ConfigWatcher(
            self.path,
            self.gateway,
            self.make_transport,
            interval=INTERVAL,
            grace=5.0,
            report=self.reports.append,
        )

    def make_transport(self, subgraph: str, brand: str, url: str) -> Any:
        self.made.append((subgraph, brand, url))
        return AsgiTransport(f"{subgraph}@{brand}", GraphQL(catalogue_schema(brand)))

    async def ask(self, brand: str, query: str = HEADER_QUERY) -> dict[str, Any]:
        response = await self.gateway.execute(GraphQLRequest(query), headers={"X-Brand": brand})
        return response.body


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return Setup(tmp_path)


async def wait_for(predicate: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not await predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.005)


async def test_a_fourth_brand_is_served_without_restart(setup: Setup, vela: None) -> None:
    await setup.watcher.start()
    try:
        assert (await setup.ask("vela"))["errors"][0]["extensions"]["code"] == "UNKNOWN_BRAND"
        lumen = setup.catalogue.partitions["lumen"]
        started = time.monotonic()
        add_brand(setup.path, "vela", "Vela", {"catalogue": "http://vela.test/graphql"})

        async def vela_answers() -> bool:
            return (await setup.ask("vela")).get("data") == {"catalogueBrand": "vela"}

        await wait_for(vela_answers)
        elapsed = time.monotonic() - started
        print(f"\nconfig written -> first vela answer: {elapsed * 1000:.0f} ms")
        assert elapsed < 2.0
        assert setup.made == [("catalogue", "vela", "http://vela.test/graphql")]
        assert setup.catalogue.partitions["lumen"] is lumen  # unchanged brands keep their pool
        assert list(setup.catalogue.partitions) == [*BRANDS, "vela"]
        assert setup.gateway.brands == frozenset({*BRANDS, "vela"})
        # its entities are routed to it, alongside the others
        representations = [
            {"__typename": "Product", "id": "vela:SKU-1"},
            {"__typename": "Product", "id": "lumen:SKU-1"},
        ]
        query = (
            "query($representations: [_Any!]!) { _entities(representations: $representations)"
            " { ... on Product { id name brand } } }"
        )
        body = await setup.catalogue.fetch(
            SubgraphRequest(query, {"representations": representations})
        )
        assert body["data"]["_entities"] == [
            {"id": "vela:SKU-1", "name": "Vela Balm", "brand": "vela"},
            {"id": "lumen:SKU-1", "name": "Lumen Serum", "brand": "lumen"},
        ]
        # and it joins the group-wide fan-out, last (config order)
        products = await setup.gateway.execute(GraphQLRequest("{ products { id } }"))
        assert products.body["data"]["products"][-1] == {"id": "vela:SKU-1"}
    finally:
        await setup.watcher.stop()


async def test_removing_a_brand_makes_it_unknown_and_closes_it(setup: Setup) -> None:
    closed: list[str] = []
    aurora = setup.catalogue.partitions["aurora"]
    original = aurora.aclose

    async def spy() -> None:
        closed.append("aurora")
        await original()

    aurora.aclose = spy  # type: ignore[method-assign]
    setup.path.write_text(config_text(("lumen", "nova")))
    assert setup.watcher.check()
    body = await setup.ask("aurora")
    assert body["errors"][0]["extensions"]["code"] == "UNKNOWN_BRAND"
    assert "data" not in body
    assert (await setup.ask("nova"))["data"] == {"catalogueBrand": "nova"}
    assert setup.gateway.brands == frozenset({"lumen", "nova"})
    await setup.watcher.stop()  # waits for the retired transports
    assert closed == ["aurora"]
    assert setup.made == []


class Slow:
    """A partition whose requests wait until released."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.closed = False

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        await self.release.wait()
        assert not self.closed, "closed while a request was in flight"
        return {"data": {"catalogueBrand": "aurora"}}

    async def aclose(self) -> None:
        self.closed = True


async def test_a_removed_brand_is_closed_after_its_in_flight_requests(setup: Setup) -> None:
    slow = Slow()
    setup.catalogue.partitions["aurora"] = slow
    in_flight = asyncio.create_task(setup.ask("aurora"))
    await asyncio.sleep(0.01)
    setup.path.write_text(config_text(("lumen", "nova")))
    assert setup.watcher.check()
    await asyncio.sleep(0.05)
    assert not slow.closed
    slow.release.set()
    assert (await in_flight)["data"] == {"catalogueBrand": "aurora"}
    await wait_for(lambda: _true(slow.closed))
    await setup.watcher.stop()


async def test_a_stuck_request_does_not_keep_a_removed_brand_open(setup: Setup) -> None:
    slow = Slow()
    setup.catalogue.partitions["aurora"] = slow
    setup.watcher.grace = 0.05
    stuck = asyncio.create_task(setup.ask("aurora"))
    await asyncio.sleep(0.01)
    setup.path.write_text(config_text(("lumen", "nova")))
    assert setup.watcher.check()
    await wait_for(lambda: _true(slow.closed), timeout=2)
    stuck.cancel()
    await setup.watcher.stop()


@pytest.mark.parametrize(
    "broken",
    [
        "[partitions.catalogue\n",  # not TOML
        '[partitions.catalogue.brands]\nlumen = "ftp://x"\n',  # bad URL
        '[partitions.catalogue.brands]\nlumen = "http://x/g"\n[partitions.other.brands]\n'
        'a = "http://a/g"\n',  # a new partitioned subgraph needs a restart
        "[brands.vela]\nnope = 1\n",
    ],
)
async def test_a_broken_edit_keeps_the_old_brands(setup: Setup, vela: None, broken: str) -> None:
    await setup.watcher.start()
    try:
        before = dict(setup.catalogue.partitions)
        setup.path.write_text(broken)
        await wait_for(lambda: _true(bool(setup.reports)))
        assert "previous one stays in force" in setup.reports[0]
        assert setup.catalogue.partitions == before
        assert setup.gateway.brands == frozenset(BRANDS)
        for brand in BRANDS:
            assert (await setup.ask(brand))["data"] == {"catalogueBrand": brand}
        # fixing the file applies it
        setup.path.write_text(config_text((*BRANDS, "vela")))

        async def vela_answers() -> bool:
            return (await setup.ask("vela")).get("data") == {"catalogueBrand": "vela"}

        await wait_for(vela_answers)
        assert setup.watcher.reloads == 1
    finally:
        await setup.watcher.stop()


async def test_a_deleted_config_keeps_the_old_brands(setup: Setup) -> None:
    setup.path.unlink()
    assert not setup.watcher.check()
    assert "previous one stays in force" in setup.reports[0]
    assert setup.gateway.brands == frozenset(BRANDS)


async def test_app_lifespan_runs_the_watcher_hooks(setup: Setup, vela: None) -> None:
    events: list[str] = []

    async def start() -> None:
        events.append("start")
        await setup.watcher.start()

    async def stop() -> None:
        events.append("stop")
        await setup.watcher.stop()

    app = create_app(setup.gateway, on_startup=[start], on_shutdown=[stop])
    assert "lifespan.startup.complete" in await run_lifespan(app)
    assert events == ["start", "stop"]
    # the endpoint sees the reloaded brands too
    setup.path.write_text(config_text((*BRANDS, "vela")))
    assert setup.watcher.check()
    reply = await request(app, "POST", json={"query": HEADER_QUERY}, headers={"X-Brand": "vela"})
    assert reply.json() == {"data": {"catalogueBrand": "vela"}}


async def _true(value: bool) -> bool:
    return value


def test_partitioned_transport_swap_reports_dropped_transports() -> None:
    catalogue: PartitionedTransport = catalogue_transport()
    kept = {"lumen": catalogue.partitions["lumen"]}
    dropped = catalogue.swap(kept)
    assert len(dropped) == 2
    assert catalogue.partitions == kept
    with pytest.raises(ValueError, match="no partitions"):
        catalogue.swap({})
