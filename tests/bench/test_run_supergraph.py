"""The benchmark supergraph pointed at another subgraph port."""

from __future__ import annotations

from pathlib import Path

from bench.run.options import DATA
from bench.run.supergraph import point_subgraphs_at, subgraph_ports, supergraph_for_port

SUPERGRAPH = DATA / "supergraph.graphql"


def test_every_subgraph_url_gets_the_new_port() -> None:
    sdl = SUPERGRAPH.read_text()
    assert subgraph_ports(sdl) == {4200}
    moved = point_subgraphs_at(sdl, 4311)
    assert subgraph_ports(moved) == {4311}
    assert 'url: "http://127.0.0.1:4311/accounts"' in moved
    assert moved.replace(":4311/", ":4200/") == sdl  # nothing else changes


def test_the_original_file_is_used_when_the_port_matches(tmp_path: Path) -> None:
    assert supergraph_for_port(SUPERGRAPH, 4200, tmp_path) == SUPERGRAPH
    copy = supergraph_for_port(SUPERGRAPH, 4311, tmp_path)
    assert copy.parent == tmp_path
    assert subgraph_ports(copy.read_text()) == {4311}
