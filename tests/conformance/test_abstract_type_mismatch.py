"""A field whose type differs between subgraphs (`@join__field(type:)`), as composition
allows for shareable fields.

`zoo` declares `Owner.pet` as the interface `Animal`; `kennel` declares the same shareable
field as `Dog` and knows nothing of `Animal`; the supergraph types it `Dog`. Planned in
`zoo`, the client's fields on `pet` are fields of `Dog` and must be sent as `... on Dog`
(a plain `breed` would not validate on `Animal`); planned in `kennel`, they are sent as is.
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --- zoo ------------------------------------------------------------------------------------


@strawberry.interface(name="Animal")
class ZooAnimal:
    id: strawberry.ID
    name: str


@strawberry.federation.type(name="Dog", keys=["id"])
class ZooDog(ZooAnimal):
    name: str = strawberry.federation.field(shareable=True)
    breed: str = "beagle"

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ZooDog:
        return ZooDog(id=id, name=f"dog {id}", breed="beagle")


@strawberry.federation.type(name="Cat", keys=["id"])
class ZooCat(ZooAnimal):
    lives: int


@strawberry.federation.type(name="Owner", keys=["id"])
class ZooOwner:
    id: strawberry.ID
    pet: ZooAnimal | None = strawberry.federation.field(shareable=True)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ZooOwner:
        pet: ZooAnimal = ZooCat(id="c1", name="Tom", lives=9) if id == "o2" else ZooDog(
            id="d1", name="Rex", breed="beagle"
        )
        return ZooOwner(id=id, pet=pet)


@strawberry.type
class ZooQuery:
    @strawberry.field
    def animals(self) -> list[ZooAnimal]:
        return [ZooDog(id="d1", name="Rex", breed="beagle"), ZooCat(id="c1", name="Tom", lives=9)]

    @strawberry.field
    def zoo_owners(self) -> list[ZooOwner]:
        return [
            ZooOwner(id="o1", pet=ZooDog(id="d1", name="Rex", breed="beagle")),
            ZooOwner(id="o3", pet=None),
        ]


zoo = strawberry.federation.Schema(
    query=ZooQuery, types=[ZooDog, ZooCat, ZooOwner], federation_version="2.3"
)

# --- kennel ---------------------------------------------------------------------------------


@strawberry.federation.type(name="Dog", keys=["id"])
class KennelDog:
    id: strawberry.ID
    name: str = strawberry.federation.field(shareable=True)
    barks: bool

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> KennelDog:
        return KennelDog(id=id, name="Rex", barks=True)


@strawberry.federation.type(name="Owner", keys=["id"])
class KennelOwner:
    id: strawberry.ID
    pet: KennelDog | None = strawberry.federation.field(shareable=True)


@strawberry.type
class KennelQuery:
    @strawberry.field
    def owner(self) -> KennelOwner:
        return KennelOwner(id="o1", pet=KennelDog(id="d1", name="Rex", barks=True))


kennel = strawberry.federation.Schema(
    query=KennelQuery, types=[KennelDog, KennelOwner], federation_version="2.3"
)

SUBGRAPHS = {"zoo": zoo, "kennel": kennel}

# Composed by @theguild/federation-composition from the two subgraphs above.
SUPERGRAPH = r'''schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) {
  query: Query
}

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
) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

directive @join__type(
  graph: join__Graph!
  key: join__FieldSet
  extension: Boolean! = false
  resolvable: Boolean! = true
  isInterfaceObject: Boolean! = false
) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

scalar join__FieldSet

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar link__Import

enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY
  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}

enum join__Graph {
  KENNEL @join__graph(name: "kennel", url: "http://127.0.0.1:4200/kennel")
  ZOO @join__graph(name: "zoo", url: "http://127.0.0.1:4200/zoo")
}

type Dog implements Animal @join__type(graph: KENNEL, key: "id") @join__type(graph: ZOO, key: "id") @join__implements(graph: ZOO, interface: "Animal") {
  id: ID!
  name: String!
  barks: Boolean! @join__field(graph: KENNEL)
  breed: String! @join__field(graph: ZOO)
}

type Owner @join__type(graph: KENNEL, key: "id") @join__type(graph: ZOO, key: "id") {
  id: ID!
  pet: Dog @join__field(graph: KENNEL, type: "Dog") @join__field(graph: ZOO, type: "Animal")
}

type Query @join__type(graph: KENNEL) @join__type(graph: ZOO) {
  owner: Owner! @join__field(graph: KENNEL)
  animals: [Animal!]! @join__field(graph: ZOO)
  zooOwners: [Owner!]! @join__field(graph: ZOO)
}

type Cat implements Animal @join__type(graph: ZOO, key: "id") @join__implements(graph: ZOO, interface: "Animal") {
  id: ID!
  name: String!
  lives: Int!
}

interface Animal @join__type(graph: ZOO) {
  id: ID!
  name: String!
}'''

CASES = [
    Case(
        "field-planned-where-the-subgraph-has-the-same-type",
        "{ owner { id pet { __typename name barks ... on Animal { id } } } }",
        {
            "data": {
                "owner": {
                    "id": "o1",
                    "pet": {"__typename": "Dog", "name": "Rex", "barks": True, "id": "d1"},
                }
            }
        },
    ),
    Case(
        "field-planned-where-the-subgraph-has-the-wider-interface",
        "{ zooOwners { id pet { __typename name breed } } }",
        {
            "data": {
                "zooOwners": [
                    {"id": "o1", "pet": {"__typename": "Dog", "name": "Rex", "breed": "beagle"}},
                    {"id": "o3", "pet": None},
                ]
            }
        },
    ),
    Case(
        "wider-subgraph-then-a-jump-for-the-narrower-ones-field",
        "{ zooOwners { pet { name breed barks } } }",
        {
            "data": {
                "zooOwners": [
                    {"pet": {"name": "Rex", "breed": "beagle", "barks": True}},
                    {"pet": None},
                ]
            }
        },
    ),
    Case(
        "interface-fragment-inside-the-narrow-type",
        "{ zooOwners { pet { ... on Animal { id name } } } }",
        {"data": {"zooOwners": [{"pet": {"id": "d1", "name": "Rex"}}, {"pet": None}]}},
    ),
    Case(
        "abstract-list-from-the-interface-subgraph",
        "{ animals { __typename name ... on Dog { breed barks } ... on Cat { lives } } }",
        {
            "data": {
                "animals": [
                    {"__typename": "Dog", "name": "Rex", "breed": "beagle", "barks": True},
                    {"__typename": "Cat", "name": "Tom", "lives": 9},
                ]
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_abstract_type_mismatch(case: Case) -> None:
    gateway = make_gateway(SUPERGRAPH, SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
