"""`python -m bench.run`: the benchmark, side by side, in one command.

Starts the Python subgraphs, then each gateway in turn (Brand Matrix; Apollo Gateway and
Hive Gateway when Node.js is installed), waits until it answers the benchmark query
correctly, loads it at each connection count, stops it, and prints the comparison table.
Every process it starts is stopped on the way out, Ctrl-C and errors included.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from bench.run import probe, procfs
from bench.run.checking import ResponseChecker
from bench.run.gateways import GatewaySpec, apollo_gateway, brand_matrix, hive_gateway
from bench.run.measure import Measurer, Target
from bench.run.options import REPO, SUPERGRAPH_SUBGRAPH_PORT, Options, parse_options
from bench.run.peers import APOLLO_GATEWAY, HIVE_GATEWAY, NodeTools, ensure_installed, find_node
from bench.run.processes import Child, HarnessError, ProcessSet, signals_raise_interrupt
from bench.run.readiness import NotReady, wait_for_health, wait_until_correct
from bench.run.results import GatewayResult, Report, write_json
from bench.run.supergraph import supergraph_for_port
from bench.run.table import format_report
from bench.run.wrk import find_wrk

SUBGRAPH_STARTUP_SECONDS = 30.0
PEERS = {"apollo-gateway": APOLLO_GATEWAY, "hive-gateway": HIVE_GATEWAY}
LOAD_GENERATORS = {
    "python": "load: Python closed loop (aiohttp), every answer checked as parsed JSON",
    "wrk": "load: wrk closed loop, answers checked by bytes, then a Python pass as parsed JSON",
}


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    try:
        with (
            signals_raise_interrupt(),
            tempfile.TemporaryDirectory(prefix="brand-matrix-bench-") as scratch,
            ProcessSet() as processes,
        ):
            report = Benchmark(options, processes, Path(scratch)).run()
    except KeyboardInterrupt:
        print("\ninterrupted: every process the harness started is stopped", file=sys.stderr)
        return 130
    except HarnessError as error:
        print(f"bench.run: error: {error}", file=sys.stderr)
        return 1
    print(format_report(report))
    write_json(report, options.json_path)
    print(f"\nresults written to {_shown(options.json_path)}")
    return 0 if report.clean else 1


def say(message: str) -> None:
    """Progress goes to stderr; stdout holds the table."""
    print(message, file=sys.stderr, flush=True)


class Benchmark:
    def __init__(self, options: Options, processes: ProcessSet, scratch: Path) -> None:
        self.options = options
        self.processes = processes
        self.scratch = scratch
        self.notes: list[str] = []
        data = options.data_dir
        query = (data / "query.graphql").read_text()
        self.request_file = scratch / "request.json"
        self.request_file.write_bytes(orjson.dumps({"query": query}))
        self.expected_file = data / "expected-response.json"
        self.checker = ResponseChecker(self.expected_file.read_bytes())
        self.wrk = find_wrk()
        if options.load_generator == "wrk" and self.wrk is None:
            raise HarnessError("--load-generator wrk: wrk is not installed (apt-get install wrk)")
        self.measurer = Measurer(
            processes,
            scratch,
            load_generator=options.load_generator,
            duration=options.duration,
            warmup=options.warmup,
            verify_seconds=options.verify_seconds,
            wrk=self.wrk,
        )
        self.node: NodeTools | None = None

    def run(self) -> Report:
        options = self.options
        port = self._subgraph_port()
        supergraph = supergraph_for_port(
            options.data_dir / "supergraph.graphql", port, self.scratch
        )
        subgraph_url = f"http://127.0.0.1:{port}"
        subgraphs = self._start_subgraphs(port, subgraph_url)
        results: list[GatewayResult] = []
        for key in options.gateways:
            spec_or_result = self._gateway_spec(key)
            if isinstance(spec_or_result, GatewayResult):
                results.append(spec_or_result)
                continue
            results.append(self._bench(spec_or_result, supergraph, subgraphs.pid, subgraph_url))
        return Report(meta=self._meta(port), gateways=results, notes=self.notes)

    def _subgraph_port(self) -> int:
        """The supergraph's port when free; a port asked for must be free."""
        port = self.options.subgraph_port
        if port is not None:
            if not probe.port_is_free(port):
                raise HarnessError(f"--subgraph-port {port}: something already listens there")
            return port
        if probe.port_is_free(SUPERGRAPH_SUBGRAPH_PORT):
            return SUPERGRAPH_SUBGRAPH_PORT
        port = probe.free_port()
        note = (
            f"port {SUPERGRAPH_SUBGRAPH_PORT} was taken: the subgraphs ran on {port}, "
            "with a copy of the supergraph pointed there"
        )
        say(note)
        self.notes.append(note)
        return port

    def _start_subgraphs(self, port: int, url: str) -> Child:
        say(f"starting the subgraphs on 127.0.0.1:{port}")
        child = self.processes.start(
            "subgraph server",
            [sys.executable, "-m", "bench.subgraphs", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            log_path=self.scratch / "subgraphs.log",
        )
        wait_for_health(f"{url}/health", child, SUBGRAPH_STARTUP_SECONDS)
        return child

    def _gateway_spec(self, key: str) -> GatewaySpec | GatewayResult:
        """How to start the gateway, or why it cannot run (a skipped or failed result)."""
        if key == "brand-matrix":
            return brand_matrix()
        package = PEERS[key]
        title = package.title
        if self.node is None:
            self.node = find_node()
        if self.node is None:
            note = "Node.js/npm not found: the peers (Apollo Gateway, Hive Gateway) were skipped"
            if note not in self.notes:
                self.notes.append(note)
            return GatewayResult(key, title, package.version, "skipped", "Node.js not found")
        try:
            folder = ensure_installed(package, self.options.peers_dir, self.node, self.processes)
        except HarnessError as error:
            say(f"{title}: {error}")
            return GatewayResult(key, title, package.version, "failed", str(error))
        if key == "hive-gateway":
            return hive_gateway(folder, self.node, public_setup=self.options.hive_public_setup)
        return apollo_gateway(folder, self.node)

    def _bench(
        self, spec: GatewaySpec, supergraph: Path, subgraph_pid: int, subgraph_url: str
    ) -> GatewayResult:
        port = probe.free_port()
        url = f"http://127.0.0.1:{port}/graphql"
        launch = spec.launch(supergraph, port)
        say(f"starting {spec.title} {spec.version} on 127.0.0.1:{port}")
        child = self.processes.start(
            spec.title,
            launch.argv,
            cwd=launch.cwd,
            env=launch.env,
            log_path=self.scratch / f"{spec.key}.log",
        )
        result = GatewayResult(spec.key, spec.title, spec.version, "ok")
        try:
            reference = wait_until_correct(
                url, self.request_file.read_bytes(), self.checker, child, spec.startup_timeout
            )
            pid = procfs.listening_pid(port, child.pid)
            if pid is None:
                raise NotReady(
                    f"{spec.title} answers, but no process of its tree listens on {port}"
                )
            result.pid = pid
            reference_file = self.scratch / f"{spec.key}-answer.json"
            reference_file.write_bytes(reference)
            target = Target(
                url=url,
                gateway_pid=pid,
                subgraph_pid=subgraph_pid,
                subgraph_url=subgraph_url,
                request_file=self.request_file,
                expected_file=self.expected_file,
                reference_file=reference_file,
            )
            for connections in self.options.connections:
                say(
                    f"  {connections} connection(s): {self.options.warmup:g} s warmup, "
                    f"{self.options.duration:g} s measured"
                )
                result.runs.append(self.measurer.run(target, connections))
        except NotReady as error:
            say(f"{spec.title}: {error}")
            result.status, result.reason = "failed", str(error)
        except OSError as error:  # /proc or /count gone: a server died under load
            code, tail = child.exited(), child.log_tail(8)
            reason = f"lost during the run ({error}; exit code {code})" + (
                f":\n{tail}" if tail else ""
            )
            say(f"{spec.title}: {reason}")
            result.status, result.reason = "failed", reason
        finally:
            self.processes.stop(child)
        return result

    def _meta(self, subgraph_port: int) -> dict[str, Any]:
        options = self.options
        return {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": "python -m bench.run " + " ".join(sys.argv[1:]),
            "commit": _git_commit(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "node": self.node.version if self.node else None,
            "load_generator": options.load_generator,
            "load_generator_description": LOAD_GENERATORS[options.load_generator],
            "connections": list(options.connections),
            "duration_s": options.duration,
            "warmup_s": options.warmup,
            "subgraph_port": subgraph_port,
            "hive_public_setup": options.hive_public_setup,
            "peer_packages": {key: package.dependencies for key, package in PEERS.items()},
        }


def _git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
