"""What the harness reads from /proc: CPU ticks, peak RSS, listening sockets, process trees."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from bench.run import procfs

# A real /proc/PID/stat line, with a command name that holds a space and a parenthesis.
STAT = (
    "4242 (node (worker) x) S 4240 4242 4242 0 -1 4194560 3091 0 0 0 "
    "1234 567 0 0 20 0 11 0 123456 1097138176 61234 18446744073709551615 "
    "1 1 0 0 0 0 0 16781312 1073760770 0 0 0 17 1 0 0 0 0 0"
)

STATUS = """Name:\tnode
VmPeak:\t 1203456 kB
VmHWM:\t  245120 kB
VmRSS:\t  240000 kB
Threads:\t11
"""

TCP = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1068 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31337 1
   1: 0100007F:1068 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 31338 1
   2: 0100007F:0FA0 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 42 1
"""


def test_stat_cpu_ticks_are_utime_plus_stime_despite_odd_names() -> None:
    assert procfs.parse_stat_cpu_ticks(STAT) == 1234 + 567
    assert procfs.parse_stat_ppid(STAT) == 4240


def test_machine_busy_ticks_leave_out_idle_and_iowait() -> None:
    stat = "cpu  100 5 50 9000 300 7 3 2 40 0\ncpu0 50 2 25 4500 150 3 1 1 20 0\n"
    assert procfs.parse_machine_busy_ticks(stat) == 100 + 5 + 50 + 7 + 3 + 2
    assert procfs.machine_busy_seconds() > 0


def test_status_values_are_read_in_kib() -> None:
    assert procfs.parse_status_kib(STATUS, "VmHWM") == 245120
    with pytest.raises(KeyError):
        procfs.parse_status_kib(STATUS, "VmSwap")


def test_listening_inodes_are_those_in_listen_state_on_the_port() -> None:
    # 0x1068 = 4200, 0x0FA0 = 4000; the established connection (state 01) is not counted.
    assert procfs.parse_listening_inodes(TCP, 4200) == {31337}
    assert procfs.parse_listening_inodes(TCP, 4000) == {42}
    assert procfs.parse_listening_inodes(TCP, 4001) == set()


def test_cpu_seconds_of_this_process_grow_with_work() -> None:
    before = procfs.cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.05
    while time.process_time() < deadline:
        pass
    assert procfs.cpu_seconds(os.getpid()) > before


def test_peak_rss_is_at_least_the_current_rss() -> None:
    status = (procfs.PROC / str(os.getpid()) / "status").read_text()
    assert procfs.peak_rss_bytes(os.getpid()) >= procfs.parse_status_kib(status, "VmRSS") * 1024


def test_listening_pid_finds_the_process_in_the_tree_that_listens() -> None:
    # A child that listens, under this process: found from the root, as with npx and node.
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import socket, sys, time\n"
            "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
            "print(s.getsockname()[1], flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        assert procfs.listening_pid(port, os.getpid()) == child.pid
        assert child.pid in procfs.descendants(os.getpid())
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            assert procfs.listening_pid(unused.getsockname()[1], os.getpid()) is None
    finally:
        child.kill()
        child.wait()
