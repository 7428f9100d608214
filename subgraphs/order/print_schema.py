"""`python -m subgraphs.order.print_schema [FILE]`: write this subgraph's SDL (default
`schema/order.graphql` at the repository root)."""

from __future__ import annotations

from subgraphs.common.schema_file import schema_file, write_schema

from .schema import sdl

SCHEMA_FILE = schema_file("order")


def main(argv: list[str] | None = None) -> int:
    return write_schema("order", sdl, argv)


if __name__ == "__main__":
    raise SystemExit(main())
