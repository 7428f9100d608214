"""`brand-matrix dev` reloading: a supervisor runs the dev server as a child process
(`brand-matrix dev --no-reload ...`) and restarts it when a subgraph's code or schema changes.

Before stopping the running child, the new version is checked in a fresh interpreter
(`python -m gateway.dev_check`: the stack imports and its SDLs compose). When it does not, the
errors are printed and the running version keeps serving until the next change. Files are
polled (mtime and size; no extra dependency): `*.py` under the stack's top-level package
(`subgraphs/`) and `*.graphql` under the `schema/` beside it. A fresh process per version,
rather than reloading modules in place, because SQLModel tables and Strawberry types are
registered once per interpreter.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from gateway.files import Signature, signature_of

Snapshot = dict[str, Signature]  # path -> its signature
IGNORED_DIRS = frozenset({"__pycache__", ".pytest_cache", "node_modules"})
# Written by `brand-matrix compose`; dev composes by itself, so they change nothing here.
IGNORED_FILES = frozenset({"supergraph.graphql", "api.graphql"})
STOP_SECONDS = 15.0


def log(message: str) -> None:
    print(f"brand-matrix dev: {message}", file=sys.stderr, flush=True)


def watch_roots(stack_spec: str) -> list[Path]:
    """The stack's top-level package and the `schema/` directory beside it. Found with
    `find_spec` on the top-level name, which imports nothing."""
    top = stack_spec.partition(":")[0].split(".")[0]
    try:
        spec = importlib.util.find_spec(top) if top else None
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return []
    if spec.submodule_search_locations:
        package = Path(next(iter(spec.submodule_search_locations))).resolve()
    elif spec.origin:
        package = Path(spec.origin).resolve().parent
    else:
        return []
    return [package, package.parent / "schema"]


def snapshot(roots: Sequence[Path]) -> Snapshot:
    """path -> (mtime_ns, size) of the watched files."""
    found: Snapshot = {}
    for root in roots:
        for directory, subdirs, files in os.walk(root):
            subdirs[:] = [d for d in subdirs if d not in IGNORED_DIRS and not d.startswith(".")]
            for name in files:
                if not name.endswith((".py", ".graphql")) or name in IGNORED_FILES:
                    continue
                path = os.path.join(directory, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue  # removed while walking
                found[path] = signature_of(stat)
    return found


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


class Child(Protocol):
    def poll(self) -> int | None: ...

    def stop(self) -> None: ...


@dataclass
class CheckResult:
    ok: bool
    output: str = ""


@dataclass
class Reloader:
    """The decisions, without processes: `step()` once per poll interval. Returns what it
    did: idle, settling (files still changing), restarted, kept (the new version failed its
    check; the running one stays), exited (the child died; waiting for a change), or exit
    (the first child ended by itself: the supervisor ends with its exit code)."""

    take_snapshot: Callable[[], Snapshot]
    check: Callable[[], CheckResult]
    start: Callable[[bool], Child]  # start(first): first=True for the very first child
    child: Child | None = None
    seen: Snapshot = field(default_factory=dict)
    _pending: Snapshot | None = None
    _restarts: int = 0

    def begin(self) -> None:
        self.seen = self.take_snapshot()
        self.child = self.start(True)

    @property
    def exit_code(self) -> int | None:
        return None if self.child is None else self.child.poll()

    def step(self) -> str:
        if self.child is not None and self.child.poll() is not None:
            if self._restarts == 0:
                return "exit"
            log(f"the dev server exited ({self.child.poll()}); waiting for a change to restart")
            self.child = None
            return "exited"
        current = self.take_snapshot()
        if current == self.seen:
            self._pending = None
            return "idle"
        if current != self._pending:  # wait until the files stop changing (editors save twice)
            self._pending = current
            return "settling"
        files = changed(self.seen, current)
        self.seen, self._pending = current, None
        shown = ", ".join(os.path.relpath(f) for f in files[:3]) + (
            " ..." if len(files) > 3 else ""
        )
        log(f"changed: {shown}; checking the new version")
        result = self.check()
        if not result.ok:
            log("the new version does not start; the running version keeps serving:")
            print(result.output.rstrip(), file=sys.stderr, flush=True)
            return "kept"
        if self.child is not None:
            self.child.stop()
        self._restarts += 1
        self.child = self.start(False)
        log("restarted with the new version")
        return "restarted"


class ProcessChild:
    """The dev server in a child process, stopped with SIGTERM (uvicorn's graceful stop)."""

    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(argv)

    def poll(self) -> int | None:
        return self.process.poll()

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class DevOptions:
    data_dir: str
    host: str
    port: int
    brands: list[str] | None
    stack_spec: str
    reset: bool
    log_level: str
    config: str | None = None
    interval: float = 0.5


def child_argv(options: DevOptions, *, first: bool) -> list[str]:
    """`brand-matrix dev --no-reload` with the same options (`--reset` only the first time:
    a restart keeps the data)."""
    argv = [sys.executable, "-m", "gateway.cli", "dev", "--no-reload"]
    argv += ["--data-dir", options.data_dir, "--stack", options.stack_spec]
    argv += ["--host", options.host, "--port", str(options.port), "--log-level", options.log_level]
    if options.brands:
        argv += ["--brands", ",".join(options.brands)]
    if options.config:
        argv += ["--config", options.config]
    if options.reset and first:
        argv.append("--reset")
    return argv


def check_argv(options: DevOptions) -> list[str]:
    argv = [sys.executable, "-m", "gateway.dev_check", "--stack", options.stack_spec]
    if options.brands:
        argv += ["--brands", ",".join(options.brands)]
    elif options.config:
        argv += ["--config", options.config]
    return argv


def run_check(argv: list[str]) -> CheckResult:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return CheckResult(done.returncode == 0, (done.stdout + done.stderr).strip())


def supervise(options: DevOptions) -> int:
    """Run the dev server, restarting it on changes, until interrupted; the exit code."""
    roots = [r for r in watch_roots(options.stack_spec) if r.exists()]
    reloader = Reloader(
        take_snapshot=lambda: snapshot(roots),
        check=lambda: run_check(check_argv(options)),
        start=lambda first: ProcessChild(child_argv(options, first=first)),
    )
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        reloader.begin()
        watched = ", ".join(str(r) for r in roots) or "nothing (stack package not found)"
        log(f"reloading on changes to {watched} (--no-reload turns this off)")
        while True:
            time.sleep(options.interval)
            if reloader.step() == "exit":
                code = reloader.exit_code or 0
                return code if code >= 0 else 1  # killed by a signal
    except KeyboardInterrupt:
        return 130
    finally:
        if reloader.child is not None:
            reloader.child.stop()
        signal.signal(signal.SIGTERM, previous)


def _raise_interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt
