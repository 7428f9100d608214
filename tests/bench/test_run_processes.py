"""Every process the harness starts is stopped: whole process groups, errors included."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bench.run import procfs
from bench.run.options import parse_options
from bench.run.processes import ProcessSet


def alive(pid: int) -> bool:
    try:
        stat = (procfs.PROC / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie has stopped already


def wait_for_pid_file(path: Path) -> int:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        time.sleep(0.02)
    raise AssertionError("the child never wrote its pid")


def test_leaving_the_set_on_an_error_stops_children_and_grandchildren(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild"
    # The shell ignores SIGTERM and its grandchild is a separate process, like npx and node.
    script = f"trap '' TERM; sleep 60 & echo $! > {pid_file}; wait"
    with pytest.raises(RuntimeError), ProcessSet(grace=0.3) as processes:
        child = processes.start("shell", ["sh", "-c", script], log_path=tmp_path / "log")
        grandchild = wait_for_pid_file(pid_file)
        assert os.getpgid(grandchild) == child.pid  # its own process group
        raise RuntimeError("boom")
    assert not alive(child.pid)
    assert not alive(grandchild)


def test_a_child_that_exited_can_still_be_stopped(tmp_path: Path) -> None:
    with ProcessSet() as processes:
        child = processes.start("true", ["true"], log_path=tmp_path / "log")
        child.popen.wait(timeout=5)
        assert child.exited() == 0
    assert child.log_tail() == ""


def test_options_parse_connection_lists_and_gateway_names() -> None:
    options = parse_options(["--connections", "50,1", "--gateways", "brand-matrix"])
    assert options.connections == (50, 1)
    assert options.gateways == ("brand-matrix",)
    assert parse_options(["--no-peers"]).gateways == ("brand-matrix",)
    assert parse_options([]).duration == 15.0
    with pytest.raises(SystemExit):
        parse_options(["--connections", "0"])
    with pytest.raises(SystemExit):
        parse_options(["--gateways", "apollo-router"])
