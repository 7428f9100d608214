"""Query plans show how a partitioned subgraph routes by brand; `brand-matrix plan` prints it."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway import cli
from gateway.partitions import PartitionConfig, RoutingRules
from gateway.partitions.plan_notes import plan_note, plan_notes
from gateway.service import Gateway
from tests.gateway.partitions.brands_federation import supergraph_sdl

QUERY = "{ looks { title product { name price } } }"
NOTE = (
    "partitioned by brand (key prefix of id): lumen, aurora, nova; "
    "root fields by X-Brand or brand argument; group-wide: products"
)
CONFIG = """
[partitions.catalogue]
group_wide = ["products"]
[partitions.catalogue.brands]
lumen = "http://127.0.0.1:9/graphql"
aurora = "http://127.0.0.1:9/graphql"
nova = "http://127.0.0.1:9/graphql"
"""


def test_plan_note_describes_the_routing() -> None:
    prefix = PartitionConfig(
        "catalogue",
        {b: "http://x/graphql" for b in ("lumen", "aurora", "nova")},
        RoutingRules("prefix", "id", frozenset({"products"})),
    )
    assert plan_note(prefix) == NOTE
    field = PartitionConfig(
        "content", {"lumen": "http://x/graphql"}, RoutingRules("field", "brand", frozenset())
    )
    assert plan_note(field) == (
        "partitioned by brand (key field brand): lumen; root fields by X-Brand or brand argument"
    )


async def test_describe_adds_the_note_to_each_fetch_of_the_subgraph() -> None:
    gateway = Gateway(supergraph_sdl())
    try:
        plan = gateway.plan(QUERY)
    finally:
        await gateway.aclose()
    plain = str(plan)
    assert "partitioned by brand" not in plain
    assert plan.describe() == plain
    described = plan.describe({"catalogue": NOTE})
    lines = described.splitlines()
    header = next(i for i, line in enumerate(lines) if 'Fetch(service: "catalogue"' in line)
    assert lines[header + 1].strip() == NOTE
    assert lines[header + 1].startswith(lines[header][: lines[header].index("F")] + "  ")
    assert described.count("partitioned by brand") == 1  # not on the looks fetch
    assert [line for line in lines if "partitioned by brand" not in line] == plain.splitlines()


def test_cli_plan_prints_partition_routing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(supergraph_sdl())
    query = tmp_path / "op.graphql"
    query.write_text(QUERY)
    config = tmp_path / "brand-matrix.toml"
    config.write_text(CONFIG)
    argv = ["plan", "--supergraph", str(supergraph), "--query", str(query)]
    assert cli.main([*argv, "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert NOTE in out
    assert cli.main(argv) == 0
    assert "partitioned by brand" not in capsys.readouterr().out
    config.write_text("[partitions.catalogue]\nbrand_from = 'nope'\n")
    assert cli.main([*argv, "--config", str(config)]) == 2
    assert "brand_from" in capsys.readouterr().err


def test_plan_notes_per_subgraph() -> None:
    config = PartitionConfig("catalogue", {"lumen": "http://x/graphql"}, RoutingRules())
    assert list(plan_notes({"catalogue": config})) == ["catalogue"]
