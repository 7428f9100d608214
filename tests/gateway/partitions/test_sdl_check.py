"""Every partition must serve the composed SDL: at `serve` startup (refused otherwise) and on
`brand-matrix compose` (PARTITION_SDL_MISMATCH / PARTITION_UNREACHABLE errors)."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from strawberry.asgi import GraphQL

from gateway.cli import _load_gateway
from gateway.composition.command import ComposeOptions, run_compose
from gateway.partitions import PartitionedTransport
from gateway.partitions.sdl_check import (
    DIFFERENT,
    OK,
    PARTITION_REFUSED,
    UNREACHABLE,
    RefusedPartition,
    check_partitions,
    check_partitions_sync,
    normalize_sdl,
)
from gateway.service import GraphQLRequest
from gateway.transport.asgi import AsgiTransport
from tests.gateway.composition.live_subgraphs import refusing_url
from tests.gateway.partitions.brands_federation import (
    catalogue_schema,
    looks_schema,
    supergraph_sdl,
)
from tests.gateway.partitions.live_partitions import REORDERED, serve

CATALOGUE = catalogue_schema("lumen").as_str()


def test_formatting_order_descriptions_and_extensions_do_not_matter() -> None:
    assert normalize_sdl(REORDERED) == normalize_sdl(CATALOGUE)
    assert "_entities" not in normalize_sdl(CATALOGUE)
    assert "_Any" not in normalize_sdl(CATALOGUE)


def test_a_changed_field_argument_or_key_matters() -> None:
    reference = normalize_sdl(CATALOGUE)
    for old, new in [
        ("price: Float!", "price: Float"),
        ("featured(brand: String!)", "featured(brand: String)"),
        ('@key(fields: "id")', '@key(fields: "name")'),
    ]:
        assert old in CATALOGUE
        assert normalize_sdl(CATALOGUE.replace(old, new)) != reference, old


def test_live_partitions_ok_different_and_unreachable() -> None:
    with serve() as base, refusing_url() as down:
        urls = {
            "lumen": f"{base}/lumen",
            "aurora": f"{base}/reordered/",
            "nova": f"{base}/changed/",
            "zeta": down,
        }
        checks = check_partitions_sync(CATALOGUE, urls, timeout=5)
    assert list(checks) == ["lumen", "aurora", "nova", "zeta"]
    assert [c.status for c in checks.values()] == [OK, OK, DIFFERENT, UNREACHABLE]
    assert "+  colour: String" in checks["nova"].detail
    assert "colour: String" in checks["nova"].summary("catalogue")
    assert "connection refused" in checks["zeta"].detail
    assert "partition 'zeta' of subgraph 'catalogue' is unreachable" in checks["zeta"].summary(
        "catalogue"
    )


async def test_transports_and_no_reference_use_the_first_brand_that_answers() -> None:
    class Broken:
        async def fetch(self, request: object) -> dict[str, object]:
            return {"errors": [{"message": "boom"}]}

        async def aclose(self) -> None:
            return None

    partitions = {
        "down": Broken(),
        "lumen": AsgiTransport("lumen", GraphQL(catalogue_schema("lumen"))),
        "aurora": AsgiTransport("aurora", GraphQL(catalogue_schema("aurora"))),
        "odd": AsgiTransport("odd", GraphQL(looks_schema())),
    }
    checks = await check_partitions(None, partitions)
    assert {b: c.status for b, c in checks.items()} == {
        "down": UNREACHABLE,
        "lumen": OK,
        "aurora": OK,
        "odd": DIFFERENT,
    }
    assert "boom" in checks["down"].detail


# --- serve startup --------------------------------------------------------------------------


def _files(tmp_path: Path, urls: dict[str, str], *, reference: bool = True) -> tuple[str, str]:
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(supergraph_sdl())
    (tmp_path / "catalogue.graphql").write_text(CATALOGUE)
    (tmp_path / "looks.graphql").write_text(looks_schema().as_str())
    brands = "\n".join(f'{brand} = "{url}"' for brand, url in urls.items())
    schema = 'schema = "catalogue.graphql"' if reference else "introspect = true"
    config = tmp_path / "brand-matrix.toml"
    config.write_text(
        f"""
[subgraphs.catalogue]
url = "http://127.0.0.1:9/graphql"
{schema}
[subgraphs.looks]
url = "http://127.0.0.1:9/graphql"
schema = "looks.graphql"

[partitions.catalogue]
group_wide = ["products"]
[partitions.catalogue.brands]
{brands}
"""
    )
    return str(supergraph), str(config)


async def _products(gateway: object) -> dict[str, object]:
    try:
        request = GraphQLRequest("{ products { id } }")
        response = await gateway.execute(request, headers=None)  # type: ignore[attr-defined]
        return response.body
    finally:
        await gateway.aclose()  # type: ignore[attr-defined]


@pytest.mark.parametrize("reference", [True, False])
def test_serve_refuses_a_different_and_an_unreachable_partition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], reference: bool
) -> None:
    with serve() as base, refusing_url() as down:
        urls = {
            "lumen": f"{base}/lumen",
            "aurora": f"{base}/changed/",
            "nova": f"{base}/nova",
            "zeta": down,
        }
        supergraph, config = _files(tmp_path, urls, reference=reference)
        gateway = _load_gateway(supergraph, config=config, check_partition_sdls=True)
        catalogue = gateway.transports["catalogue"]
        assert isinstance(catalogue, PartitionedTransport)
        assert list(catalogue.partitions) == ["lumen", "aurora", "nova", "zeta"]
        refused = {b for b, t in catalogue.partitions.items() if isinstance(t, RefusedPartition)}
        assert refused == {"aurora", "zeta"}
        body = asyncio.run(_products(gateway))
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 2
    assert warnings[0].startswith(
        "brand-matrix: warning: refusing partition 'aurora' of subgraph 'catalogue' serves a "
        "different SDL"
    )
    assert "partition 'zeta' of subgraph 'catalogue' is unreachable" in warnings[1]
    # the refused brands answer with an error naming them; the others' data stands
    assert [p["id"] for p in body["data"]["products"]] == [  # type: ignore[index]
        "lumen:SKU-1",
        "lumen:SKU-2",
        "nova:SKU-1",
        "nova:SKU-2",
    ]
    errors = body["errors"]
    assert {e["extensions"]["brand"] for e in errors} == {"aurora", "zeta"}  # type: ignore[union-attr]
    assert all(e["extensions"]["code"] == PARTITION_REFUSED for e in errors)  # type: ignore[union-attr]
    assert any("refused at startup" in e["message"] for e in errors)  # type: ignore[union-attr]


def test_serve_keeps_partitions_serving_the_composed_sdl(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve() as base:
        urls = {"lumen": f"{base}/lumen", "aurora": f"{base}/reordered/"}
        supergraph, config = _files(tmp_path, urls)
        gateway = _load_gateway(supergraph, config=config, check_partition_sdls=True)
        catalogue = gateway.transports["catalogue"]
        assert not any(isinstance(t, RefusedPartition) for t in catalogue.partitions.values())
        asyncio.run(gateway.aclose())
    assert capsys.readouterr().err == ""


# --- compose --------------------------------------------------------------------------------


def test_compose_reports_partitions_that_differ_or_are_unreachable(tmp_path: Path) -> None:
    with serve() as base, refusing_url() as down:
        urls = {"lumen": f"{base}/lumen", "aurora": f"{base}/changed/", "zeta": down}
        _, config = _files(tmp_path, urls)
        out, err = io.StringIO(), io.StringIO()
        options = ComposeOptions(config=config, out=str(tmp_path / "out.graphql"), format="json")
        code = run_compose(options, out, err)
        text_err = io.StringIO()
        text_code = run_compose(
            ComposeOptions(config=config, out=str(tmp_path / "out.graphql")),
            io.StringIO(),
            text_err,
        )
    assert code == text_code == 1
    report = json.loads(out.getvalue())
    codes = [(e["code"], e["subgraphs"]) for e in report["errors"]]
    assert codes == [
        ("PARTITION_SDL_MISMATCH", ["catalogue"]),
        ("PARTITION_UNREACHABLE", ["catalogue"]),
    ]
    assert "'aurora'" in report["errors"][0]["message"]
    assert "colour" in report["errors"][0]["message"]
    assert "'zeta'" in report["errors"][1]["message"]
    assert not (tmp_path / "out.graphql").exists()
    assert "error[PARTITION_SDL_MISMATCH]" in text_err.getvalue()


def test_compose_passes_when_every_partition_serves_the_composed_sdl(tmp_path: Path) -> None:
    with serve() as base:
        urls = {"lumen": f"{base}/lumen", "aurora": f"{base}/reordered/", "nova": f"{base}/nova"}
        _, config = _files(tmp_path, urls)
        err = io.StringIO()
        code = run_compose(
            ComposeOptions(config=config, out=str(tmp_path / "out.graphql")), io.StringIO(), err
        )
    assert code == 0, err.getvalue()
    assert (tmp_path / "out.graphql").exists()


def test_compose_without_the_partition_check_composes_from_files_alone(tmp_path: Path) -> None:
    with refusing_url() as down:
        _, config = _files(tmp_path, {"lumen": down})
        err = io.StringIO()
        options = ComposeOptions(
            config=config, out=str(tmp_path / "out.graphql"), partition_check=False
        )
        code = run_compose(options, io.StringIO(), err)
    assert code == 0, err.getvalue()
    assert (tmp_path / "out.graphql").exists()
