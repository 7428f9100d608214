"""`python -m subgraphs.content.print_schema [FILE]`: write this subgraph's SDL (default
`schema/content.graphql` at the repository root)."""

from __future__ import annotations

from subgraphs.common.schema_file import schema_file, write_schema

from .schema import sdl

SCHEMA_FILE = schema_file("content")


def main(argv: list[str] | None = None) -> int:
    return write_schema("content", sdl, argv)


if __name__ == "__main__":
    raise SystemExit(main())
