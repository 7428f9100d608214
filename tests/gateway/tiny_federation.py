"""A one-subgraph federation for end-to-end tests: a Strawberry subgraph and its supergraph.

The supergraph is hand-written in Apollo's join v0.3 format, as `rover` would compose it.
"""

from __future__ import annotations

import strawberry
from strawberry.asgi import GraphQL

SUBGRAPH_NAME = "hello"


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "world") -> str:
        return f"Hello, {name}!"

    @strawberry.field
    def fail(self) -> str | None:
        raise ValueError("fail always fails")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def shout(self, text: str) -> str:
        return text.upper()


def subgraph_app() -> GraphQL:
    schema = strawberry.federation.Schema(query=Query, mutation=Mutation)
    return GraphQL(schema)


def in_process_apps() -> dict[str, GraphQL]:
    """For `brand-matrix serve --in-process tests.gateway.tiny_federation:in_process_apps`."""
    return {SUBGRAPH_NAME: subgraph_app()}


def supergraph_sdl(subgraph_url: str = "http://127.0.0.1:9/graphql") -> str:
    """The supergraph; `subgraph_url` only matters when no in-process transport is given."""
    return _SUPERGRAPH.replace("SUBGRAPH_URL", subgraph_url)


_SUPERGRAPH = """
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) {
  query: Query
  mutation: Mutation
}

directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__field(
  graph: join__Graph
  requires: join__FieldSet
  provides: join__FieldSet
  type: String
  external: Boolean
  override: String
  usedOverridden: Boolean
) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__implements(
  graph: join__Graph!
  interface: String!
) repeatable on OBJECT | INTERFACE

directive @join__type(
  graph: join__Graph!
  key: join__FieldSet
  extension: Boolean! = false
  resolvable: Boolean! = true
  isInterfaceObject: Boolean! = false
) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(
  graph: join__Graph!
  member: String!
) repeatable on UNION

directive @link(
  url: String
  as: String
  for: link__Purpose
  import: [link__Import]
) repeatable on SCHEMA

scalar join__FieldSet

enum join__Graph {
  HELLO @join__graph(name: "hello", url: "SUBGRAPH_URL")
}

scalar link__Import

enum link__Purpose {
  SECURITY
  EXECUTION
}

type Mutation
  @join__type(graph: HELLO) {
  shout(text: String!): String!
}

type Query
  @join__type(graph: HELLO) {
  hello(name: String! = "world"): String!
  fail: String
}
"""
