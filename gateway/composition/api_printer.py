"""The API schema as SDL: what clients see (for codegen and review), printed from a supergraph.

It is the gateway's own API schema (`load_supergraph(sdl).api_schema`): no `join__`/`link__`
machinery, no `@inaccessible` elements. Printed with graphql-core's `print_schema`, in the
supergraph's order, so the same supergraph always prints the same text.
"""

from __future__ import annotations

from graphql import print_schema

from gateway.supergraph import load_supergraph


def print_api_schema(supergraph_sdl: str) -> str:
    """The client-facing schema of `supergraph_sdl`, ending with one newline."""
    schema = load_supergraph(supergraph_sdl).api_schema
    return print_schema(schema).rstrip("\n") + "\n"
