"""The working copy of every subgraph: its SDL as its code prints it now (`check --all`).

Printed in a subprocess (`gateway.checks.print_sdls`) run from the config's directory, so the
gateway process never imports subgraph code and always sees the code as it is on disk.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from gateway.checks.inputs import CheckInputError
from gateway.checks.print_sdls import DEFAULT_MODULE
from gateway.composition.subgraph import SubgraphInput


def working_copy(
    current: dict[str, SubgraphInput],
    root: Path,
    *,
    module: str = DEFAULT_MODULE,
    timeout: float = 300.0,
) -> dict[str, SubgraphInput]:
    """name -> the SDL each configured subgraph's print module writes now."""
    if "{name}" not in module:
        raise CheckInputError(f"--print-module {module!r} must contain {{name}}")
    root = root.resolve()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    with tempfile.TemporaryDirectory(prefix="brand-matrix-check-") as directory:
        command = [sys.executable, "-m", "gateway.checks.print_sdls", "--out", directory]
        command += ["--module", module, *current]
        try:
            done = subprocess.run(
                command, cwd=root, env=env, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            raise CheckInputError(f"printing the subgraph schemas took over {timeout:g}s") from None
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
            raise CheckInputError([f"--all: {line}" for line in lines[-len(current) :]])
        printed: dict[str, SubgraphInput] = {}
        for name, given in current.items():
            sdl = (Path(directory) / f"{name}.graphql").read_text(encoding="utf-8")
            printed[name] = SubgraphInput(name, given.url, sdl)
    return printed
