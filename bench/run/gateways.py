"""How each gateway is started: one process, listening on 127.0.0.1 at a port we choose."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from bench.run.peers import APOLLO_GATEWAY, HIVE_GATEWAY, NodeTools


@dataclass(frozen=True)
class Launch:
    argv: list[str]
    cwd: Path | None = None
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))


@dataclass(frozen=True)
class GatewaySpec:
    key: str
    title: str
    version: str
    # (supergraph file, port) -> how to start it
    launch: Callable[[Path, int], Launch]
    # Node peers load a lot of JavaScript before they listen.
    startup_timeout: float = 60.0


def brand_matrix() -> GatewaySpec:
    # The console script installed next to this interpreter, so the venv's gateway runs.
    script = Path(sys.executable).with_name("brand-matrix")
    command = str(script) if script.exists() else shutil.which("brand-matrix") or "brand-matrix"

    def launch(supergraph: Path, port: int) -> Launch:
        return Launch(
            [
                command,
                "serve",
                "--supergraph",
                str(supergraph),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ]
        )

    return GatewaySpec("brand-matrix", "Brand Matrix", _our_version(), launch, 30.0)


def apollo_gateway(folder: Path, tools: NodeTools) -> GatewaySpec:
    def launch(supergraph: Path, port: int) -> Launch:
        return Launch(
            [tools.node, str(folder / "apollo-gateway.cjs"), str(supergraph), str(port)],
            cwd=folder,
            env=_node_env(),
        )

    return GatewaySpec("apollo-gateway", APOLLO_GATEWAY.title, APOLLO_GATEWAY.version, launch, 90.0)


def hive_gateway(folder: Path, tools: NodeTools, *, public_setup: bool = False) -> GatewaySpec:
    """Hive Gateway as it comes: like ours, it merges identical in-flight subgraph requests.

    `public_setup` runs it as the public benchmark does instead: with --jit, and with that
    merging turned off (hive-gateway.config.mjs).
    """
    extra = ["--jit", "--config-path", str(folder / "hive-gateway.config.mjs")]

    def launch(supergraph: Path, port: int) -> Launch:
        return Launch(
            [
                tools.npx,
                "--no",  # never fetch: run the pinned local install
                "hive-gateway",
                "supergraph",
                str(supergraph),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--fork",
                "1",  # one process, like the others (1 is also its default)
                *(extra if public_setup else []),
            ],
            cwd=folder,
            env=_node_env(),
        )

    version = HIVE_GATEWAY.version + (" (public setup)" if public_setup else "")
    return GatewaySpec("hive-gateway", HIVE_GATEWAY.title, version, launch, 90.0)


def _node_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NODE_ENV"] = "production"
    # Belt and braces: no Apollo key means no usage reporting in any case.
    for name in ("APOLLO_KEY", "APOLLO_GRAPH_REF"):
        env.pop(name, None)
    return env


def _our_version() -> str:
    try:
        return metadata.version("brand-matrix")
    except metadata.PackageNotFoundError:
        return "dev"
