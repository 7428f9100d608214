"""Wait until a server is up: the subgraphs' /health, a gateway's correct answer."""

from __future__ import annotations

import time

from bench.run import probe
from bench.run.checking import ResponseChecker
from bench.run.processes import Child, HarnessError

POLL_SECONDS = 0.25


class NotReady(HarnessError):
    """A server exited or did not become ready in time; the message says why."""


def wait_for_health(url: str, child: Child, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        _check_alive(child)
        try:
            answer = probe.get(url, timeout=2.0)
        except OSError as error:
            last = str(error)
        else:
            if answer.status == 200:
                return
            last = f"HTTP {answer.status}"
        time.sleep(POLL_SECONDS)
    raise NotReady(f"{child.name} was not healthy within {timeout:.0f} s ({last})")


def wait_until_correct(
    url: str, request_body: bytes, checker: ResponseChecker, child: Child, timeout: float
) -> bytes:
    """The first correct answer to the benchmark query, polling until there is one."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        _check_alive(child)
        try:
            answer = probe.post(url, request_body, timeout=10.0)
        except OSError as error:
            last = str(error)
        else:
            if answer.status == 200 and checker.is_expected(answer.body):
                return answer.body
            last = f"HTTP {answer.status}, " + checker.explain(answer.body)
        time.sleep(POLL_SECONDS)
    raise NotReady(
        f"{child.name} did not answer the query correctly within {timeout:.0f} s: {last}"
    )


def _check_alive(child: Child) -> None:
    code = child.exited()
    if code is not None:
        tail = child.log_tail(8)
        raise NotReady(f"{child.name} exited with code {code}" + (f":\n{tail}" if tail else ""))
