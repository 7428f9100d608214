"""The comparison table: figures, ratios to Apollo Gateway, notes for skipped peers."""

from __future__ import annotations

import re
from dataclasses import replace

from bench.run.results import GatewayResult, Report, RunMetrics
from bench.run.table import format_number, format_ratio, format_report

META = {
    "load_generator_description": "load: test loop",
    "duration_s": 15.0,
    "warmup_s": 3.0,
    "cpus": 2,
    "connections": [50],
}


def run(cpu_per_1k: float, rps: float, **changes: object) -> RunMetrics:
    metrics = RunMetrics(
        connections=50,
        load_generator="python",
        requests=int(rps * 15),
        elapsed_s=15.0,
        requests_per_s=rps,
        latency_ms={"p50": 40.0, "p95": 60.0, "p99": 80.0, "mean": 45.0, "max": 99.0},
        gateway_cpu_s=cpu_per_1k * rps * 15 / 1000,
        gateway_cpu_s_per_1k_requests=cpu_per_1k,
        requests_per_gateway_cpu_s=1000 / cpu_per_1k,
        gateway_peak_rss_mib=64.0,
        peak_rss_since_window=True,
        subgraph_requests=int(rps * 15 * 7),
        subgraph_requests_per_request=7.0,
        subgraph_server_cpu_s_per_1k_requests=1.0,
        machine_cpu_s=20.0,
        load_generator_cpu_s=3.0,
        other_processes_cpu_s=0.2,
        errors=0,
        wrong=0,
    )
    return replace(metrics, **changes)  # type: ignore[arg-type]


def gateway(key: str, title: str, *runs: RunMetrics) -> GatewayResult:
    return GatewayResult(key, title, "1.0", "ok", runs=list(runs))


def test_numbers_keep_about_three_significant_digits() -> None:
    assert format_number(1234.56) == "1235"
    assert format_number(54.04) == "54.0"
    assert format_number(3.14159) == "3.14"
    assert format_number(0) == "0"
    assert format_number(None) == "-"


def test_ratios_are_value_over_apollo() -> None:
    assert format_ratio(240.0, 100.0) == "2.40x"
    assert format_ratio(25.0, 100.0) == "0.25x"
    assert format_ratio(1200.0, 100.0) == "12.0x"
    assert format_ratio(None, 100.0) == ""
    assert format_ratio(5.0, 0.0) == ""


def test_each_figure_is_followed_by_its_ratio_to_apollo() -> None:
    report = Report(
        META,
        [
            gateway("brand-matrix", "Brand Matrix", run(4.5, 216.0, wrong=2)),
            gateway("apollo-gateway", "Apollo Gateway", run(18.0, 54.0)),
        ],
    )
    text = format_report(report)
    lines = {line.split("  ")[0]: line for line in text.splitlines()}
    assert "ratios: value ÷ Apollo Gateway's in this run" in text
    assert "Brand Matrix 1.0" in lines["50 connections"]
    assert lines["gateway CPU s per 1k requests"].split()[-3:] == ["4.50", "0.25x", "18.0"]
    assert "4.00x" in lines["requests/s"]
    assert lines["requests per gateway CPU-second"].split()[-3:] == ["222", "4.00x", "55.6"]
    assert lines["wrong responses"].split()[-2:] == ["2", "0"]  # counts get no ratio
    assert lines["latency p99 ms"].split()[-3:] == ["80.0", "1.00x", "80.0"]


def test_without_apollo_there_are_no_ratios_and_skipped_peers_are_named() -> None:
    report = Report(
        META,
        [
            gateway("brand-matrix", "Brand Matrix", run(4.5, 216.0)),
            GatewayResult("apollo-gateway", "Apollo Gateway", "2.14.4", "skipped", "no Node.js"),
        ],
        notes=["Node.js/npm not found: the peers were skipped"],
    )
    text = format_report(report)
    assert not re.search(r"\d\.\d+x", text)
    assert "Apollo Gateway 2.14.4: skipped: no Node.js" in text
    assert text.rstrip().endswith("Node.js/npm not found: the peers were skipped")
    assert "Apollo Gateway 2.14.4" not in text.splitlines()[3]  # not a column


def test_failures_are_summarised_under_the_table() -> None:
    broken = run(4.5, 216.0, errors=3, first_error="HTTP 502: b'bad gateway'")
    text = format_report(Report(META, [gateway("brand-matrix", "Brand Matrix", broken)]))
    assert "Brand Matrix: 50 conn. first error: HTTP 502: b'bad gateway'" in text


def test_load_from_outside_the_benchmark_is_flagged() -> None:
    busy = run(4.5, 216.0, other_processes_cpu_s=4.5)  # 30 % of a core over 15 s
    text = format_report(Report(META, [gateway("brand-matrix", "Brand Matrix", busy)]))
    assert "Brand Matrix: processes outside the benchmark used 30% of a core (50 conn.)" in text
    quiet = format_report(Report(META, [gateway("brand-matrix", "Brand Matrix", run(4.5, 216.0))]))
    assert "outside the benchmark" not in quiet
