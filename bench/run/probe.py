"""Single blocking HTTP calls from the harness itself (health checks, /count, readiness)."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

JSON_HEADERS = {"content-type": "application/json", "accept": "application/json"}


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


def get(url: str, timeout: float = 5.0) -> Answer:
    return _call(urllib.request.Request(url), timeout)


def post(url: str, body: bytes, timeout: float = 30.0) -> Answer:
    request = urllib.request.Request(url, data=body, headers=JSON_HEADERS, method="POST")
    return _call(request, timeout)


def subgraph_count(base_url: str) -> int:
    """Subgraph requests the subgraph server has served so far (its GET /count)."""
    answer = get(f"{base_url}/count")
    if answer.status != 200:
        raise OSError(f"GET {base_url}/count answered {answer.status}")
    return int(answer.body)


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Nobody listens on `port` (connections lingering in TIME_WAIT do not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As servers bind: SO_REUSEADDR, so only a listening socket makes the bind fail.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _call(request: urllib.request.Request, timeout: float) -> Answer:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, response.read())
    except urllib.error.HTTPError as error:  # 4xx/5xx still carry a body worth reporting
        return Answer(error.code, error.read())
