"""One measured run: load one gateway at one connection count and compute its figures.

The gateway and subgraph server are sampled (CPU seconds from /proc, subgraph requests from
GET /count) exactly at the start and end of the measured window, so warmup is excluded;
VmHWM is reset before the run's warmup so the peak belongs to this run.
"""

from __future__ import annotations

import contextlib
import queue
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from bench.run import probe, procfs
from bench.run.loadgen import LoadResult
from bench.run.options import REPO
from bench.run.processes import Child, HarnessError, ProcessSet
from bench.run.results import RunMetrics
from bench.run.wrk import lua_script, parse_wrk_output, wrk_command

# How long past its planned end a load generator may take before the harness gives up.
OVERRUN_SECONDS = 30.0


@dataclass(frozen=True)
class Target:
    """A ready gateway and what the load generators need to load it."""

    url: str
    gateway_pid: int
    subgraph_pid: int
    subgraph_url: str
    request_file: Path  # the POST body
    expected_file: Path  # expected-response.json
    reference_file: Path  # this gateway's own correct answer, for wrk's byte check


@dataclass(frozen=True)
class Sample:
    gateway_cpu_s: float
    subgraph_cpu_s: float
    subgraph_count: int
    machine_cpu_s: float  # every process on the machine
    client_cpu_s: float | None  # the load generator, when it outlives the window


def take_sample(target: Target, client_pid: int | None = None) -> Sample:
    return Sample(
        gateway_cpu_s=procfs.cpu_seconds(target.gateway_pid),
        subgraph_cpu_s=procfs.cpu_seconds(target.subgraph_pid),
        subgraph_count=probe.subgraph_count(target.subgraph_url),
        machine_cpu_s=procfs.machine_busy_seconds(),
        client_cpu_s=procfs.cpu_seconds(client_pid) if client_pid is not None else None,
    )


def compute_metrics(
    connections: int,
    load_generator: str,
    result: LoadResult,
    before: Sample,
    after: Sample,
    peak_rss_bytes: int,
    peak_rss_since_window: bool,
) -> RunMetrics:
    requests = result.answered
    gateway_cpu = after.gateway_cpu_s - before.gateway_cpu_s
    subgraph_cpu = after.subgraph_cpu_s - before.subgraph_cpu_s
    subgraph_requests = after.subgraph_count - before.subgraph_count
    machine_cpu = after.machine_cpu_s - before.machine_cpu_s
    client_cpu = (
        after.client_cpu_s - before.client_cpu_s
        if after.client_cpu_s is not None and before.client_cpu_s is not None
        else None
    )
    # What none of the benchmark's processes used: someone else's load on the shared cores.
    other_cpu = (
        max(0.0, machine_cpu - gateway_cpu - subgraph_cpu - client_cpu)
        if client_cpu is not None
        else None
    )
    return RunMetrics(
        connections=connections,
        load_generator=load_generator,
        requests=requests,
        elapsed_s=result.elapsed_s,
        requests_per_s=requests / result.elapsed_s if result.elapsed_s > 0 else 0.0,
        latency_ms=result.latency_ms,
        gateway_cpu_s=gateway_cpu,
        gateway_cpu_s_per_1k_requests=gateway_cpu / requests * 1000 if requests else None,
        requests_per_gateway_cpu_s=requests / gateway_cpu if gateway_cpu > 0 else None,
        gateway_peak_rss_mib=peak_rss_bytes / 2**20,
        peak_rss_since_window=peak_rss_since_window,
        subgraph_requests=subgraph_requests,
        subgraph_requests_per_request=subgraph_requests / requests if requests else None,
        subgraph_server_cpu_s_per_1k_requests=subgraph_cpu / requests * 1000 if requests else None,
        machine_cpu_s=machine_cpu,
        load_generator_cpu_s=client_cpu,
        other_processes_cpu_s=other_cpu,
        errors=result.errors,
        wrong=result.wrong,
        first_error=result.first_error,
        first_wrong=result.first_wrong,
    )


class Measurer:
    def __init__(
        self,
        processes: ProcessSet,
        scratch: Path,
        *,
        load_generator: str,
        duration: float,
        warmup: float,
        verify_seconds: float,
        wrk: str | None = None,
    ) -> None:
        self.processes = processes
        self.scratch = scratch
        self.load_generator = load_generator
        self.duration = duration
        self.warmup = warmup
        self.verify_seconds = verify_seconds
        self.wrk = wrk

    def run(self, target: Target, connections: int) -> RunMetrics:
        reset = procfs.reset_peak_rss(target.gateway_pid)
        if self.load_generator == "wrk":
            result, before, after = self._wrk(target, connections)
        else:
            result, before, after = self._python(target, connections, self.warmup, self.duration)
        metrics = compute_metrics(
            connections,
            self.load_generator,
            result,
            before,
            after,
            procfs.peak_rss_bytes(target.gateway_pid),
            reset,
        )
        if self.load_generator != "wrk":
            return metrics
        check = self._verify(target, connections)
        # The table shows one count of errors and of wrong answers: wrk's plus the check's.
        return _with_verification(metrics, check)

    def _python(
        self, target: Target, connections: int, warmup: float, duration: float
    ) -> tuple[LoadResult, Sample, Sample]:
        child = self.processes.start(
            f"load generator ({connections} connections)",
            [
                sys.executable,
                "-m",
                "bench.run.loadgen",
                "--url",
                target.url,
                "--request-file",
                str(target.request_file),
                "--expected-file",
                str(target.expected_file),
                "--connections",
                str(connections),
                "--warmup",
                str(warmup),
                "--duration",
                str(duration),
            ],
            cwd=REPO,
            stdout_pipe=True,
            log_path=self.scratch / f"loadgen-{connections}.log",
        )
        try:
            lines = _LineReader(child)
            lines.expect("measure", warmup + OVERRUN_SECONDS)
            before = take_sample(target, child.pid)
            lines.expect("done", duration + OVERRUN_SECONDS)
            after = take_sample(target, child.pid)
            result = LoadResult.from_json(lines.expect("result", OVERRUN_SECONDS))
        finally:
            self.processes.stop(child)
        return result, before, after

    def _wrk(self, target: Target, connections: int) -> tuple[LoadResult, Sample, Sample]:
        assert self.wrk is not None
        script = self.scratch / "post-query.lua"
        script.write_text(lua_script(target.request_file.read_bytes(), target.reference_file))
        if self.warmup > 0:
            self._run_wrk(target, connections, self.warmup, script)
        before = take_sample(target)
        output = self._run_wrk(target, connections, self.duration, script)
        after = take_sample(target)
        return parse_wrk_output(output), before, after

    def _run_wrk(self, target: Target, connections: int, seconds: float, script: Path) -> str:
        assert self.wrk is not None
        child = self.processes.start(
            f"wrk ({connections} connections)",
            wrk_command(self.wrk, target.url, connections, seconds, script),
            stdout_pipe=True,
            log_path=self.scratch / f"wrk-{connections}.log",
        )
        try:
            output, _ = child.popen.communicate(timeout=seconds + OVERRUN_SECONDS)
        except subprocess.TimeoutExpired as error:
            raise HarnessError(
                f"wrk did not finish within {seconds + OVERRUN_SECONDS:.0f} s"
            ) from error
        finally:
            self.processes.stop(child)
        if child.popen.returncode != 0:
            raise HarnessError(
                f"wrk exited with code {child.popen.returncode}: {child.log_tail(5)}"
            )
        return output.decode(errors="replace")

    def _verify(self, target: Target, connections: int) -> LoadResult:
        result, _, _ = self._python(target, connections, 0.0, self.verify_seconds)
        return result


def _with_verification(metrics: RunMetrics, check: LoadResult) -> RunMetrics:
    values = asdict(metrics)
    values.update(
        errors=metrics.errors + check.errors,
        wrong=metrics.wrong + check.wrong,
        first_error=metrics.first_error or check.first_error,
        first_wrong=metrics.first_wrong or check.first_wrong,
        verification={
            "requests": check.answered,
            "errors": check.errors,
            "wrong": check.wrong,
            "first_error": check.first_error,
            "first_wrong": check.first_wrong,
        },
    )
    return RunMetrics(**values)


class _LineReader:
    """A child's stdout lines, read on a thread so the harness can wait with a deadline."""

    def __init__(self, child: Child) -> None:
        self.child = child
        self._lines: queue.Queue[str | None] = queue.Queue()
        assert child.popen.stdout is not None
        stream = child.popen.stdout
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[bytes]) -> None:
        # The harness may close the pipe once it has what it needs: that ends the thread too.
        with contextlib.suppress(OSError, ValueError):
            for raw in stream:
                self._lines.put(raw.decode(errors="replace").rstrip("\n"))
        self._lines.put(None)

    def expect(self, word: str, timeout: float) -> str:
        """The rest of the next line that starts with `word`."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty as error:
            raise HarnessError(f"{self.child.name} said nothing for {timeout:.0f} s") from error
        if line is None or not line.startswith(word):
            tail = self.child.log_tail(8)
            raise HarnessError(
                f"{self.child.name} stopped early (expected {word!r}, got {line!r})"
                + (f":\n{tail}" if tail else "")
            )
        return line[len(word) :].strip()
