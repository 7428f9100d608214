"""Hand-written supergraphs in Apollo's format, for unit tests of the gateway core.

`supergraph(["products", "reviews"], TYPES)` gives a join v0.3 supergraph (as `rover` would
compose it) whose `join__Graph` enum has PRODUCTS and REVIEWS; TYPES holds the composed
types, using `@join__type`, `@join__field`, ... with those enum values.
"""

from __future__ import annotations

from collections.abc import Iterable

_LINK = """
directive @link(
  url: String
  as: String
  for: link__Purpose
  import: [link__Import]
) repeatable on SCHEMA

scalar link__Import

enum link__Purpose {
  SECURITY
  EXECUTION
}
"""

_JOIN_V03 = """
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

scalar join__FieldSet
"""

_JOIN_V04 = """
directive @join__directive(
  graphs: [join__Graph!]
  name: String!
  args: join__DirectiveArguments
) repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION

directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__field(
  graph: join__Graph
  requires: join__FieldSet
  provides: join__FieldSet
  type: String
  external: Boolean
  override: String
  usedOverridden: Boolean
  overrideLabel: String
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

scalar join__DirectiveArguments

scalar join__FieldSet
"""

_JOIN_V05 = """
directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__field(
  graph: join__Graph
  requires: join__FieldSet
  provides: join__FieldSet
  type: String
  external: Boolean
  override: String
  usedOverridden: Boolean
  overrideLabel: String
  contextArguments: [join__ContextArgument!]
) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

input join__ContextArgument {
  name: String!
  type: String!
  context: String!
  selection: join__FieldValue!
}

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

scalar join__FieldSet

scalar join__FieldValue
"""

_JOIN = {"0.3": _JOIN_V03, "0.4": _JOIN_V04, "0.5": _JOIN_V05}

INACCESSIBLE_LINK = '@link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)'
INACCESSIBLE_DEFINITION = """
directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION \
| SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
"""


def graph_url(name: str) -> str:
    return f"http://{name}.example:4001/graphql"


def supergraph(
    graphs: Iterable[str],
    types: str,
    *,
    version: str = "0.3",
    roots: str = "query: Query",
    extra_links: str = "",
    extra_definitions: str = "",
) -> str:
    """A supergraph with the given subgraphs (enum value = NAME.upper()) and composed types."""
    values = "\n".join(
        f'  {name.upper()} @join__graph(name: "{name}", url: "{graph_url(name)}")'
        for name in graphs
    )
    return (
        "schema\n"
        '  @link(url: "https://specs.apollo.dev/link/v1.0")\n'
        f'  @link(url: "https://specs.apollo.dev/join/v{version}", for: EXECUTION)\n'
        f"  {extra_links}\n"
        f"{{\n  {roots}\n}}\n"
        f"{_JOIN[version]}\n{_LINK}\n{extra_definitions}\n"
        f"enum join__Graph {{\n{values}\n}}\n"
        f"{types}\n"
    )
