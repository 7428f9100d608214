"""Apollo's composition (`@apollo/composition` on npm) as the reference for differential tests.

The npm packages live outside the repository, in $BRAND_MATRIX_NODE_DIR (default
~/.cache/brand-matrix-node); `.ci/run` installs them there. `compose_reference.cjs` (beside this
file) composes a JSON list of subgraphs read on stdin.

Tests call `reference_compose`: without `node` on the machine it skips the test (the only
allowed skip); with `node` but without the package it fails, saying how to install it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from gateway.composition import SubgraphInput

APOLLO_COMPOSITION_VERSION = "2.14.4"  # keep in step with .ci/run
SCRIPT = Path(__file__).with_name("compose_reference.cjs")


def node_dir() -> Path:
    configured = os.environ.get("BRAND_MATRIX_NODE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "brand-matrix-node"


def install_command() -> str:
    return (
        f'npm install --prefix "{node_dir()}" '
        f"@apollo/composition@{APOLLO_COMPOSITION_VERSION} graphql@16 --no-audit --no-fund"
    )


@dataclass(frozen=True)
class ReferenceResult:
    supergraph_sdl: str | None
    errors: list[tuple[str, str]]  # (code, message)

    @property
    def codes(self) -> set[str]:
        return {code for code, _ in self.errors}


def require_node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("differential composition tests need Node.js (`node` is not on PATH)")
    return node


def reference_compose(inputs: Sequence[SubgraphInput]) -> ReferenceResult:
    return reference_compose_many({"case": inputs})["case"]


def reference_compose_many(
    cases: dict[str, Sequence[SubgraphInput]],
) -> dict[str, ReferenceResult]:
    """Compose several subgraph sets in one Node process (Node's start-up dominates)."""
    node = require_node()
    payload = json.dumps(
        {
            key: [{"name": i.name, "url": i.url, "sdl": i.sdl} for i in inputs]
            for key, inputs in cases.items()
        }
    )
    env = {**os.environ, "BRAND_MATRIX_NODE_DIR": str(node_dir())}
    done = subprocess.run(
        [node, str(SCRIPT), "--many"],
        input=payload,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if done.returncode == 3:
        pytest.fail(
            f"@apollo/composition is not installed in {node_dir()} "
            f"({done.stderr.strip()}); install it with: {install_command()}",
            pytrace=False,
        )
    if done.returncode != 0:
        pytest.fail(f"the reference composer crashed:\n{done.stderr}", pytrace=False)
    answers = json.loads(done.stdout)
    return {
        key: ReferenceResult(
            answer.get("supergraphSdl"),
            [(e["code"], e["message"]) for e in answer.get("errors") or ()],
        )
        for key, answer in answers.items()
    }
