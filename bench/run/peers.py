"""The peer gateways' npm packages: pinned versions, installed once into a scratch folder.

Each peer gets its own folder under the peers directory (outside the repository, so no
node_modules is ever committed), with a package.json naming exact versions; a folder whose
installed versions already match is reused as it is.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.run.processes import HarnessError, ProcessSet

ASSETS = Path(__file__).resolve().parent / "peers"
INSTALL_TIMEOUT_SECONDS = 900.0
# graphql 16: what both peers declare as their peer dependency (17 is not supported by them).
GRAPHQL_VERSION = "16.15.0"


@dataclass(frozen=True)
class PeerPackage:
    title: str
    folder: str
    main_package: str
    dependencies: dict[str, str]  # exact versions
    assets: tuple[str, ...]  # files copied from bench/run/peers/ next to node_modules

    @property
    def version(self) -> str:
        return self.dependencies[self.main_package]


APOLLO_GATEWAY = PeerPackage(
    title="Apollo Gateway",
    folder="apollo-gateway",
    main_package="@apollo/gateway",
    dependencies={
        "@apollo/gateway": "2.14.4",
        "@apollo/server": "5.5.1",
        "graphql": GRAPHQL_VERSION,
    },
    assets=("apollo-gateway.cjs",),
)
HIVE_GATEWAY = PeerPackage(
    title="Hive Gateway",
    folder="hive-gateway",
    main_package="@graphql-hive/gateway",
    dependencies={"@graphql-hive/gateway": "2.15.1", "graphql": GRAPHQL_VERSION},
    assets=("hive-gateway.config.mjs",),
)


@dataclass(frozen=True)
class NodeTools:
    node: str
    npm: str
    npx: str
    version: str


def find_node() -> NodeTools | None:
    """node, npm and npx from PATH, or None when any is missing."""
    node, npm, npx = shutil.which("node"), shutil.which("npm"), shutil.which("npx")
    if not (node and npm and npx):
        return None
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, timeout=30, check=False
    ).stdout.strip()
    return NodeTools(node, npm, npx, version)


def installed_version(folder: Path, package: str) -> str | None:
    manifest = folder / "node_modules" / package / "package.json"
    try:
        return str(json.loads(manifest.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


def is_installed(peer: PeerPackage, folder: Path) -> bool:
    return all(
        installed_version(folder, name) == version for name, version in peer.dependencies.items()
    )


def ensure_installed(
    peer: PeerPackage, peers_dir: Path, tools: NodeTools, processes: ProcessSet
) -> Path:
    """The peer's folder, with its pinned packages installed and its files copied in."""
    folder = peers_dir / peer.folder
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {
        "name": f"brand-matrix-bench-{peer.folder}",
        "private": True,
        "description": "Peer gateway for Brand Matrix's benchmark harness (bench/run).",
        "dependencies": peer.dependencies,
    }
    (folder / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    if not is_installed(peer, folder):
        _npm_install(peer, folder, tools, processes)
    for asset in peer.assets:
        shutil.copyfile(ASSETS / asset, folder / asset)
    return folder


def _npm_install(peer: PeerPackage, folder: Path, tools: NodeTools, processes: ProcessSet) -> None:
    log = folder / "npm-install.log"
    print(f"  installing {peer.main_package}@{peer.version} into {folder} ...", flush=True)
    child = processes.start(
        f"npm install ({peer.folder})",
        [tools.npm, "install", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=folder,
        log_path=log,
    )
    try:
        code = child.popen.wait(timeout=INSTALL_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as error:
        raise HarnessError(
            f"npm install for {peer.folder} took over {INSTALL_TIMEOUT_SECONDS:.0f} s"
        ) from error
    finally:
        processes.stop(child)
    if code != 0 or not is_installed(peer, folder):
        raise HarnessError(
            f"npm install for {peer.folder} failed (exit {code}): {child.log_tail(5)}"
        )
