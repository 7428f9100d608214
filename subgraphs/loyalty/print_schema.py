"""`python -m subgraphs.loyalty.print_schema [FILE]`: write the loyalty subgraph's SDL (default
`schema/loyalty.graphql` at the repository root)."""

from __future__ import annotations

import sys
from pathlib import Path

from .schema import sdl

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "loyalty.graphql"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else SCHEMA_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(sdl(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
