"""The benchmark supergraph, pointed at the port the subgraph server actually uses."""

from __future__ import annotations

import re
from pathlib import Path

# A join__Graph URL on the loopback interface: `url: "http://127.0.0.1:4200/accounts"`.
_LOOPBACK_URL = re.compile(r'(url:\s*"http://(?:127\.0\.0\.1|localhost)):(\d+)(/)')


def point_subgraphs_at(sdl: str, port: int) -> str:
    """`sdl` with every loopback subgraph URL's port replaced by `port`."""
    return _LOOPBACK_URL.sub(lambda match: f"{match[1]}:{port}{match[3]}", sdl)


def subgraph_ports(sdl: str) -> set[int]:
    return {int(match[2]) for match in _LOOPBACK_URL.finditer(sdl)}


def supergraph_for_port(source: Path, port: int, scratch: Path) -> Path:
    """`source` itself when its subgraphs are already at `port`, else a rewritten copy."""
    sdl = source.read_text()
    if subgraph_ports(sdl) == {port}:
        return source
    copy = scratch / source.name
    copy.write_text(point_subgraphs_at(sdl, port))
    return copy
