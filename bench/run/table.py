"""The comparison table: one block per connection count, one column per gateway.

Each figure of a peer or of ours is followed by its ratio to Apollo Gateway's figure in the
same run (value ÷ Apollo's), so 0.25x CPU per request means a quarter of Apollo's CPU.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench.run.results import GatewayResult, Report, RunMetrics

BASELINE = "apollo-gateway"
# Other processes using more than this share of a core during a window disturb its figures.
DISTURBANCE_CORE_SHARE = 0.10


@dataclass(frozen=True)
class Row:
    label: str
    value: Callable[[RunMetrics], float | int | None]
    ratio: bool = True  # counts of failures get no ratio


def _latency(name: str) -> Callable[[RunMetrics], float | None]:
    return lambda run: run.latency_ms[name] if run.latency_ms else None


# The headline first: the cores are shared, so CPU per request says most about the gateway.
ROWS: tuple[Row, ...] = (
    Row("gateway CPU s per 1k requests", lambda run: run.gateway_cpu_s_per_1k_requests),
    Row("requests per gateway CPU-second", lambda run: run.requests_per_gateway_cpu_s),
    Row("requests/s", lambda run: run.requests_per_s),
    Row("latency p50 ms", _latency("p50")),
    Row("latency p95 ms", _latency("p95")),
    Row("latency p99 ms", _latency("p99")),
    Row("gateway peak RSS MiB", lambda run: run.gateway_peak_rss_mib),
    Row("subgraph requests per request", lambda run: run.subgraph_requests_per_request),
    Row("errors", lambda run: run.errors, ratio=False),
    Row("wrong responses", lambda run: run.wrong, ratio=False),
)


def format_number(value: float | int | None) -> str:
    """About three significant digits; integers as they are; '-' for nothing."""
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def format_ratio(value: float | int | None, baseline: float | int | None) -> str:
    if value is None or baseline is None or baseline == 0:
        return ""
    ratio = value / baseline
    return f"{ratio:.1f}x" if ratio >= 10 else f"{ratio:.2f}x"


def format_report(report: Report) -> str:
    meta = report.meta
    measured = [gateway for gateway in report.gateways if gateway.runs]
    baseline = report.gateway(BASELINE)
    has_baseline = baseline is not None and bool(baseline.runs)
    lines = [
        "Federation gateway benchmark: bench/data/query.graphql over the four Python subgraphs",
        f"{meta['load_generator_description']}; {meta['duration_s']:g} s measured per run "
        f"after {meta['warmup_s']:g} s warmup; {meta['cpus']} CPUs shared by gateway, "
        "subgraphs and load generator",
    ]
    if has_baseline:
        lines.append("ratios: value ÷ Apollo Gateway's in this run")
    for connections in meta["connections"]:
        lines.append("")
        lines.extend(_block(connections, measured, baseline if has_baseline else None))
    problems = [_problem_line(gateway) for gateway in report.gateways]
    disturbed = [_disturbance_line(gateway) for gateway in report.gateways]
    notes = [line for line in problems + disturbed if line] + report.notes
    if notes:
        lines.append("")
        lines.extend(notes)
    return "\n".join(lines)


def _block(
    connections: int, gateways: list[GatewayResult], baseline: GatewayResult | None
) -> list[str]:
    noun = "connection" if connections == 1 else "connections"
    header = [f"{connections} {noun}"] + [f"{g.title} {g.version}" for g in gateways]
    table: list[list[str]] = [header]
    base_run = baseline.run_for(connections) if baseline else None
    for row in ROWS:
        cells = [row.label]
        for gateway in gateways:
            run = gateway.run_for(connections)
            value = row.value(run) if run else None
            cell = format_number(value)
            if row.ratio and base_run is not None and gateway is not baseline:
                ratio = format_ratio(value, row.value(base_run))
                cell = f"{cell}  {ratio:>6}" if ratio else cell
            cells.append(cell)
        table.append(cells)
    return _align(table)


def _align(table: list[list[str]]) -> list[str]:
    widths = [max(len(row[column]) for row in table) for column in range(len(table[0]))]
    lines = []
    for row in table:
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("   ".join([first, *rest]).rstrip())
    return lines


def _problem_line(gateway: GatewayResult) -> str | None:
    if gateway.status != "ok":
        return f"{gateway.title} {gateway.version}: {gateway.status}: {gateway.reason}"
    details = []
    for run in gateway.runs:
        if run.first_error:
            details.append(f"{run.connections} conn. first error: {run.first_error}")
        if run.first_wrong:
            details.append(f"{run.connections} conn. first wrong answer: {run.first_wrong}")
    if not details:
        return None
    return f"{gateway.title}: " + "; ".join(details)


def _disturbance_line(gateway: GatewayResult) -> str | None:
    shares = [
        f"{run.other_processes_cpu_s / run.elapsed_s:.0%} of a core ({run.connections} conn.)"
        for run in gateway.runs
        if run.other_processes_cpu_s is not None
        and run.elapsed_s > 0
        and run.other_processes_cpu_s / run.elapsed_s > DISTURBANCE_CORE_SHARE
    ]
    if not shares:
        return None
    return (
        f"{gateway.title}: processes outside the benchmark used {', '.join(shares)} "
        "during the measured window: those figures may be disturbed"
    )
