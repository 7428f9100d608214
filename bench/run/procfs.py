"""What /proc tells about a process: CPU time, peak memory, and who listens on a port."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
_TCP_LISTEN = "0A"


def parse_stat_cpu_ticks(stat: str) -> int:
    """utime + stime (fields 14 and 15 of /proc/PID/stat), in clock ticks.

    For a process these count all of its threads, live and exited. The command name (field 2)
    may hold spaces and parentheses, so fields are counted from the last ")".
    """
    fields = stat[stat.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state), so field N is fields[N - 3].
    return int(fields[11]) + int(fields[12])


def parse_stat_ppid(stat: str) -> int:
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def parse_machine_busy_ticks(stat: str) -> int:
    """Busy CPU ticks of the whole machine, all cores, from the "cpu" line of /proc/stat.

    Busy is everything but idle and iowait; guest time is already inside user time.
    """
    for line in stat.splitlines():
        fields = line.split()
        if fields and fields[0] == "cpu":
            user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
            return user + nice + system + irq + softirq + steal
    raise ValueError("no cpu line in /proc/stat")


def machine_busy_seconds() -> float:
    """CPU seconds all processes on the machine have used so far, summed over cores."""
    return parse_machine_busy_ticks((PROC / "stat").read_text()) / CLOCK_TICKS_PER_SECOND


def parse_status_kib(status: str, key: str) -> int:
    """A "Key:   1234 kB" line of /proc/PID/status, in KiB."""
    for line in status.splitlines():
        name, _, value = line.partition(":")
        if name == key:
            return int(value.split()[0])
    raise KeyError(key)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds the process (all its threads) has used so far."""
    return parse_stat_cpu_ticks((PROC / str(pid) / "stat").read_text()) / CLOCK_TICKS_PER_SECOND


def peak_rss_bytes(pid: int) -> int:
    """VmHWM: the highest resident set size since start or since `reset_peak_rss`."""
    return parse_status_kib((PROC / str(pid) / "status").read_text(), "VmHWM") * 1024


def reset_peak_rss(pid: int) -> bool:
    """Restart VmHWM from the current RSS (Linux 4.0+); False where that is not allowed."""
    try:
        (PROC / str(pid) / "clear_refs").write_text("5")
    except OSError:
        return False
    return True


def parse_listening_inodes(table: str, port: int) -> set[int]:
    """Socket inodes in LISTEN state on `port`, from the text of /proc/net/tcp or tcp6."""
    inodes: set[int] = set()
    for line in table.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 10:
            continue
        local, state, inode = fields[1], fields[3], int(fields[9])
        if state == _TCP_LISTEN and int(local.rsplit(":", 1)[1], 16) == port and inode:
            inodes.add(inode)
    return inodes


def descendants(root: int) -> list[int]:
    """`root` and every process below it, parents before children."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError):
            ppid = parse_stat_ppid((entry / "stat").read_text())
            children.setdefault(ppid, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop(0)
        found.append(pid)
        queue.extend(sorted(children.get(pid, [])))
    return found


def listening_pid(port: int, root: int) -> int | None:
    """The process in `root`'s tree that holds the listening socket on `port`.

    For a gateway started through npx this is the node process that serves, not npx itself.
    """
    inodes: set[int] = set()
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(OSError):
            inodes |= parse_listening_inodes((PROC / "net" / table).read_text(), port)
    if not inodes:
        return None
    targets = {f"socket:[{inode}]" for inode in inodes}
    for pid in descendants(root):
        fd_dir = PROC / str(pid) / "fd"
        with contextlib.suppress(OSError):
            for fd in fd_dir.iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in targets:
                        return pid
    return None
