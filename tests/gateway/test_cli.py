"""The `brand-matrix` console script.

Most tests stand a StubGateway in so only the CLI is under test; the last ones use the real
Gateway, including one that runs `brand-matrix serve` as a server process.
"""

from __future__ import annotations

import io
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import orjson
import pytest
from graphql import GraphQLError
from starlette.applications import Starlette

import gateway.service
from gateway import cli
from gateway.errors import RequestError, SupergraphError
from tests.gateway.tiny_federation import supergraph_sdl


class StubPlan:
    def __init__(self, query: str, operation_name: str | None) -> None:
        self.query, self.operation_name = query, operation_name

    def __str__(self) -> str:
        return f"QueryPlan {{ {self.operation_name or '-'}: {self.query.strip()} }}"


class StubGateway:
    """Records how the CLI built and used it; `fail_with` makes construction fail."""

    fail_with: ClassVar[Exception | None] = None
    instances: ClassVar[list[StubGateway]] = []

    def __init__(
        self,
        supergraph_sdl: str,
        transports: Mapping[str, Any] | None = None,
        *,
        subgraph_timeout: float = 30.0,
        forward_headers: tuple[str, ...] = (),
        auth: Any = None,
        **options: Any,  # header_rules, limits, ...: recorded, not used
    ) -> None:
        self.options = options
        if StubGateway.fail_with is not None:
            raise StubGateway.fail_with
        self.auth = auth
        self.supergraph_sdl = supergraph_sdl
        self.subgraph_timeout = subgraph_timeout
        self.transports = transports
        self.forward_headers = forward_headers
        self.closed = False
        StubGateway.instances.append(self)

    def plan(self, query: str, operation_name: str | None = None) -> StubPlan:
        if query.strip().startswith("{{"):
            raise RequestError(
                [
                    {
                        "message": "Syntax Error: Expected Name, found '{'.",
                        "locations": [{"line": 1, "column": 2}],
                    },
                    {"message": "Second problem"},
                ]
            )
        return StubPlan(query, operation_name)

    async def aclose(self) -> None:
        self.closed = True


@pytest.fixture
def stub_gateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[StubGateway]]:
    StubGateway.fail_with = None
    StubGateway.instances = []
    monkeypatch.setattr(gateway.service, "Gateway", StubGateway, raising=False)
    # The stub is no real gateway to instrument: serve it without [telemetry].
    for key in ("METRICS", "JSON_LOGS", "ACCESS_LOG"):
        monkeypatch.setenv(f"BRAND_MATRIX_TELEMETRY_{key}", "false")
    yield StubGateway


@pytest.fixture
def supergraph(tmp_path: Path) -> Path:
    path = tmp_path / "supergraph.graphql"
    path.write_text("schema { query: Query }\ntype Query { a: Int }\n", encoding="utf-8")
    return path


@pytest.fixture
def query_file(tmp_path: Path) -> Path:
    path = tmp_path / "op.graphql"
    path.write_text("query Q { a }\n", encoding="utf-8")
    return path


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# --- top level ------------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("brand-matrix ")


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "serve" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["bogus"],
        ["serve"],
        ["plan", "--supergraph", "x.graphql"],
        ["serve", "--supergraph", "x", "--port", "70000"],
        ["serve", "--supergraph", "x", "--port", "http"],
        ["serve", "--supergraph", "x", "--subgraph-timeout", "0"],
        ["serve", "--supergraph", "x", "--subgraph-timeout", "nan"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    assert "usage:" in capsys.readouterr().err


# --- reading the supergraph -----------------------------------------------------------------


@pytest.mark.parametrize("command", ["serve", "plan"])
def test_missing_supergraph_file(
    command: str, tmp_path: Path, query_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [command, "--supergraph", str(tmp_path / "absent.graphql")]
    if command == "plan":
        argv += ["--query", str(query_file)]
    assert cli.main(argv) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "cannot read supergraph file" in line and "absent.graphql" in line


def test_supergraph_that_is_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--supergraph", str(tmp_path)]) == 2
    assert "cannot read supergraph file" in one_error_line(capsys.readouterr().err)


def test_supergraph_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.graphql"
    path.write_bytes(b"type Query { caf\xe9: Int }")
    assert cli.main(["serve", "--supergraph", str(path)]) == 2
    assert "not UTF-8" in one_error_line(capsys.readouterr().err)


@pytest.mark.usefixtures("stub_gateway")
@pytest.mark.parametrize(
    "error",
    [
        SupergraphError("no join__Graph enum\nin this document"),
        GraphQLError("Syntax Error: Unexpected Name 'tpye'."),
    ],
)
@pytest.mark.parametrize("command", ["serve", "plan"])
def test_invalid_supergraph_exits_2_with_one_line(
    command: str,
    error: Exception,
    supergraph: Path,
    query_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    StubGateway.fail_with = error
    argv = [command, "--supergraph", str(supergraph)]
    if command == "plan":
        argv += ["--query", str(query_file)]
    assert cli.main(argv) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith(f"brand-matrix: error: invalid supergraph {supergraph}: ")
    assert ("no join__Graph enum in this document" in line) or ("Unexpected Name" in line)


# --- plan -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("stub_gateway")
def test_plan_prints_the_plan(
    supergraph: Path, query_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["plan", "--supergraph", str(supergraph), "--query", str(query_file)]
    assert cli.main([*argv, "--operation-name", "Q"]) == 0
    assert capsys.readouterr().out == "QueryPlan { Q: query Q { a } }\n"
    [built] = StubGateway.instances
    assert built.supergraph_sdl == supergraph.read_text()
    assert built.closed


@pytest.mark.usefixtures("stub_gateway")
def test_plan_reads_the_query_from_stdin(
    supergraph: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("{ a }"))
    assert cli.main(["plan", "--supergraph", str(supergraph), "--query", "-"]) == 0
    assert capsys.readouterr().out == "QueryPlan { -: { a } }\n"


@pytest.mark.usefixtures("stub_gateway")
def test_plan_of_a_bad_document_prints_errors_and_exits_1(
    supergraph: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.graphql"
    bad.write_text("{{ a }")
    assert cli.main(["plan", "--supergraph", str(supergraph), "--query", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "error: Syntax Error: Expected Name, found '{'. (at 1:2)",
        "error: Second problem",
    ]
    assert StubGateway.instances[0].closed


@pytest.mark.usefixtures("stub_gateway")
def test_plan_with_a_missing_query_file(
    supergraph: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["plan", "--supergraph", str(supergraph), "--query", str(tmp_path / "none.graphql")]
    assert cli.main(argv) == 2
    assert "cannot read query file" in one_error_line(capsys.readouterr().err)
    assert StubGateway.instances[0].closed


# --- serve (uvicorn itself is replaced; the subprocess test runs the real server) -----------


@pytest.mark.usefixtures("stub_gateway")
def test_serve_runs_uvicorn_with_the_fast_stack(
    supergraph: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: runs.append((app, kwargs)))
    argv = ["serve", "--supergraph", str(supergraph), "--port", "4123"]
    assert cli.main([*argv, "--subgraph-timeout", "2.5"]) == 0
    [(app, options)] = runs
    assert isinstance(app, Starlette)
    assert options["host"] == "127.0.0.1"
    assert options["port"] == 4123
    assert options["loop"] == "uvloop"
    assert options["http"] == "httptools"
    assert options["workers"] == 1
    assert StubGateway.instances[0].subgraph_timeout == 2.5


@pytest.mark.usefixtures("stub_gateway")
def test_serve_defaults(supergraph: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: runs.append(kwargs))
    assert cli.main(["serve", "--supergraph", str(supergraph)]) == 0
    assert (runs[0]["host"], runs[0]["port"]) == ("127.0.0.1", 4000)
    assert StubGateway.instances[0].subgraph_timeout == 30.0
    from gateway.limits import Limits

    assert StubGateway.instances[0].options["limits"] == Limits()  # [limits] defaults


# --- the real Gateway -----------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_real_invalid_supergraph_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for text in ("type Query {", "type Query { a: Int }"):
        path = tmp_path / "bad.graphql"
        path.write_text(text)
        assert cli.main(["serve", "--supergraph", str(path)]) == 2
        assert "invalid supergraph" in one_error_line(capsys.readouterr().err)


def test_real_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(supergraph_sdl())
    query = tmp_path / "op.graphql"
    query.write_text("query Hi { hello }")
    argv = ["plan", "--supergraph", str(supergraph), "--query", str(query)]
    assert cli.main(argv) == 0
    assert "hello" in capsys.readouterr().out
    query.write_text("query Hi { nope }")
    assert cli.main(argv) == 1
    out, err = capsys.readouterr()
    assert out == "" and "nope" in err and "Traceback" not in err


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _brand_matrix() -> list[str]:
    """The installed console script (CI installs the project); the module from a bare tree."""
    script = Path(sys.executable).parent / "brand-matrix"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gateway.cli"]


def _get(url: str) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
    with opener.open(url, timeout=2) as response:
        return response.status, response.read()


def test_serve_subprocess_answers_health(tmp_path: Path) -> None:
    supergraph = tmp_path / "supergraph.graphql"
    supergraph.write_text(supergraph_sdl())
    port = _free_port()
    process = subprocess.Popen(
        [
            *_brand_matrix(),
            "serve",
            "--supergraph",
            str(supergraph),
            "--port",
            str(port),
            "--log-level",
            "info",
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, "server exited early"
            try:
                status, body = _get(f"http://127.0.0.1:{port}/health")
                break
            except OSError:  # not listening yet (URLError is an OSError)
                assert time.monotonic() < deadline, "server did not answer within 30s"
                time.sleep(0.1)
        assert status == 200
        assert orjson.loads(body) == {"status": "ok"}
    finally:
        process.terminate()
        try:
            _, stderr = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate(timeout=5)
    log = stderr.decode(errors="replace")
    # uvicorn shuts down gracefully, then re-raises SIGTERM so the exit status reports it.
    assert process.returncode in (0, -signal.SIGTERM), log
    assert "Application shutdown complete" in log  # the lifespan ran: the gateway was closed
    assert "Traceback" not in log


# --- in-process subgraphs -------------------------------------------------------------------


async def test_in_process_subgraphs_are_served_without_sockets(tmp_path: Path) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(supergraph_sdl(), encoding="utf-8")
    built = cli._load_gateway(
        str(path),
        in_process="tests.gateway.tiny_federation:in_process_apps",
        forward_headers=("authorization",),
    )
    try:
        response = await built.execute(gateway.service.GraphQLRequest('{ hello(name: "cli") }'))
    finally:
        await built.aclose()
    assert response.body == {"data": {"hello": "Hello, cli!"}}
    assert built.forward_headers == ("authorization",)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("no_colon", "wants MODULE:FUNCTION"),
        ("no_such_module_here:apps", "cannot import 'no_such_module_here'"),
        ("tests.gateway.tiny_federation:absent", "has no function 'absent'"),
        ("tests.gateway.tiny_federation:supergraph_sdl", "must return a non-empty dict"),
    ],
)
def test_bad_in_process_spec_exits_2_with_one_line(
    spec: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(supergraph_sdl(), encoding="utf-8")
    assert cli.main(["serve", "--supergraph", str(path), "--in-process", spec]) == 2
    assert message in one_error_line(capsys.readouterr().err)


# --- supergraph from a URL ------------------------------------------------------------------


def test_supergraph_from_an_http_url(tmp_path: Path) -> None:
    import http.server
    import threading

    sdl = supergraph_sdl().encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/supergraph":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("content-length", str(len(sdl)))
            self.end_headers()
            self.wfile.write(sdl)

        def log_message(self, *args: object) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        built = cli._load_gateway(f"{base}/supergraph")
        assert "hello" in built.supergraph.graphs
        with pytest.raises(cli.CliError, match="cannot fetch supergraph"):
            cli._load_gateway(f"{base}/missing")
    finally:
        server.shutdown()
        server.server_close()


def test_unreachable_supergraph_url_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert cli.main(["serve", "--supergraph", f"http://127.0.0.1:{port}/s"]) == 2
    assert "cannot fetch supergraph" in one_error_line(capsys.readouterr().err)
