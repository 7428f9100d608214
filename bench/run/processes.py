"""Start child processes in their own process groups and make sure every one of them stops.

Each child leads a new session, so a Ctrl-C in the terminal reaches only the harness, which
then stops the children itself: the whole group (npx's children included) gets SIGTERM, then
SIGKILL after a grace period. Children also get SIGTERM if the harness dies abruptly.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import IO

_PR_SET_PDEATHSIG = 1
STOP_GRACE_SECONDS = 5.0
_INTERRUPTS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class HarnessError(Exception):
    """A failure the harness reports in one line, after stopping everything it started."""


@dataclass
class Child:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path | None

    @property
    def pid(self) -> int:
        return self.popen.pid

    def exited(self) -> int | None:
        return self.popen.poll()

    def log_tail(self, lines: int = 20) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        text = self.log_path.read_text(errors="replace").strip().splitlines()
        return "\n".join(text[-lines:])


class ProcessSet:
    """The children of one harness run; leaving the `with` block stops all of them."""

    def __init__(self, grace: float = STOP_GRACE_SECONDS) -> None:
        self.grace = grace  # seconds between SIGTERM and SIGKILL
        self._children: list[Child] = []

    def __enter__(self) -> ProcessSet:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop_all()

    def start(
        self,
        name: str,
        argv: Sequence[str],
        *,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        log_path: Path | None = None,
        stdout_pipe: bool = False,
    ) -> Child:
        """Start `argv`; its output goes to `log_path` (stdout to a pipe with `stdout_pipe`)."""
        log: IO[bytes] | int = subprocess.DEVNULL
        if log_path is not None:
            log = log_path.open("wb")
        try:
            popen = subprocess.Popen(
                list(argv),
                cwd=cwd,
                env=dict(env) if env is not None else None,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE if stdout_pipe else log,
                stderr=log,
                start_new_session=True,
                preexec_fn=_die_with_parent,  # safe: the harness starts children from one thread
            )
        except OSError as error:
            raise HarnessError(f"could not start {name} ({argv[0]}): {error}") from error
        finally:
            if not isinstance(log, int):
                log.close()  # the child holds its own copy
        child = Child(name, popen, log_path)
        self._children.append(child)
        return child

    def stop(self, child: Child) -> None:
        """SIGTERM the child's process group, then SIGKILL it if it lingers."""
        if child in self._children:
            self._children.remove(child)
        stop_group(child.popen, self.grace)

    def stop_all(self) -> None:
        # A second Ctrl-C must not cut the cleanup short: signals wait until it is done.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
        try:
            # Newest first: gateways before the subgraphs they call.
            while self._children:
                self.stop(self._children[-1])
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def stop_group(popen: subprocess.Popen[bytes], grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop the process group led by `popen`, waiting at most about twice `grace` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(popen.pid, sig)
        try:
            popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; members that ignored SIGTERM (npx's node child) get SIGKILL.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(popen.pid, signal.SIGKILL)
        break
    if popen.stdout is not None:
        popen.stdout.close()


@contextlib.contextmanager
def signals_raise_interrupt() -> Iterator[None]:
    """Turn SIGINT, SIGTERM and SIGHUP into KeyboardInterrupt, so the children get stopped.

    SIGINT too, because a shell starts background jobs with SIGINT ignored.
    """

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {sig: signal.signal(sig, interrupt) for sig in _INTERRUPTS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _die_with_parent() -> None:
    # Linux only; elsewhere the ProcessSet's cleanup is all there is.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
