"""The API schema `brand-matrix compose` writes next to the supergraph (schema/api.graphql)."""

from __future__ import annotations

import pytest
from graphql import build_schema, print_schema

from gateway.composition import SubgraphInput, compose
from gateway.composition.api_printer import print_api_schema
from gateway.errors import SupergraphError
from gateway.supergraph import load_supergraph
from tests.gateway.tiny_federation import supergraph_sdl as tiny_supergraph_sdl

LINK = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", '
    'import: ["@key", "@shareable", "@inaccessible", "@tag"])\n'
)
STORES = (
    LINK
    + """
type Query {
  store(id: ID!): Store
  stores(region: Region, legacyCode: String @inaccessible): [Store!]!
}

"A physical shop"
type Store @key(fields: "id") {
  id: ID!
  name: String! @shareable @tag(name: "public")
  "Floor area in square metres"
  area: Int @deprecated(reason: "use floorArea")
  floorArea: Int
  internalCode: String @inaccessible
  region: Region!
}

enum Region { NORTH SOUTH LEGACY @inaccessible }

type AuditRecord @inaccessible { id: ID! }
"""
)
STAFF = (
    LINK
    + """
type Store @key(fields: "id") {
  id: ID!
  name: String! @shareable
  manager: Staff
}

type Staff { name: String! roles: [Role!]! }

enum Role { MANAGER CLERK }

input StaffFilter { role: Role name: String }

type Query { staff(filter: StaffFilter): [Staff!]! }
"""
)
EXPECTED_API = '''type Query {
  staff(filter: StaffFilter): [Staff!]!
  store(id: ID!): Store
  stores(region: Region): [Store!]!
}

enum Region {
  NORTH
  SOUTH
}

enum Role {
  MANAGER
  CLERK
}

type Staff {
  name: String!
  roles: [Role!]!
}

input StaffFilter {
  role: Role
  name: String
}

"""A physical shop"""
type Store {
  id: ID!
  name: String!
  manager: Staff

  """Floor area in square metres"""
  area: Int @deprecated(reason: "use floorArea")
  floorArea: Int
  region: Region!
}
'''


def _supergraph(order: tuple[str, str] = ("stores", "staff")) -> str:
    sdls = {"stores": STORES, "staff": STAFF}
    result = compose([SubgraphInput(name, f"http://{name}/graphql", sdls[name]) for name in order])
    assert result.errors == []
    assert result.supergraph_sdl is not None
    return result.supergraph_sdl


def test_api_schema_is_what_clients_see() -> None:
    assert print_api_schema(_supergraph()) == EXPECTED_API


def test_no_federation_machinery_or_inaccessible_elements_remain() -> None:
    supergraph = _supergraph()
    api = print_api_schema(supergraph)
    # The supergraph has them all, so this test fails if the printer stops removing them.
    for text in ("join__", "link__", "@link", "@inaccessible", "@tag", "AuditRecord"):
        assert text in supergraph
        assert text not in api
    for hidden in ("internalCode", "legacyCode", "LEGACY"):
        assert hidden in supergraph
        assert hidden not in api


def test_api_schema_is_the_gateways_api_schema_printed() -> None:
    supergraph = _supergraph()
    expected = print_schema(load_supergraph(supergraph).api_schema) + "\n"
    assert print_api_schema(supergraph) == expected


def test_api_schema_is_deterministic() -> None:
    first = print_api_schema(_supergraph(("stores", "staff")))
    again = print_api_schema(_supergraph(("staff", "stores")))
    assert first == again == print_api_schema(_supergraph())
    assert first.endswith("}\n") and not first.endswith("\n\n")


def test_api_schema_is_a_valid_schema_that_prints_back_identically() -> None:
    api = print_api_schema(_supergraph())
    assert print_schema(build_schema(api)) + "\n" == api


def test_api_schema_of_a_supergraph_composed_elsewhere() -> None:
    api = print_api_schema(tiny_supergraph_sdl())
    # In that supergraph's own order (Mutation is written first there).
    assert api == (
        "type Mutation {\n"
        "  shout(text: String!): String!\n"
        "}\n"
        "\n"
        "type Query {\n"
        '  hello(name: String! = "world"): String!\n'
        "  fail: String\n"
        "}\n"
    )


def test_a_broken_supergraph_is_a_supergraph_error() -> None:
    with pytest.raises(SupergraphError):
        print_api_schema("type Query { a: String }")
