"""The Python load generator: a closed loop of N connections, every answer checked.

Runs in its own process (`python -m bench.run.loadgen ...`) so it never shares an event loop
or a GIL with the harness. N workers each send the next request as soon as the previous one
has answered, over their own keep-alive connection. After `--warmup` seconds it prints
`measure` and starts counting; after `--duration` more seconds it prints `done`, stops
sending, and prints `result {json}`. The harness samples the gateway on those two lines.

Only requests that complete inside the window count. Each is timed from send to the last
byte of the answer; an HTTP 200 answer is checked against the expected response (parsed
JSON), anything else is an error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import Coroutine
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import orjson

from bench.run.checking import ResponseChecker
from bench.run.stats import summarize

# Same headers as the wrk script; no Accept-Encoding, so no gateway spends CPU compressing.
REQUEST_HEADERS = {"content-type": "application/json", "accept": "application/json"}
STRAGGLER_GRACE_SECONDS = 2.0
ERROR_BACKOFF_SECONDS = 0.01


@dataclass
class Tally:
    """What happened to the requests completed inside the measured window."""

    answered: int = 0  # HTTP 200, right or wrong
    wrong: int = 0  # HTTP 200 but not the expected response
    errors: int = 0  # no answer, or a status other than 200
    latencies: list[float] = field(default_factory=list)
    first_error: str | None = None
    first_wrong: str | None = None


@dataclass(frozen=True)
class LoadResult:
    answered: int
    wrong: int
    errors: int
    elapsed_s: float
    latency_ms: dict[str, float] | None
    first_error: str | None
    first_wrong: str | None

    def to_json(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def from_json(cls, data: bytes | str) -> LoadResult:
        return cls(**orjson.loads(data))


class ClosedLoop:
    def __init__(
        self, url: str, body: bytes, checker: ResponseChecker, connections: int, timeout: float
    ) -> None:
        self.url = url
        self.body = body
        self.checker = checker
        self.connections = connections
        self.timeout = timeout
        self.tally = Tally()
        self._recording = False
        self._stopping = False

    async def run(self, warmup: float, duration: float) -> LoadResult:
        connector = aiohttp.TCPConnector(limit=self.connections, force_close=False)
        session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=self.timeout),
            skip_auto_headers=["Accept-Encoding", "User-Agent"],
        )
        async with session:
            workers = [asyncio.create_task(self._worker(session)) for _ in range(self.connections)]
            await asyncio.sleep(warmup)
            _phase("measure")
            self._recording = True
            started = time.perf_counter()
            await asyncio.sleep(duration)
            self._recording = False
            elapsed = time.perf_counter() - started
            _phase("done")
            self._stopping = True
            _, pending = await asyncio.wait(workers, timeout=STRAGGLER_GRACE_SECONDS)
            for task in pending:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*pending, return_exceptions=True)
        summary = summarize(self.tally.latencies)
        tally = self.tally
        return LoadResult(
            answered=tally.answered,
            wrong=tally.wrong,
            errors=tally.errors,
            elapsed_s=elapsed,
            latency_ms=asdict(summary) if summary else None,
            first_error=tally.first_error,
            first_wrong=tally.first_wrong,
        )

    async def _worker(self, session: aiohttp.ClientSession) -> None:
        tally = self.tally
        while not self._stopping:
            started = time.perf_counter()
            try:
                async with session.post(
                    self.url, data=self.body, headers=REQUEST_HEADERS
                ) as response:
                    status = response.status
                    payload = await response.read()
            except (aiohttp.ClientError, TimeoutError) as error:
                if self._recording:
                    tally.errors += 1
                    tally.first_error = tally.first_error or f"{type(error).__name__}: {error}"
                # A refused connection answers at once: do not spin on it.
                await asyncio.sleep(ERROR_BACKOFF_SECONDS)
                continue
            finished = time.perf_counter()
            if not self._recording:
                continue
            if status != 200:
                tally.errors += 1
                tally.first_error = tally.first_error or f"HTTP {status}: {payload[:200]!r}"
                continue
            tally.answered += 1
            tally.latencies.append(finished - started)
            if not self.checker.is_expected(payload):
                tally.wrong += 1
                tally.first_wrong = tally.first_wrong or self.checker.explain(payload)


def _phase(name: str) -> None:
    print(name, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run.loadgen")
    parser.add_argument("--url", required=True)
    parser.add_argument("--request-file", type=Path, required=True, help="request body (JSON)")
    parser.add_argument("--expected-file", type=Path, required=True, help="expected response")
    parser.add_argument("--connections", type=int, required=True)
    parser.add_argument("--warmup", type=float, default=0.0)
    parser.add_argument("--duration", type=float, required=True)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    args = parser.parse_args(argv)
    loop = ClosedLoop(
        args.url,
        args.request_file.read_bytes(),
        ResponseChecker(args.expected_file.read_bytes()),
        args.connections,
        args.timeout,
    )
    result = _run(loop.run(args.warmup, args.duration))
    sys.stdout.write("result " + result.to_json().decode() + "\n")
    sys.stdout.flush()
    return 0


def _run(coroutine: Coroutine[Any, Any, LoadResult]) -> LoadResult:
    try:
        import uvloop  # the cheaper loop leaves more of the shared CPUs to the gateway
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


if __name__ == "__main__":
    raise SystemExit(main())
