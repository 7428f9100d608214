"""Where `brand-matrix compose` reads subgraphs from: flags, a TOML config, live subgraphs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway.composition.sources import (
    SourceError,
    SubgraphSource,
    load_config,
    load_inputs,
    merge_sources,
    parse_subgraph_arg,
)
from gateway.composition.sources_live import fetch_sdls, fetch_sdls_async
from gateway.composition.subgraph import SubgraphInput
from tests.gateway.composition import strawberry_shop
from tests.gateway.composition.live_subgraphs import refusing_url, serve

SDL = "type Query { hello: String }\n"


@pytest.fixture(scope="module")
def live() -> Iterator[str]:
    with serve() as base_url:
        yield base_url


def _problems(excinfo: pytest.ExceptionInfo[SourceError]) -> list[str]:
    return excinfo.value.problems


# --subgraph NAME=URL@FILE ---------------------------------------------------------------


def test_subgraph_flag_with_a_schema_file() -> None:
    source = parse_subgraph_arg("products=http://products:4001/graphql@schemas/products.graphql")
    assert source == SubgraphSource(
        "products",
        "http://products:4001/graphql",
        "--subgraph",
        schema=Path("schemas/products.graphql"),
    )


def test_subgraph_flag_without_a_file_fetches_from_the_url() -> None:
    source = parse_subgraph_arg("reviews=https://reviews.example/graphql")
    assert source.schema is None
    assert source.introspect_url == "https://reviews.example/graphql"
    assert source.url == "https://reviews.example/graphql"


def test_subgraph_flag_file_is_what_follows_the_last_at() -> None:
    source = parse_subgraph_arg("a=http://svc@host:1/graphql@schemas/a.graphql")
    assert source.url == "http://svc@host:1/graphql"
    assert source.schema == Path("schemas/a.graphql")
    assert parse_subgraph_arg("a=http://host/x@s.graphql").url == "http://host/x"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("products", "expected NAME=URL@SCHEMA_FILE"),
        ("=http://h/graphql@a.graphql", "expected NAME=URL@SCHEMA_FILE"),
        ("products=", "expected NAME=URL@SCHEMA_FILE"),
        ("products=localhost:4001@a.graphql", "invalid URL 'localhost:4001'"),
        ("products=ftp://h/graphql@a.graphql", "invalid URL 'ftp://h/graphql'"),
        ("products=http://h:99999/graphql@a.graphql", "invalid URL"),
        ("products=http://h/graphql@", "no schema file after '@'"),
        ("my products=http://h/graphql@a.graphql", "must be non-empty, without spaces"),
    ],
)
def test_bad_subgraph_flags(value: str, expected: str) -> None:
    with pytest.raises(SourceError) as excinfo:
        parse_subgraph_arg(value)
    assert len(_problems(excinfo)) == 1
    assert expected in _problems(excinfo)[0]


# Config file ------------------------------------------------------------------------------


def test_config_schema_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "conf" / "brand-matrix.toml"
    config.parent.mkdir()
    config.write_text(
        """
[subgraphs.products]
url = "http://products:4001/graphql"
schema = "../sdl/products.graphql"

[subgraphs.reviews]
url = "http://reviews:4002/graphql"
introspect = true

[subgraphs.inventory]
url = "http://inventory:4003/graphql"
introspect = "http://127.0.0.1:9999/graphql"
"""
    )
    products, reviews, inventory = load_config(config)
    assert products.name == "products"
    assert products.schema == config.parent / "../sdl/products.graphql"
    assert products.introspect_url is None
    assert reviews.schema is None
    assert reviews.introspect_url == "http://reviews:4002/graphql"
    assert inventory.url == "http://inventory:4003/graphql"
    assert inventory.introspect_url == "http://127.0.0.1:9999/graphql"
    assert products.origin == str(config)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '[subgraphs.a]\nurl = "http://a/graphql"\nschema = "a.graphql"\nrouting = "x"\n',
            ["subgraphs.a: unknown key 'routing' (expected: url, schema, introspect)"],
        ),
        (
            'version = 2\n[subgraphs.a]\nurl = "http://a/graphql"\nschema = "a.graphql"\n',
            ["unknown key 'version' (expected: subgraphs, partitions, brands, gateway,"],
        ),
        ('[subgraphs.a]\nschema = "a.graphql"\n', ["subgraphs.a.url is missing"]),
        (
            '[subgraphs.a]\nurl = 4001\nschema = "a.graphql"\n',
            ["subgraphs.a.url must be a string, got an integer"],
        ),
        (
            '[subgraphs.a]\nurl = "a:4001"\nschema = "a.graphql"\n',
            ["subgraphs.a.url: invalid URL 'a:4001'"],
        ),
        (
            '[subgraphs.a]\nurl = "http://a/graphql"\nschema = ["a.graphql"]\n',
            ["subgraphs.a.schema must be a file path string, got an array"],
        ),
        (
            '[subgraphs.a]\nurl = "http://a/graphql"\nschema = " "\n',
            ["subgraphs.a.schema is empty"],
        ),
        (
            '[subgraphs.a]\nurl = "http://a/graphql"\nintrospect = "yes"\n',
            ["subgraphs.a.introspect: invalid URL 'yes'"],
        ),
        (
            '[subgraphs.a]\nurl = "http://a/graphql"\nintrospect = 1\n',
            ["subgraphs.a.introspect must be true, false or a URL, got an integer"],
        ),
        (
            '[subgraphs.a]\nurl = "http://a/graphql"\nschema = "a.graphql"\nintrospect = true\n',
            ["subgraphs.a: give either schema or introspect, not both"],
        ),
        (
            '[subgraphs.a]\nurl = "http://a/graphql"\nintrospect = false\n',
            ['subgraphs.a: no SDL source; set schema = "FILE" or introspect = true'],
        ),
        ('[subgraphs]\na = "http://a/graphql"\n', ["subgraphs.a must be a table"]),
        ('subgraphs = "a"\n', ["'subgraphs' must be a table of [subgraphs.NAME] tables"]),
        ("[subgraphs]\n", ["[subgraphs] has no subgraph"]),
        ('title = "x"\n', ["unknown key 'title'", "no [subgraphs.NAME] tables"]),
        (
            '[subgraphs."my products"]\nurl = "http://a/graphql"\nschema = "a.graphql"\n',
            ["subgraph name 'my products' must be non-empty, without spaces"],
        ),
    ],
)
def test_bad_config_values_name_the_key(tmp_path: Path, body: str, expected: list[str]) -> None:
    config = tmp_path / "brand-matrix.toml"
    config.write_text(body)
    with pytest.raises(SourceError) as excinfo:
        load_config(config)
    problems = _problems(excinfo)
    assert len(problems) == len(expected), problems
    for problem, text in zip(problems, expected, strict=True):
        assert problem.startswith(f"{config}: "), problem
        assert text in problem


def test_every_bad_subgraph_in_a_config_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        '[subgraphs.a]\nurl = "http://a/graphql"\nschem = "a.graphql"\n'
        '[subgraphs.b]\nurl = true\nschema = "b.graphql"\n'
    )
    with pytest.raises(SourceError) as excinfo:
        load_config(config)
    joined = "\n".join(_problems(excinfo))
    assert "subgraphs.a: unknown key 'schem'" in joined
    assert "subgraphs.a: no SDL source" in joined
    assert "subgraphs.b.url must be a string, got a boolean" in joined


def test_unreadable_configs(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"cannot read config file .*missing.toml: No such file"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(SourceError, match=r"cannot read config file .*: Is a directory"):
        load_config(tmp_path)
    broken = tmp_path / "broken.toml"
    broken.write_text("[subgraphs.a\nurl = 1\n")
    with pytest.raises(SourceError, match=r"broken.toml is not valid TOML: .*line 1"):
        load_config(broken)
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'# caf\xe9\n[subgraphs.a]\nurl = "http://a/graphql"\n')
    with pytest.raises(SourceError, match=r"latin1\.toml: not UTF-8 text"):
        load_config(latin1)


def test_duplicate_table_in_a_config_is_a_toml_error(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        '[subgraphs.a]\nurl = "http://a/graphql"\nschema = "a.graphql"\n'
        '[subgraphs.a]\nurl = "http://b/graphql"\nschema = "b.graphql"\n'
    )
    with pytest.raises(SourceError, match="is not valid TOML"):
        load_config(config)


# Combining flags and config ---------------------------------------------------------------


def test_flags_add_to_the_config_and_replace_same_named_subgraphs() -> None:
    config = [
        SubgraphSource("a", "http://a/graphql", "c.toml", schema=Path("a.graphql")),
        SubgraphSource("b", "http://b/graphql", "c.toml", schema=Path("b.graphql")),
    ]
    flags = [
        parse_subgraph_arg("b=http://localhost:4002/graphql@local/b.graphql"),
        parse_subgraph_arg("c=http://c/graphql@c.graphql"),
    ]
    merged = merge_sources(config, flags)
    assert [(s.name, s.url, s.origin) for s in merged] == [
        ("a", "http://a/graphql", "c.toml"),
        ("b", "http://localhost:4002/graphql", "--subgraph"),
        ("c", "http://c/graphql", "--subgraph"),
    ]


def test_the_same_name_twice_on_the_command_line_is_an_error() -> None:
    flags = [
        parse_subgraph_arg("a=http://a/graphql@a.graphql"),
        parse_subgraph_arg("a=http://a2/graphql@a2.graphql"),
    ]
    with pytest.raises(SourceError, match="subgraph name 'a' is given twice with --subgraph"):
        merge_sources([], flags)


# Reading the SDLs ---------------------------------------------------------------------------


def test_load_inputs_reads_files(tmp_path: Path) -> None:
    (tmp_path / "a.graphql").write_text(SDL)
    source = SubgraphSource("a", "http://a/graphql", "--subgraph", schema=tmp_path / "a.graphql")
    assert load_inputs([source]) == [SubgraphInput("a", "http://a/graphql", SDL)]


def test_load_inputs_reports_every_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "bad.graphql").write_bytes(b"type Query { caf\xe9: String }")
    sources = [
        SubgraphSource("a", "http://a/graphql", "x", schema=tmp_path / "missing.graphql"),
        SubgraphSource("b", "http://b/graphql", "x", schema=tmp_path / "bad.graphql"),
        SubgraphSource("c", "http://c/graphql", "x", schema=tmp_path),
    ]
    with pytest.raises(SourceError) as excinfo:
        load_inputs(sources)
    assert _problems(excinfo) == [
        f"subgraph a: cannot read schema file {tmp_path / 'missing.graphql'}: "
        "No such file or directory",
        f"subgraph b: cannot read schema file {tmp_path / 'bad.graphql'}: not UTF-8 text",
        f"subgraph c: cannot read schema file {tmp_path}: Is a directory",
    ]


def test_load_inputs_needs_a_subgraph() -> None:
    with pytest.raises(SourceError, match="no subgraphs to compose"):
        load_inputs([])


# Live subgraphs -----------------------------------------------------------------------------


def test_fetches_the_sdl_each_subgraph_serves(live: str) -> None:
    sdls, problems = fetch_sdls(
        [("products", f"{live}/products"), ("reviews", f"{live}/reviews")], timeout=5
    )
    assert problems == []
    schemas = strawberry_shop.schemas()
    assert sdls == {name: strawberry_shop.service_sdl(schemas[name]) for name in schemas}
    assert '@link(url: "https://specs.apollo.dev/federation/v2.9"' in sdls["products"]


async def test_fetches_from_inside_an_event_loop(live: str) -> None:
    sdls, problems = await fetch_sdls_async([("products", f"{live}/products")], timeout=5)
    assert problems == [] and "topProducts" in sdls["products"]


def test_load_inputs_mixes_files_and_live_subgraphs(live: str, tmp_path: Path) -> None:
    (tmp_path / "a.graphql").write_text(SDL)
    sources = [
        SubgraphSource("a", "http://a/graphql", "x", schema=tmp_path / "a.graphql"),
        SubgraphSource(
            "products", "http://products/graphql", "x", introspect_url=f"{live}/products"
        ),
    ]
    a, products = load_inputs(sources, timeout=5)
    assert a == SubgraphInput("a", "http://a/graphql", SDL)
    assert products.url == "http://products/graphql"  # the routing URL, not where it was fetched
    assert "type Product @key" in products.sdl


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/not-federation",
            "the subgraph answered with errors (HTTP 200 OK): Cannot query field '_service' on "
            "type 'PlainQuery'. (is it a federation subgraph serving _service { sdl }?)",
        ),
        (
            "/html",
            "the answer is not a GraphQL response (HTTP 200 OK, text/html): "
            "<html><body><h1>Welcome to nginx!</h1></body></html>",
        ),
        (
            "/broken",
            "the answer is not a GraphQL response (HTTP 500 Internal Server Error, text/plain): "
            "upstream exploded",
        ),
        ("/empty-sdl", 'the answer has no data._service.sdl string: {"data":{"_service":null}}'),
        ("/slow", "no answer within 0.3s"),
        ("/nowhere", "the answer is not a GraphQL response (HTTP 404 Not Found, text/plain)"),
    ],
)
def test_live_subgraph_failures_are_one_line_each(live: str, path: str, expected: str) -> None:
    sdls, problems = fetch_sdls([("products", f"{live}{path}")], timeout=0.3)
    assert sdls == {}
    assert len(problems) == 1
    assert problems[0].startswith(f"subgraph products: cannot fetch its schema from {live}{path}: ")
    assert expected in problems[0]
    assert "\n" not in problems[0]


def test_unreachable_subgraph() -> None:
    with refusing_url() as url:
        sdls, problems = fetch_sdls([("reviews", url)], timeout=5)
    assert sdls == {}
    assert problems == [
        f"subgraph reviews: cannot fetch its schema from {url}: cannot connect: connection refused"
    ]


def test_every_failing_live_subgraph_is_reported_and_the_rest_fetched(live: str) -> None:
    with refusing_url() as url:
        sdls, problems = fetch_sdls(
            [("a", url), ("products", f"{live}/products"), ("b", f"{live}/html")], timeout=5
        )
    assert list(sdls) == ["products"]
    assert [p.split(":")[0] for p in problems] == ["subgraph a", "subgraph b"]
