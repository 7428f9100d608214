"""`[partitions.NAME]` tables of brand-matrix.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.cli import CliError, _load_gateway
from gateway.composition.sources import load_config
from gateway.partitions import ConfigError, PartitionedTransport, load_partitions
from tests.gateway.partitions.brands_federation import supergraph_sdl

GOOD = """
[subgraphs.catalogue]
url = "http://127.0.0.1:4101/graphql"
schema = "catalogue.graphql"

[partitions.catalogue]
brand_from = "prefix"
key_field = "id"
group_wide = ["products"]
[partitions.catalogue.brands]
nova = "http://127.0.0.1:4103/graphql"
lumen = "http://127.0.0.1:4101/graphql"
aurora = "http://127.0.0.1:4102/graphql"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brand-matrix.toml"
    path.write_text(text)
    return path


def test_parses_brands_in_file_order(tmp_path: Path) -> None:
    (config,) = load_partitions(write(tmp_path, GOOD)).values()
    assert config.subgraph == "catalogue"
    assert list(config.brands) == ["nova", "lumen", "aurora"]
    assert config.rules.group_wide == frozenset({"products"})
    assert config.rules.brand_of({"id": "lumen:SKU-1"}) == "lumen"


def test_compose_sources_accept_the_partitions_table(tmp_path: Path) -> None:
    (source,) = load_config(write(tmp_path, GOOD))
    assert source.name == "catalogue"


def test_field_rule_defaults_to_brand_key(tmp_path: Path) -> None:
    text = '[partitions.c]\nbrand_from = "field"\n[partitions.c.brands]\nx = "http://h/g"\n'
    (config,) = load_partitions(write(tmp_path, text)).values()
    assert config.rules.brand_of({"brand": "x", "sku": "1"}) == "x"
    assert config.rules.brand_of({"sku": "1"}) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[partitions.c]\nbrnds = {}\n", "partitions.c: unknown key 'brnds'"),
        ('[partitions.c]\nbrand_from = "suffix"\n', "partitions.c.brand_from must be one of"),
        ("[partitions.c]\nkey_field = 3\n", "partitions.c.key_field must be a non-empty string"),
        ('[partitions.c]\ngroup_wide = "products"\n', "partitions.c.group_wide must be an array"),
        ("[partitions.c]\n", "partitions.c.brands is missing"),
        ("[partitions.c.brands]\n", "partitions.c.brands must be a non-empty table"),
        ('[partitions.c.brands]\nx = "ftp://h"\n', "partitions.c.brands.x: invalid URL"),
        ("[partitions.c.brands]\nx = 4\n", "partitions.c.brands.x must be a URL string"),
        ('[partitions.c.brands]\n"a:b" = "http://h/g"\n', "brand id 'a:b'"),
        ('[bogus]\nx = "http://h/g"\n', "unknown key 'bogus'"),
        ('[brands]\nx = "http://h/g"\n', "brands.x must be a table with a name"),
        ("[brands.x]\nname = ''\n", "brands.x.name must be a non-empty string"),
        ("[brands.x]\nname = 'X'\nurl = 'u'\n", "brands.x: unknown key 'url'"),
        ("[brands.'a:b']\nname = 'X'\n", "brand id 'a:b'"),
        ("partitions = 3\n", "'partitions' must be a table"),
        ("[partitions\n", "is not valid TOML"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_partitions(write(tmp_path, text))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value).strip()


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_partitions(tmp_path / "nope.toml")


async def test_serve_wiring_builds_a_partitioned_transport(tmp_path: Path) -> None:
    sdl_path = tmp_path / "supergraph.graphql"
    sdl_path.write_text(supergraph_sdl())
    gateway = _load_gateway(str(sdl_path), config=str(write(tmp_path, GOOD)))
    try:
        catalogue = gateway.transports["catalogue"]
        assert isinstance(catalogue, PartitionedTransport)
        assert list(catalogue.partitions) == ["nova", "lumen", "aurora"]
        assert gateway.brands == frozenset({"nova", "lumen", "aurora"})
        assert "x-brand" in gateway.forward_headers
    finally:
        await gateway.aclose()


def test_serve_wiring_refuses_a_partition_not_in_the_supergraph(tmp_path: Path) -> None:
    sdl_path = tmp_path / "supergraph.graphql"
    sdl_path.write_text(supergraph_sdl())
    config = write(tmp_path, GOOD.replace("partitions.catalogue", "partitions.cat"))
    with pytest.raises(CliError, match="'cat' is not in the supergraph"):
        _load_gateway(str(sdl_path), config=str(config))


def test_serve_wiring_reports_config_errors(tmp_path: Path) -> None:
    sdl_path = tmp_path / "supergraph.graphql"
    sdl_path.write_text(supergraph_sdl())
    with pytest.raises(CliError, match="unknown key 'oops'"):
        _load_gateway(str(sdl_path), config=str(write(tmp_path, "[partitions.c]\noops = 1\n")))
