"""`brand-matrix new-subgraph`: a generated subgraph passes its own tests (SQLite and
PostgreSQL), composes with the repository's subgraphs, joins the dev stack, and bad names are
refused in one line. Everything is generated into a copy of the repository under tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gateway.cli import main
from gateway.composition import SubgraphInput, compose
from gateway.scaffold import ScaffoldError, scaffold
from gateway.scaffold.names import NameProblem, check_schema_names
from gateway.scaffold.render import TemplateError, names, render

ROOT = Path(__file__).resolve().parents[2]
COPIED = ["gateway", "subgraphs", "tokenkeys", "schema", "pyproject.toml"]
TEST_SUPPORT = ["__init__.py", "postgres.py", "subgraphs/__init__.py", "subgraphs/common"]
IGNORED = shutil.ignore_patterns("__pycache__", "*.db", ".pytest_cache")


def copy_repository(target: Path) -> Path:
    """The source, schemas and the shared test fixtures: what a generated subgraph needs."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=IGNORED)
        else:
            shutil.copy2(source, target / name)
    for name in TEST_SUPPORT:
        source, dest = ROOT / "tests" / name, target / "tests" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, ignore=IGNORED)
        else:
            shutil.copy2(source, dest)
    return target


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return copy_repository(tmp_path_factory.mktemp("repo"))


def run(root: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """A Python subprocess in the copy: its `subgraphs` package, not the installed one."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=timeout
    )


def compose_repository(root: Path):
    sources = [
        SubgraphInput(p.stem, f"http://{p.stem}/graphql", p.read_text(encoding="utf-8"))
        for p in sorted((root / "schema").glob("*.graphql"))
        if p.name not in ("supergraph.graphql", "api.graphql")
    ]
    return compose(sources)


@pytest.mark.parametrize(
    ("name", "brand_owned", "passed"), [("gift_cards", False, 16), ("look_book", True, 18)]
)
def test_a_generated_subgraph_passes_its_tests_and_composes(
    repo, capsys, name, brand_owned, passed
):
    argv = ["new-subgraph", name, "--dir", str(repo)] + (["--brand-owned"] if brand_owned else [])
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"created subgraphs/{name}/schema.py" in out and "brand-matrix compose" in out
    package = repo / "subgraphs" / name
    for file in ("__init__", "models", "service", "loaders", "schema", "app", "print_schema"):
        assert (package / f"{file}.py").is_file(), file
    assert (package / "seed.py").is_file()
    assert (package / "migrations" / "versions" / f"0001_{name}.py").is_file()
    assert f'VERSION_TABLE = "alembic_version_{name}"' in (package / "app.py").read_text()
    for file in ("conftest", "test_schema", "test_queries", "test_migrations"):
        assert (repo / "tests" / "subgraphs" / name / f"{file}.py").is_file(), file

    pascal = names(name)["Name"]
    sdl = (repo / "schema" / f"{name}.graphql").read_text()
    assert f'type {pascal}Item @key(fields: "id")' in sdl
    assert f"create{pascal}Item(title: String!" in sdl

    # Its own tests, on SQLite and PostgreSQL, in a fresh interpreter.
    done = run(repo, "-m", "pytest", "-p", "no:cacheprovider", f"tests/subgraphs/{name}")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"{passed} passed" in done.stdout

    result = compose_repository(repo)
    assert result.ok, [e.message for e in result.errors]
    assert f'join__type(graph: {name.upper()}, key: "id")' in result.supergraph_sdl

    created = [str(p) for p in package.rglob("*.py")] + [str(repo / "tests/subgraphs" / name)]
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", *created],
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout
    fmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", *created],
        capture_output=True,
        text=True,
    )
    assert fmt.returncode == 0, fmt.stdout


DEV_CHECK = """
import asyncio, sys, tempfile
from gateway.dev import build_dev_server
from gateway.service import GraphQLRequest
from subgraphs.stack import dev_stack

def tiny(data_dir, brands=None):
    return dev_stack(data_dir, brands or ["lumen"], demo_members=5)

async def main():
    server = build_dev_server(tempfile.mkdtemp(), stack_spec="__main__:tiny")
    await server.stack.prepare()
    await server.stack.start()
    gateway = server.gateway()
    try:
        query = "{ giftCardsItems { id } lookBookItem(id: \\"lumen:ITEM-1001\\") { title } }"
        response = await gateway.execute(GraphQLRequest(query), headers={"x-brand": "lumen"})
        print(response.body)
    finally:
        await gateway.aclose()
        await server.stack.stop()

asyncio.run(main())
"""


def test_generated_subgraphs_join_the_dev_stack(repo):
    """After the two subgraphs above: `brand-matrix dev`'s stack serves them with the rest."""
    if not (repo / "subgraphs" / "look_book").exists():
        pytest.skip("needs test_a_generated_subgraph_passes_its_tests_and_composes first")
    done = run(repo, "-c", DEV_CHECK)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "'giftCardsItems': [{'id': 'ITEM-1003'}" in done.stdout, done.stdout
    assert "'lookBookItem': {'title': 'Welcome to look_book'}" in done.stdout, done.stdout


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("GiftCards", "invalid subgraph name 'GiftCards'"),
        ("gift-cards", "invalid subgraph name"),
        ("1st", "invalid subgraph name"),
        ("gift__cards", "invalid subgraph name"),
        ("class", "subgraph name 'class' is reserved"),
        ("match", "is reserved"),
        ("common", "is reserved"),
        ("stack", "is reserved"),
        ("supergraph", "is reserved"),
        ("order", "subgraph 'order' already exists (subgraphs/order)"),
        ("loyalty", "already exists"),
        ("a" * 31, "longer than 30 characters"),
    ],
)
def test_bad_names_are_one_line_errors_with_exit_2(tmp_path, capsys, name, message):
    repo = copy_repository(tmp_path)
    before = sorted(p for p in repo.rglob("*") if "__pycache__" not in p.parts)
    assert main(["new-subgraph", name, "--dir", str(repo)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("brand-matrix: error: ") and message in err
    assert err.count("\n") == 1
    assert sorted(p for p in repo.rglob("*") if "__pycache__" not in p.parts) == before


def test_a_directory_that_is_not_the_repository_is_refused(tmp_path, capsys):
    assert main(["new-subgraph", "wishlist", "--dir", str(tmp_path)]) == 2
    assert "is not a Brand Matrix repository" in capsys.readouterr().err


def test_existing_files_are_never_overwritten(tmp_path, monkeypatch):
    repo = copy_repository(tmp_path)
    monkeypatch.setattr("gateway.scaffold.check_repository", lambda root, name: None)
    mine = repo / "tests" / "subgraphs" / "wishlist" / "conftest.py"
    mine.parent.mkdir(parents=True)
    mine.write_text("# mine\n")
    with pytest.raises(ScaffoldError, match=r"conftest\.py already exists; nothing written"):
        scaffold("wishlist", root=repo, print_schema=False)
    assert mine.read_text() == "# mine\n"
    assert not (repo / "subgraphs" / "wishlist").exists()


def test_names_another_subgraph_already_uses_in_the_schema_are_refused(tmp_path):
    (tmp_path / "schema").mkdir()
    one, two = tmp_path / "schema" / "one.graphql", tmp_path / "schema" / "two.graphql"
    one.write_text("type WishlistItem { id: ID! }\ntype Query { a: Int }")
    two.write_text("type Query { wishlistItems: [Int] }")
    with pytest.raises(NameProblem, match="type WishlistItem already exists in schema/one"):
        check_schema_names(tmp_path, {"WishlistItem"}, set())
    with pytest.raises(NameProblem, match=r"Query.wishlistItems already exists in schema/two"):
        check_schema_names(tmp_path, set(), {"wishlistItems"})
    check_schema_names(tmp_path, {"Other"}, {"other"})


def test_rendering_keeps_the_lines_of_the_deployment_kind():
    text = "a {{name}}\nb  #@brand\nc  #@central\n${mako}\n"
    values = names("gift_cards")
    assert render(text, values, brand_owned=True) == "a gift_cards\nb\n${mako}\n"
    assert render(text, values, brand_owned=False) == "a gift_cards\nc\n${mako}\n"
    assert values == {
        "name": "gift_cards",
        "Name": "GiftCards",
        "camel": "giftCards",
        "NAME": "GIFT_CARDS",
    }
    with pytest.raises(TemplateError, match="unknown template placeholder"):
        render("{{nope}}", values, brand_owned=False)
