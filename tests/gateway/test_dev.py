"""`brand-matrix dev`: the stack composes, serves, and takes a new brand while running."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from gateway.dev import BrandWatcher, DevError, build_dev_server
from gateway.service import GraphQLRequest
from tests.subgraphs.test_stack import settle

IN_MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")
BRANDS = ("lumen", "vitalis")


def two_brands(data_dir: Path, brands: Any = None) -> Any:
    from subgraphs.stack import dev_stack

    return dev_stack(data_dir, brands or BRANDS, demo_members=20)


class Uncomposable:
    brands = ["lumen"]
    central_apps: dict[str, Any] = {}
    partition_apps: dict[str, Any] = {}

    def sdls(self) -> dict[str, str]:
        return {"a": "type Query { x: Int }", "b": "type Query { x: String }"}


def uncomposable(data_dir: Path) -> Uncomposable:
    return Uncomposable()


def test_a_bad_stack_spec_is_one_clear_error(tmp_path: Path) -> None:
    for spec, expected in [
        ("nonsense", "MODULE:FUNCTION"),
        ("no_such_module_xyz:f", "cannot import"),
        ("gateway.dev:no_such_function", "no function"),
    ]:
        with pytest.raises(DevError, match=expected):
            build_dev_server(tmp_path, stack_spec=spec)


def test_subgraphs_that_do_not_compose_stop_dev_with_the_composition_errors(tmp_path) -> None:
    with pytest.raises(DevError, match="do not compose: FIELD_TYPE_MISMATCH"):
        build_dev_server(tmp_path, stack_spec=f"{__name__}:uncomposable")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("dev")
    server = build_dev_server(data_dir, stack_spec=f"{__name__}:two_brands")
    await server.stack.prepare()
    await server.stack.start()
    gateway = server.gateway()
    try:
        yield server, gateway, data_dir
    finally:
        await gateway.aclose()
        await server.stack.stop()


async def ask(gateway, query: str, brand: str, variables=None, token=None) -> dict[str, Any]:
    headers = {"x-brand": brand}
    if token:
        headers["authorization"] = f"Bearer {token}"
    response = await gateway.execute(
        GraphQLRequest(query, variables=variables or {}), allow_mutations=True, headers=headers
    )
    return response.body


@IN_MODULE_LOOP
async def test_a_brand_added_to_the_config_is_served_without_a_restart(running) -> None:
    server, gateway, data_dir = running
    unknown = await ask(gateway, "{ products(first: 1) { id } }", "vela")
    assert unknown["errors"][0]["extensions"]["code"] == "UNKNOWN_BRAND"

    config = data_dir / "brand-matrix.toml"
    config.write_text('[brands.lumen]\nname = "Lumen"\n[brands.vitalis]\nname = "Vitalis"\n')
    watcher = BrandWatcher(server, config)
    config.write_text(config.read_text() + '[brands.vela]\nname = "Vela Beauty"\n')
    assert await watcher.check() == ["vela"]
    assert await watcher.check() == []  # unchanged file: nothing to do

    body = await ask(
        gateway, '{ products(first: 2) { id name } banners(placement: "home") { id } }', "vela"
    )
    assert "errors" not in body, body
    assert [p["id"][:5] for p in body["data"]["products"]] == ["vela:", "vela:"]
    assert all(b["id"].startswith("vela:") for b in body["data"]["banners"])

    # Members sign in through the new brand's app and buy its products at once.
    signed = await ask(
        gateway,
        'mutation { signIn(brand: "vela", credentials: {openId: "o-vela-1", unionId: '
        '"u-vela-1"}) { accessToken } }',
        "vela",
    )
    token = signed["data"]["signIn"]["accessToken"]
    await settle(server)  # vela's SKUs reach the order subgraph's replica
    sku = (await ask(gateway, '{ product(id: "vela:SKU-1001") { skus { id } } }', "vela"))["data"][
        "product"
    ]["skus"][0]["id"]
    added = await ask(
        gateway,
        "mutation($s: ID!) { addToCart(skuId: $s) { itemCount brands } }",
        "vela",
        {"s": sku},
        token,
    )
    assert added["data"]["addToCart"] == {"itemCount": 1, "brands": ["vela"]}


@IN_MODULE_LOOP
async def test_a_broken_config_keeps_the_brands(running, capsys) -> None:
    server, _, data_dir = running
    config = data_dir / "broken.toml"
    config.write_text('[brands.lumen]\nname = "Lumen"\n')
    watcher = BrandWatcher(server, config)
    config.write_text("[brands.lumen\n")
    assert await watcher.check() == []
    assert "brands unchanged" in capsys.readouterr().err
    assert "lumen" in server.brands
