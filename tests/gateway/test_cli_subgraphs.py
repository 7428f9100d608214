"""`brand-matrix subgraph serve`: one deployment per process, as docker-compose runs it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from gateway.cli import main
from subgraphs.stack import deployment_app, subgraph_names

BRAND_MATRIX = Path(sys.executable).parent / "brand-matrix"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url: str, query: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def wait_healthy(process: subprocess.Popen[str], base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited {process.returncode}: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
                if json.loads(response.read()) == {"status": "ok"}:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise AssertionError("the subgraph did not become healthy")


def serve(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("BRAND_MATRIX_BUS_URL",)}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'from-env.db'}"
    process = subprocess.Popen(
        [str(BRAND_MATRIX), "subgraph", "serve", *args, "--port", str(port), "--migrate"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # our own group: a failing test cannot leave it running
    )
    return process, f"http://127.0.0.1:{port}"


def stop(process: subprocess.Popen[str]) -> str:
    """SIGTERM, as docker stops a container; uvicorn shuts down gracefully, then re-raises
    the signal (exit status -15). Returns stderr."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    _, err = process.communicate()
    assert process.returncode in (0, -signal.SIGTERM), err
    return err


def test_a_central_subgraph_serves_over_http_on_its_own_database(tmp_path):
    database = tmp_path / "loyalty.db"
    process, base = serve(tmp_path, "loyalty", "--database-url", f"sqlite+aiosqlite:///{database}")
    try:
        wait_healthy(process, base)
        sdl = post(f"{base}/graphql", "{ _service { sdl } }")["data"]["_service"]["sdl"]
        assert "loyaltyTiers: [TierLevel!]!" in sdl
        tiers = post(f"{base}/graphql", "{ loyaltyTiers { tier threshold } }")["data"]
        assert tiers["loyaltyTiers"][0] == {"tier": "MEMBER", "threshold": 0}
    finally:
        assert "Application shutdown complete" in stop(process)
    assert database.exists()  # --database-url wins over DATABASE_URL
    assert not (tmp_path / "from-env.db").exists()


def test_a_brand_partition_takes_its_brand_and_database_url_from_the_environment(tmp_path):
    process, base = serve(tmp_path, "catalogue", "--brand", "vitalis")
    try:
        wait_healthy(process, base)
        body = post(f"{base}/graphql", "{ catalogueBrand products(first: 1) { id } }")
        assert body["data"] == {"catalogueBrand": "vitalis", "products": []}
    finally:
        assert "Application shutdown complete" in stop(process)
    assert (tmp_path / "from-env.db").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nope"], "unknown subgraph 'nope' (known: member, loyalty, order, catalogue"),
        (["catalogue"], "subgraph 'catalogue' is deployed per brand: give --brand"),
        (["order", "--brand", "lumen"], "subgraph 'order' is central: it takes no brand"),
        (["content", "--brand", "Bad Brand"], "invalid brand id 'Bad Brand'"),
        (["order", "--stack", "nonsense"], "must be MODULE:FUNCTION"),
        (["order", "--stack", "no_such_module_xyz:f"], "cannot import"),
    ],
)
def test_bad_input_is_one_line_with_exit_2(capsys, argv, message):
    assert main(["subgraph", "serve", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err


def test_a_bad_flag_is_an_argparse_error_with_exit_2(capsys):
    assert main(["subgraph", "serve", "order", "--port", "99999"]) == 2
    assert "port out of range" in capsys.readouterr().err.splitlines()[-1]


def test_an_unreachable_database_fails_the_migration_in_one_line(capsys):
    url = "postgresql+psycopg://nobody@127.0.0.1:1/nothing?connect_timeout=2"
    assert main(["subgraph", "serve", "order", "--database-url", url, "--migrate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("brand-matrix: error: cannot migrate order: ")
    assert err.count("\n") == 1


def test_deployment_app_builds_each_deployment(tmp_path, monkeypatch):
    assert subgraph_names()[:5] == ["member", "loyalty", "order", "catalogue", "content"]
    monkeypatch.setenv("BRAND_MATRIX_BRANDS", "lumen, vitalis")
    url = f"sqlite+aiosqlite:///{tmp_path / 'member.db'}"
    app, migrate = deployment_app("member", database_url=url)
    assert app.state.settings.brands == ("lumen", "vitalis")
    migrate()
    assert (tmp_path / "member.db").exists()
    app, _ = deployment_app("content", "lumen", url)
    assert app.state.brand == "lumen"
