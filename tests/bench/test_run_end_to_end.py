"""`python -m bench.run` for real, briefly: subgraphs, our gateway and the Python load generator
as separate processes, 2 connections for 2 seconds, no peers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.run import probe
from bench.run.options import REPO

FIGURES = (
    "requests_per_s",
    "gateway_cpu_s_per_1k_requests",
    "requests_per_gateway_cpu_s",
    "gateway_peak_rss_mib",
    "subgraph_requests_per_request",
)


def test_a_short_run_against_our_gateway_gives_every_figure(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    options = ["--no-peers", "--connections", "2", "--duration", "2", "--warmup", "0.5"]
    # A free port for the subgraphs, so a server already on 4200 does not get in the way.
    options += ["--subgraph-port", str(probe.free_port()), "--json", str(results)]
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", *options],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(results.read_text())
    (gateway,) = report["gateways"]
    assert gateway["key"] == "brand-matrix" and gateway["status"] == "ok"
    (run,) = gateway["runs"]
    assert run["connections"] == 2
    assert run["requests"] > 0
    assert run["errors"] == 0 and run["wrong"] == 0
    for figure in FIGURES:
        assert run[figure] is not None and run[figure] > 0, figure
    assert set(run["latency_ms"]) == {"p50", "p95", "p99", "mean", "max"}
    assert 0 < run["latency_ms"]["p50"] <= run["latency_ms"]["p95"] <= run["latency_ms"]["p99"]
    table = done.stdout
    assert "2 connections" in table and "Brand Matrix" in table
    for label in ("gateway CPU s per 1k requests", "requests/s", "latency p99 ms"):
        assert label in table
    assert "ratios" not in table  # no Apollo Gateway in this run
