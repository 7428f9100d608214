"""`brand-matrix compose`: inputs from files, a config file and live subgraphs; outputs written
atomically and only on success; errors, exit codes, `--format json` and `--check`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gateway import cli
from gateway.composition import SubgraphInput, compose
from gateway.composition.api_printer import print_api_schema
from tests.gateway.composition import strawberry_shop
from tests.gateway.composition.live_subgraphs import refusing_url, serve

PRODUCTS_URL = "http://products:4001/graphql"
REVIEWS_URL = "http://reviews:4002/graphql"
LINK = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", '
    'import: ["@key", "@shareable"])\n'
)
# Two subgraphs that do not fit: Store.area has two types, and Store.name is not shareable.
STORES_A = LINK + (
    'type Query { store: Store }\ntype Store @key(fields: "id") { id: ID! area: Int name: String }'
)
STORES_B = LINK + (
    "type Query { stores: [Store] }\n"
    'type Store @key(fields: "id") { id: ID! area: String name: String }'
)


@pytest.fixture(scope="module")
def live() -> Iterator[str]:
    with serve() as base_url:
        yield base_url


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current directory for the command, with the shop's SDL files under sdl/."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sdl").mkdir()
    for name, schema in strawberry_shop.schemas().items():
        (tmp_path / "sdl" / f"{name}.graphql").write_text(strawberry_shop.service_sdl(schema))
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["compose", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def shop_supergraph(products_url: str = PRODUCTS_URL, reviews_url: str = REVIEWS_URL) -> str:
    schemas = strawberry_shop.schemas()
    result = compose(
        [
            SubgraphInput(
                "products", products_url, strawberry_shop.service_sdl(schemas["products"])
            ),
            SubgraphInput("reviews", reviews_url, strawberry_shop.service_sdl(schemas["reviews"])),
        ]
    )
    assert result.supergraph_sdl is not None
    return result.supergraph_sdl.rstrip("\n") + "\n"


FILE_FLAGS = (
    "--subgraph",
    f"products={PRODUCTS_URL}@sdl/products.graphql",
    "--subgraph",
    f"reviews={REVIEWS_URL}@sdl/reviews.graphql",
)


def files_in(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())


# Success ------------------------------------------------------------------------------------


def test_compose_from_files(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *FILE_FLAGS)
    assert code == 0, err
    assert out == ""
    supergraph = (workdir / "schema" / "supergraph.graphql").read_text()
    assert supergraph == shop_supergraph()
    assert (workdir / "schema" / "api.graphql").read_text() == print_api_schema(supergraph)
    assert err.splitlines() == [
        "composed 2 subgraphs (products, reviews)",
        "schema/supergraph.graphql: written",
        "schema/api.graphql: written",
    ]
    assert files_in(workdir / "schema") == ["api.graphql", "supergraph.graphql"]  # no temp files


def test_composing_again_leaves_unchanged_files_alone(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, *FILE_FLAGS)[0] == 0
    supergraph = workdir / "schema" / "supergraph.graphql"
    os.utime(supergraph, (1_000_000, 1_000_000))
    code, _, err = run(capsys, *FILE_FLAGS)
    assert code == 0
    assert "schema/supergraph.graphql: unchanged" in err.splitlines()
    assert supergraph.stat().st_mtime == 1_000_000


def test_out_and_api_out(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *FILE_FLAGS, "--out", "build/graph/super.graphql")
    assert code == 0, err
    assert files_in(workdir / "build") == ["graph/api.graphql", "graph/super.graphql"]
    code, _, err = run(capsys, *FILE_FLAGS, "--out", "a/s.graphql", "--api-out", "b/client.graphql")
    assert code == 0, err
    assert (workdir / "b" / "client.graphql").read_text().startswith("type Product {")
    assert not (workdir / "schema").exists()


def test_out_dash_prints_the_supergraph(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *FILE_FLAGS, "--out", "-")
    assert code == 0, err
    assert out == shop_supergraph()
    assert files_in(workdir) == ["sdl/products.graphql", "sdl/reviews.graphql"]
    code, out, _ = run(capsys, *FILE_FLAGS, "--out", "s.graphql", "--api-out", "-")
    assert code == 0
    assert out == print_api_schema(shop_supergraph())


def test_compose_from_a_config_with_relative_paths(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = workdir / "deploy" / "graph.toml"
    config.parent.mkdir()
    config.write_text(
        f'[subgraphs.products]\nurl = "{PRODUCTS_URL}"\nschema = "../sdl/products.graphql"\n\n'
        f'[subgraphs.reviews]\nurl = "{REVIEWS_URL}"\nschema = "../sdl/reviews.graphql"\n'
    )
    elsewhere = workdir / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, _, err = run(capsys, "--config", "../deploy/graph.toml", "--out", "out/s.graphql")
    assert code == 0, err
    assert (elsewhere / "out" / "s.graphql").read_text() == shop_supergraph()


def test_brand_matrix_toml_is_the_default_config(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "brand-matrix.toml").write_text(
        f'[subgraphs.products]\nurl = "{PRODUCTS_URL}"\nschema = "sdl/products.graphql"\n\n'
        f'[subgraphs.reviews]\nurl = "{REVIEWS_URL}"\nschema = "sdl/reviews.graphql"\n'
    )
    code, _, err = run(capsys)
    assert code == 0, err
    assert (workdir / "schema" / "supergraph.graphql").read_text() == shop_supergraph()


def test_subgraph_flag_replaces_the_config_entry_of_that_name(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = workdir / "c.toml"
    config.write_text(
        f'[subgraphs.products]\nurl = "{PRODUCTS_URL}"\nschema = "sdl/products.graphql"\n\n'
        f'[subgraphs.reviews]\nurl = "{REVIEWS_URL}"\nschema = "missing.graphql"\n'
    )
    local = "http://localhost:4002/graphql"
    args = ("--config", "c.toml", "--subgraph", f"reviews={local}@sdl/reviews.graphql")
    code, out, err = run(capsys, *args, "--out", "-")
    assert code == 0, err
    assert out == shop_supergraph(reviews_url=local)


def test_compose_from_live_subgraphs(
    workdir: Path, live: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "brand-matrix.toml").write_text(
        f'[subgraphs.products]\nurl = "{PRODUCTS_URL}"\nintrospect = "{live}/products"\n\n'
        f'[subgraphs.reviews]\nurl = "{live}/reviews"\nintrospect = true\n'
    )
    code, _, err = run(capsys)
    assert code == 0, err
    expected = shop_supergraph(reviews_url=f"{live}/reviews")
    assert (workdir / "schema" / "supergraph.graphql").read_text() == expected
    # NAME=URL (no file) fetches from URL too.
    code, _, err = run(
        capsys, "--subgraph", f"products={live}/products", "--subgraph", f"reviews={live}/reviews"
    )
    assert code == 0, err
    assert (workdir / "schema" / "supergraph.graphql").read_text() == shop_supergraph(
        f"{live}/products", f"{live}/reviews"
    )


# Inputs that cannot be read: exit 2, one line each, nothing written ---------------------------


@pytest.mark.parametrize(
    ("args", "config", "expected"),
    [
        (
            ("--subgraph", "products=http://p/graphql@sdl/nope.graphql"),
            None,
            ["subgraph products: cannot read schema file sdl/nope.graphql: No such file"],
        ),
        (("--config", "nope.toml"), None, ["cannot read config file nope.toml: No such file"]),
        (("--config", "c.toml"), "[subgraphs.products\n", ["c.toml is not valid TOML"]),
        (
            ("--config", "c.toml"),
            '[subgraphs.products]\nurl = "http://p/graphql"\nschema = "sdl/products.graphql"\n'
            "timeout = 3\n",
            ["c.toml: subgraphs.products: unknown key 'timeout'"],
        ),
        (
            ("--config", "c.toml"),
            '[subgraphs.products]\nurl = "p:4001"\nschema = "sdl/products.graphql"\n',
            ["c.toml: subgraphs.products.url: invalid URL 'p:4001'"],
        ),
        (
            (*FILE_FLAGS, "--subgraph", f"products={PRODUCTS_URL}@sdl/reviews.graphql"),
            None,
            ["subgraph name 'products' is given twice with --subgraph"],
        ),
        (
            ("--subgraph", "products", "--subgraph", "reviews=x@y"),
            None,
            [
                "--subgraph 'products': expected NAME=URL@SCHEMA_FILE",
                "--subgraph reviews: invalid URL 'x'",
            ],
        ),
        ((), None, ["no subgraphs: give --subgraph NAME=URL@SCHEMA_FILE, --config FILE"]),
        ((*FILE_FLAGS, "--check", "--out", "-"), None, ["--check compares files"]),
        ((*FILE_FLAGS, "--format", "json", "--out", "-"), None, ["--format json prints"]),
        ((*FILE_FLAGS, "--out", "a.graphql", "--api-out", "a.graphql"), None, ["are the same"]),
        ((*FILE_FLAGS, "--out", "sdl"), None, ["the supergraph output sdl is a directory"]),
    ],
)
def test_bad_inputs(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    config: str | None,
    expected: list[str],
) -> None:
    if config is not None:
        (workdir / "c.toml").write_text(config)
    before = files_in(workdir)
    code, out, err = run(capsys, *args)
    assert code == 2
    if "json" not in args:
        assert out == ""
    lines = err.splitlines()
    assert len(lines) == len(expected), err
    for line, text in zip(lines, expected, strict=True):
        assert line.startswith("brand-matrix: error: ")
        assert text in line, line
    assert files_in(workdir) == before


def test_unreachable_and_non_graphql_subgraphs(
    workdir: Path, live: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with refusing_url() as gone:
        code, out, err = run(
            capsys,
            "--subgraph",
            f"products={gone}",
            "--subgraph",
            f"reviews={live}/html",
            "--subgraph",
            f"inventory={live}/slow",
            "--timeout",
            "0.3",
        )
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        f"brand-matrix: error: subgraph products: cannot fetch its schema from {gone}: "
        "cannot connect: connection refused",
        f"brand-matrix: error: subgraph reviews: cannot fetch its schema from {live}/html: "
        "the answer is not a GraphQL response (HTTP 200 OK, text/html): "
        "<html><body><h1>Welcome to nginx!</h1></body></html>",
        f"brand-matrix: error: subgraph inventory: cannot fetch its schema from {live}/slow: "
        "no answer within 0.3s",
    ]
    assert not (workdir / "schema").exists()


def test_bad_timeout_is_a_usage_error(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *FILE_FLAGS, "--timeout", "0")
    assert code == 2
    assert "--timeout: must be greater than 0" in err


# Composition errors: exit 1, every error printed, nothing written ------------------------------


def test_sdl_that_does_not_parse(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "sdl" / "broken.graphql").write_text("type Query {\n  name: String\n")
    code, out, err = run(
        capsys,
        "--subgraph",
        f"products={PRODUCTS_URL}@sdl/products.graphql",
        "--subgraph",
        "broken=http://broken/graphql@sdl/broken.graphql",
    )
    assert code == 1
    assert out == ""
    assert "error[INVALID_GRAPHQL] (subgraph broken): [broken] the schema does not parse" in err
    assert "  fix: " in err
    assert err.splitlines()[-1] == "composition failed with 1 error; nothing written"
    assert not (workdir / "schema").exists()


def test_composition_errors_name_rule_subgraphs_field_and_fix(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "sdl" / "a.graphql").write_text(STORES_A)
    (workdir / "sdl" / "b.graphql").write_text(STORES_B)
    (workdir / "schema").mkdir()
    (workdir / "schema" / "supergraph.graphql").write_text("# the last good supergraph\n")
    code, out, err = run(
        capsys,
        "--subgraph",
        "a=http://a/graphql@sdl/a.graphql",
        "--subgraph",
        "b=http://b/graphql@sdl/b.graphql",
    )
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert any(
        line.startswith("error[FIELD_TYPE_MISMATCH] Store.area (subgraphs a, b): ")
        and '"Int" in subgraph "a"' in line
        for line in lines
    ), err
    assert any(
        line.startswith("error[INVALID_FIELD_SHARING] Store.name (subgraphs a, b): ")
        for line in lines
    ), err
    errors = [line for line in lines if line.startswith("error[")]
    fixes = [line for line in lines if line.startswith("  fix: ")]
    assert len(fixes) == len(errors) >= 2
    assert lines[-1] == f"composition failed with {len(errors)} errors; nothing written"
    assert (workdir / "schema" / "supergraph.graphql").read_text() == "# the last good supergraph\n"
    assert files_in(workdir / "schema") == ["supergraph.graphql"]


def test_json_report_of_a_failure(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "sdl" / "a.graphql").write_text(STORES_A)
    (workdir / "sdl" / "b.graphql").write_text(STORES_B)
    code, out, err = run(
        capsys,
        "--subgraph",
        "a=http://a/graphql@sdl/a.graphql",
        "--subgraph",
        "b=http://b/graphql@sdl/b.graphql",
        "--format",
        "json",
    )
    assert code == 1
    assert err == ""
    report = json.loads(out)
    assert report["ok"] is False
    assert [s["name"] for s in report["subgraphs"]] == ["a", "b"]
    mismatch = next(e for e in report["errors"] if e["code"] == "FIELD_TYPE_MISMATCH")
    assert mismatch["subgraphs"] == ["a", "b"]
    assert (mismatch["type"], mismatch["field"]) == ("Store", "area")
    assert mismatch["message"] and mismatch["hint"]
    assert "outputs" not in report
    assert not (workdir / "schema").exists()


def test_json_report_of_a_success(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *FILE_FLAGS, "--format", "json")
    assert code == 0
    assert err == ""
    report = json.loads(out)
    assert report == {
        "ok": True,
        "check": False,
        "subgraphs": [
            {
                "name": "products",
                "url": PRODUCTS_URL,
                "declared_in": "--subgraph",
                "schema": "sdl/products.graphql",
            },
            {
                "name": "reviews",
                "url": REVIEWS_URL,
                "declared_in": "--subgraph",
                "schema": "sdl/reviews.graphql",
            },
        ],
        "errors": [],
        "hints": [],
        "outputs": [
            {"path": "schema/supergraph.graphql", "what": "supergraph", "status": "written"},
            {"path": "schema/api.graphql", "what": "API schema", "status": "written"},
        ],
    }


def test_json_report_of_bad_inputs(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--config", "nope.toml", "--format", "json")
    assert code == 2
    report = json.loads(out)
    assert report["ok"] is False
    assert report["errors"] == [
        {
            "code": "INVALID_INPUT",
            "message": "cannot read config file nope.toml: No such file or directory",
        }
    ]
    assert "nope.toml" in err


# Writes are atomic ------------------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_files_whole(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "schema").mkdir()
    (workdir / "schema" / "supergraph.graphql").write_text("old supergraph\n")
    (workdir / "schema" / "api.graphql").write_text("old api\n")
    real_fsync = os.fsync
    calls: list[int] = []

    def disk_full_on_second_file(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", disk_full_on_second_file)
    code, _, err = run(capsys, *FILE_FLAGS)
    assert code == 2
    assert err == "brand-matrix: error: cannot write schema/api.graphql: No space left on device\n"
    assert (workdir / "schema" / "supergraph.graphql").read_text() == "old supergraph\n"
    assert (workdir / "schema" / "api.graphql").read_text() == "old api\n"
    assert files_in(workdir / "schema") == ["api.graphql", "supergraph.graphql"]


def test_unwritable_output_is_an_input_error(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "blocker").write_text("a file where a directory should be")
    code, _, err = run(capsys, *FILE_FLAGS, "--out", "s.graphql", "--api-out", "blocker/a.graphql")
    assert code == 2
    assert err.startswith("brand-matrix: error: cannot write blocker")
    assert not (workdir / "s.graphql").exists()
    assert [p.name for p in workdir.iterdir() if p.name.startswith(".")] == []


# --check ----------------------------------------------------------------------------------------


def test_check_up_to_date(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, *FILE_FLAGS)[0] == 0
    code, out, err = run(capsys, *FILE_FLAGS, "--check")
    assert code == 0
    assert out == ""
    assert "schema/supergraph.graphql: up to date" in err.splitlines()
    assert "schema/api.graphql: up to date" in err.splitlines()


def test_check_finds_a_stale_supergraph_and_writes_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, *FILE_FLAGS)[0] == 0
    moved = ("--subgraph", "products=http://products:5000/graphql@sdl/products.graphql")
    old = (workdir / "schema" / "supergraph.graphql").read_text()
    code, _, err = run(capsys, *moved, *FILE_FLAGS[2:], "--check")
    assert code == 1
    assert (workdir / "schema" / "supergraph.graphql").read_text() == old
    lines = err.splitlines()
    assert f'-  PRODUCTS @join__graph(name: "products", url: "{PRODUCTS_URL}")' in lines
    assert (
        '+  PRODUCTS @join__graph(name: "products", url: "http://products:5000/graphql")' in lines
    )
    assert (
        "schema/supergraph.graphql: would change (run `brand-matrix compose` to update it)" in lines
    )
    assert "schema/api.graphql: up to date" in lines


def test_check_with_missing_files(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *FILE_FLAGS, "--check", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False and report["check"] is True
    assert [o["status"] for o in report["outputs"]] == ["missing", "missing"]
    assert not (workdir / "schema").exists()


def test_check_fails_on_composition_errors(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "sdl" / "a.graphql").write_text(STORES_A)
    (workdir / "sdl" / "b.graphql").write_text(STORES_B)
    args = ("--subgraph", "a=http://a/graphql@sdl/a.graphql")
    code, _, err = run(capsys, *args, "--subgraph", "b=http://b/graphql@sdl/b.graphql", "--check")
    assert code == 1
    assert "error[FIELD_TYPE_MISMATCH]" in err


# The installed command ---------------------------------------------------------------------------


def test_exit_codes_of_the_real_process(workdir: Path) -> None:
    command = [sys.executable, "-m", "gateway.cli", "compose"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    ok = subprocess.run([*command, *FILE_FLAGS], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [*command, "--config", "nope.toml"], capture_output=True, text=True, env=env
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("brand-matrix: error: cannot read config file nope.toml")
    assert "Traceback" not in bad.stderr
