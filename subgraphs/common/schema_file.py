"""Each subgraph prints its SDL into `schema/<name>.graphql` (checked in, tested for staleness)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"


def schema_file(name: str) -> Path:
    return SCHEMA_DIR / f"{name}.graphql"


def write_schema(name: str, sdl: Callable[[], str], argv: list[str] | None = None) -> int:
    """`python -m subgraphs.<name>.print_schema [FILE]`: write the SDL (default schema_file)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else schema_file(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(sdl(), encoding="utf-8")
    print(f"wrote {target}")
    return 0
