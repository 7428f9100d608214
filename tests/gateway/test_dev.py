"""`brand-matrix dev`: the stack composes, serves, and takes a new brand while running."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from gateway.dev import BrandWatcher, DevError, build_dev_server
from gateway.service import GraphQLRequest

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
    await server.stack.settle()  # vela's SKUs reach the order subgraph's replica
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


# --- reloading (gateway/dev_reload.py, gateway/dev_check.py) -----------------------------


class FakeChild:
    def __init__(self, number: int) -> None:
        self.number = number
        self.code: int | None = None
        self.stopped = False

    def poll(self) -> int | None:
        return self.code

    def stop(self) -> None:
        self.stopped = True


class Scene:
    """A Reloader over a fake file tree, check and children."""

    def __init__(self, check_ok: bool = True) -> None:
        from gateway.dev_reload import CheckResult, Reloader

        self.files: dict[str, tuple[int, int]] = {"a.py": (1, 1)}
        self.result = CheckResult(check_ok, "" if check_ok else "INVALID_FIELD_SHARING: boom")
        self.checks = 0
        self.children: list[FakeChild] = []
        self.firsts: list[bool] = []
        self.reloader = Reloader(
            take_snapshot=lambda: dict(self.files), check=self._check, start=self._start
        )
        self.reloader.begin()

    def _check(self):
        self.checks += 1
        return self.result

    def _start(self, first: bool) -> FakeChild:
        self.firsts.append(first)
        self.children.append(FakeChild(len(self.children)))
        return self.children[-1]

    def edit(self, name: str = "a.py") -> None:
        mtime, size = self.files.get(name, (0, 0))
        self.files[name] = (mtime + 1, size)


def test_a_change_restarts_once_the_files_settle() -> None:
    scene = Scene()
    assert scene.reloader.step() == "idle"
    scene.edit()
    assert scene.reloader.step() == "settling"
    scene.edit()  # saved again: still settling
    assert scene.reloader.step() == "settling"
    assert scene.reloader.step() == "restarted"
    assert scene.children[0].stopped and not scene.children[1].stopped
    assert scene.firsts == [True, False]  # --reset only for the first child
    assert scene.reloader.step() == "idle" and scene.checks == 1


def test_a_version_that_fails_its_check_leaves_the_running_one(capsys) -> None:
    scene = Scene(check_ok=False)
    scene.edit()
    scene.reloader.step()
    assert scene.reloader.step() == "kept"
    assert not scene.children[0].stopped and len(scene.children) == 1
    err = capsys.readouterr().err
    assert "the running version keeps serving" in err and "INVALID_FIELD_SHARING: boom" in err
    assert scene.reloader.step() == "idle" and scene.checks == 1  # not re-checked until edited
    from gateway.dev_reload import CheckResult

    scene.result = CheckResult(True)  # fixed
    scene.edit()
    scene.reloader.step()
    assert scene.reloader.step() == "restarted" and scene.children[0].stopped


def test_the_first_child_ending_ends_dev_and_a_later_one_waits_for_a_change(capsys) -> None:
    scene = Scene()
    scene.children[0].code = 2  # e.g. a bad --stack: dev exits with its code
    assert scene.reloader.step() == "exit" and scene.reloader.exit_code == 2

    scene = Scene()
    scene.edit()
    scene.reloader.step()
    assert scene.reloader.step() == "restarted"
    scene.children[1].code = 1  # the new version crashed after its check passed
    assert scene.reloader.step() == "exited"
    assert "waiting for a change" in capsys.readouterr().err
    assert scene.reloader.step() == "idle"
    scene.edit("b.py")  # a new file counts as a change
    scene.reloader.step()
    assert scene.reloader.step() == "restarted" and len(scene.children) == 3


def test_the_watched_files_are_the_stack_package_and_its_schema_dir(tmp_path) -> None:
    from gateway.dev_reload import changed, snapshot, watch_roots

    package, schema = watch_roots("subgraphs.stack:dev_stack")
    assert package == Path(__file__).resolve().parents[2] / "subgraphs"
    assert schema == package.parent / "schema"
    assert watch_roots("no_such_package_xyz.mod:f") == []

    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "__pycache__" / "a.py").write_text("")
    (tmp_path / "pkg" / "notes.txt").write_text("")
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "a.graphql").write_text("type Query { a: Int }\n")
    (tmp_path / "schema" / "supergraph.graphql").write_text("")
    roots = [tmp_path / "pkg", tmp_path / "schema"]
    before = snapshot(roots)
    assert sorted(Path(p).name for p in before) == ["a.graphql", "a.py"]
    (tmp_path / "schema" / "a.graphql").write_text("type Query { a: Int b: Int }\n")
    assert changed(before, snapshot(roots)) == [str(tmp_path / "schema" / "a.graphql")]


def test_children_get_the_same_options_and_reset_only_once() -> None:
    from gateway.dev_reload import DevOptions, check_argv, child_argv

    options = DevOptions(
        "d", "0.0.0.0", 4100, ["lumen"], "m:f", reset=True, log_level="info", config="c.toml"
    )
    first = child_argv(options, first=True)
    assert first[1:5] == ["-m", "gateway.cli", "dev", "--no-reload"]
    assert "--reset" in first and "--reset" not in child_argv(options, first=False)
    assert first[first.index("--port") + 1] == "4100" and "--brands" in first
    assert check_argv(options)[1:] == [
        "-m",
        "gateway.dev_check",
        "--stack",
        "m:f",
        "--brands",
        "lumen",
    ]


def test_the_check_reports_composition_errors_and_syntax_errors(tmp_path, monkeypatch) -> None:
    from gateway.dev_check import main, problems

    assert problems(f"{__name__}:uncomposable", None)[0].startswith("FIELD_TYPE_MISMATCH: ")
    (tmp_path / "broken_stack_xyz.py").write_text("def f(:\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = problems("broken_stack_xyz:f", None)
    assert "broken_stack_xyz.py" in found[0] and "SyntaxError" in found[0]
    assert main(["--stack", f"{__name__}:two_brands", "--brands", "lumen"]) == 0


TINY_STACK = """
import importlib.util

import strawberry
from strawberry.asgi import GraphQL


class Tiny:
    brands = ["lumen"]
    partition_apps = {}

    def __init__(self):
        from tinydev import hello

        self.central_apps = {"hello": GraphQL(hello.schema)}
        self._sdls = {"hello": hello.schema.as_str()}
        if importlib.util.find_spec("tinydev.other"):  # written by the test to clash
            from tinydev import other

            self.central_apps["other"] = GraphQL(other.schema)
            self._sdls["other"] = other.schema.as_str()

    def sdls(self):
        return self._sdls

    async def prepare(self):
        return False

    async def start(self):
        pass

    async def stop(self):
        pass


def make(data_dir, brands=None):
    return Tiny()
"""

HELLO = """
import strawberry


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "{version}"
{extra}

schema = strawberry.federation.Schema(query=Query, federation_version="2.9")
"""


ADDED = """
    @strawberry.field
    def added(self) -> int:
        return 7
"""


def _write_hello(package: Path, version: str, extra: str = "") -> None:
    (package / "hello.py").write_text(HELLO.format(version=version, extra=extra))


def _ask(port: int, query: str) -> dict[str, Any] | None:
    import json
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return None


def _until(predicate: Any, process: Any, timeout: float = 60.0) -> Any:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"dev exited with {process.returncode}"
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_dev_restarts_on_a_change_and_keeps_serving_through_broken_ones(tmp_path) -> None:
    """A real `brand-matrix dev` over a tiny stack package: an edit is served after a
    restart; a syntax error and a change that does not compose are printed while the
    previous version keeps answering."""
    import os
    import signal
    import socket
    import subprocess
    import sys

    package = tmp_path / "tinydev"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "stack.py").write_text(TINY_STACK)
    _write_hello(package, "v1")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "dev.log"
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    argv = [sys.executable, "-m", "gateway.cli", "dev", "--stack", "tinydev.stack:make"]
    argv += ["--data-dir", str(tmp_path / "data"), "--port", str(port), "--log-level", "warning"]
    with log.open("w") as out:
        process = subprocess.Popen(
            argv, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        hello = lambda: (_ask(port, "{ hello }") or {}).get("data")  # noqa: E731
        assert _until(hello, process) == {"hello": "v1"}

        _write_hello(package, "v2", ADDED)
        added = lambda: (_ask(port, "{ hello added }") or {}).get("data")  # noqa: E731
        assert _until(added, process) == {
            "hello": "v2",
            "added": 7,
        }

        (package / "hello.py").write_text("def broken(:\n")
        _until(lambda: "SyntaxError" in log.read_text(), process)
        assert hello() == {"hello": "v2"}  # the previous version still answers

        _write_hello(package, "v3")
        clash = HELLO.format(version="", extra="").replace(
            '-> str:\n        return ""', "-> int:\n        return 1"
        )
        (package / "other.py").write_text(clash)  # Query.hello: Int here, String in hello.py
        _until(lambda: "FIELD_TYPE_MISMATCH" in log.read_text(), process)
        assert hello() == {"hello": "v2"}
        assert "the running version keeps serving" in log.read_text()
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: supervisor and child
        assert process.wait(timeout=30) == 130
    assert _ask(port, "{ hello }") is None  # the child is gone too
