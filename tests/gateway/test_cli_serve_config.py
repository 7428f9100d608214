"""`brand-matrix serve` with a config file, environment overrides and --workers, and
`brand-matrix config check` (gateway/cli_serve.py, gateway/serve.py)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import orjson
import pytest
from starlette.applications import Starlette

from gateway import cli
from gateway.serve import WORKER_SPEC_ENV
from tests.gateway.reload_federation import supergraph
from tests.gateway.test_cli import _brand_matrix, _free_port, one_error_line

ROOT = Path(__file__).resolve().parents[2]
IN_PROCESS = "tests.gateway.reload_federation:in_process_apps"


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict[str, Any]]]:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: calls.append((app, kwargs)))
    return calls


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "supergraph.graphql").write_text(supergraph())
    path = tmp_path / "gateway.toml"
    path.write_text(
        f'[gateway]\nport = 4400\nin_process = "{IN_PROCESS}"\nlog_level = "warning"\n'
        '[supergraph]\nsource = "supergraph.graphql"\n',
        encoding="utf-8",
    )
    return path


def test_serve_takes_its_settings_from_the_config(
    config: Path, runs: list[tuple[Any, dict[str, Any]]]
) -> None:
    assert cli.main(["serve", "--config", str(config)]) == 0
    [(app, options)] = runs
    inner = app.app  # the observability middleware ([telemetry]) wraps the Starlette app
    assert isinstance(inner, Starlette)
    assert (options["port"], options["workers"], options["log_level"]) == (4400, 1, "warning")
    assert any(getattr(route, "path", "") == "/ready" for route in inner.routes)


def test_environment_and_flags_override_the_config(
    config: Path, runs: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRAND_MATRIX_GATEWAY_PORT", "4500")
    monkeypatch.setenv("BRAND_MATRIX_GATEWAY_HOST", "0.0.0.0")
    assert cli.main(["serve", "--config", str(config), "--host", "127.0.0.2"]) == 0
    [(_, options)] = runs
    assert (options["host"], options["port"]) == ("127.0.0.2", 4500)


def test_config_from_the_environment_variable(
    config: Path, runs: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRAND_MATRIX_CONFIG", str(config))
    assert cli.main(["serve"]) == 0
    assert runs[0][1]["port"] == 4400


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("[gateway]\nport = 'x'\n", {}, "gateway.port must be an integer"),
        ("[gateway]\nbogus = 1\n", {}, "unknown key gateway.bogus"),
        ("", {"BRAND_MATRIX_GATEWAY_WORKERS": "many"}, "BRAND_MATRIX_GATEWAY_WORKERS"),
        ("[telemetry]\nx = 1\n", {}, "unknown key telemetry.x"),
        ("[limits]\nx = 1\n", {}, "unknown key limits.x"),
        ("[limit]\nx = 1\n", {}, "unknown key 'limit'"),
    ],
)
def test_bad_config_exits_2_with_one_line(
    tmp_path: Path,
    text: str,
    env: dict[str, str],
    expected: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    runs: list[tuple[Any, dict[str, Any]]],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "bad.toml"
    path.write_text(text + '[supergraph]\nsource = "s.graphql"\n')
    assert cli.main(["serve", "--config", str(path)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert expected in line and line.startswith("brand-matrix: error: ")
    assert not runs


def test_no_supergraph_anywhere_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], runs: list[Any]
) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("")
    assert cli.main(["serve", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "no supergraph" in err and "Traceback" not in err


def test_workers_run_the_factory_with_the_spec_in_the_environment(
    config: Path, runs: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(WORKER_SPEC_ENV, raising=False)
    assert cli.main(["serve", "--config", str(config), "--workers", "3", "--port", "4600"]) == 0
    [(target, options)] = runs
    assert target == "gateway.serve:worker_app" and options["factory"] is True
    assert options["workers"] == 3
    spec = json.loads(os.environ[WORKER_SPEC_ENV])
    assert spec["config"] == str(config) and spec["overrides"]["gateway"]["port"] == 4600
    from gateway.serve import worker_app

    assert isinstance(worker_app().app, Starlette)  # what each worker process builds


def test_workers_check_the_supergraph_in_the_parent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], runs: list[Any]
) -> None:
    bad = tmp_path / "bad.graphql"
    bad.write_text("type Query { a: Int }")
    assert cli.main(["serve", "--supergraph", str(bad), "--workers", "2"]) == 2
    assert "invalid supergraph" in one_error_line(capsys.readouterr().err)
    assert not runs


def test_config_check_prints_the_effective_config(
    config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRAND_MATRIX_GATEWAY_WORKERS", "4")
    assert cli.main(["config", "check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "port = 4400  # " in out and "workers = 4  # environment" in out


def test_config_check_prints_every_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[gateway]\nport = -1\nworkers = 'two'\n")
    assert cli.main(["config", "check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 2 and "Traceback" not in err


def test_repository_config_checks() -> None:
    assert cli.main(["config", "check", "--config", str(ROOT / "brand-matrix.toml")]) == 0


def _post(port: int, query: str) -> dict[str, Any]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    body = orjson.dumps({"query": query})
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", body, {"content-type": "application/json"}
    )
    with opener.open(req, timeout=5) as response:  # a new connection each time
        return orjson.loads(response.read())  # type: ignore[no-any-return]


def test_serve_with_two_worker_processes(tmp_path: Path) -> None:
    (tmp_path / "supergraph.graphql").write_text(supergraph())
    port = _free_port()
    argv = [*_brand_matrix(), "serve", "--supergraph", str(tmp_path / "supergraph.graphql")]
    argv += ["--in-process", IN_PROCESS, "--port", str(port), "--workers", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the workers import the tests' subgraph
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    pids: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(pids) < 2:
            assert process.poll() is None, "server exited early"
            assert time.monotonic() < deadline, f"two workers did not answer; pids seen {pids}"
            try:
                pids.add(_post(port, "{ pid }")["data"]["pid"])
            except OSError:
                time.sleep(0.05)
        assert process.pid not in pids  # the workers answer, not the supervising parent
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            _, stderr = process.communicate(timeout=5)
    log = stderr.decode(errors="replace")
    assert "Traceback" not in log, log
    assert log.count("Started server process") == 2, log


def test_workers_with_an_unimportable_in_process_module_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], runs: list[Any]
) -> None:
    (tmp_path / "s.graphql").write_text(supergraph())
    argv = ["serve", "--supergraph", str(tmp_path / "s.graphql"), "--workers", "2"]
    assert cli.main([*argv, "--in-process", "no_such_module_x:apps"]) == 2
    assert "cannot import" in one_error_line(capsys.readouterr().err)
    assert not runs


async def test_the_feature_sections_are_wired_into_the_served_app(tmp_path: Path) -> None:
    """[auth], [persisted_queries] and [telemetry] of the config reach the app `serve` runs."""
    from gateway.config import load_config
    from gateway.serve import build_app
    from tests.gateway.http.asgi_client import request

    (tmp_path / "supergraph.graphql").write_text(supergraph())
    path = tmp_path / "gateway.toml"
    path.write_text(
        f'[gateway]\nin_process = "{IN_PROCESS}"\n'
        '[supergraph]\nsource = "supergraph.graphql"\n'
        "[persisted_queries]\nenabled = true\n"
        '[telemetry]\njson_logs = false\nmetrics_path = "/prom"\n',
        encoding="utf-8",
    )
    app = await asyncio.to_thread(build_app, load_config(path, env={}))  # it runs loops itself

    apq = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    reply = await request(app, "POST", json={"extensions": apq})
    assert reply.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    bad_token = {"authorization": "Bearer not-a-jwt"}
    reply = await request(app, "POST", json={"query": "{ pid }"}, headers=bad_token)
    assert reply.status == 401
    assert reply.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    assert (await request(app, "POST", json={"query": "{ pid }"})).status == 200
    metrics = await request(app, "GET", "/prom")
    assert metrics.status == 200 and b"brand_matrix_requests_total" in metrics.body
