"""The figures of a harness run, and their JSON file."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson


@dataclass(frozen=True)
class RunMetrics:
    """One gateway under one connection count, over the measured window only."""

    connections: int
    load_generator: str
    requests: int  # answered with HTTP 200 inside the window
    elapsed_s: float
    requests_per_s: float
    latency_ms: dict[str, float] | None  # p50, p95, p99, mean, max
    gateway_cpu_s: float
    gateway_cpu_s_per_1k_requests: float | None
    requests_per_gateway_cpu_s: float | None
    gateway_peak_rss_mib: float
    peak_rss_since_window: bool  # False: VmHWM could not be reset, so it covers the whole life
    subgraph_requests: int
    subgraph_requests_per_request: float | None
    subgraph_server_cpu_s_per_1k_requests: float | None
    machine_cpu_s: float  # all processes, all cores
    load_generator_cpu_s: float | None  # None with wrk, which exits before the end sample
    other_processes_cpu_s: float | None  # machine less gateway, subgraphs and load generator
    errors: int
    wrong: int
    first_error: str | None = None
    first_wrong: str | None = None
    # wrk runs only: the Python pass that checks answers as parsed JSON afterwards.
    verification: dict[str, Any] | None = None


@dataclass
class GatewayResult:
    key: str
    title: str
    version: str
    status: str  # "ok", "failed" or "skipped"
    reason: str | None = None
    pid: int | None = None
    runs: list[RunMetrics] = field(default_factory=list)

    def run_for(self, connections: int) -> RunMetrics | None:
        return next((run for run in self.runs if run.connections == connections), None)


@dataclass
class Report:
    meta: dict[str, Any]
    gateways: list[GatewayResult]
    notes: list[str] = field(default_factory=list)

    def gateway(self, key: str) -> GatewayResult | None:
        return next((gateway for gateway in self.gateways if gateway.key == key), None)

    @property
    def clean(self) -> bool:
        """Every measured run answered every request, and correctly."""
        return all(
            run.errors == 0 and run.wrong == 0 for gateway in self.gateways for run in gateway.runs
        )


def report_json(report: Report) -> bytes:
    return orjson.dumps(asdict(report), option=orjson.OPT_INDENT_2) + b"\n"


def write_json(report: Report, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(report_json(report))
