"""A field whose type differs between subgraphs (`@join__field(type:)`), as composition
allows for shareable fields.

`zoo` declares `Owner.pet` as the interface `Animal`; `kennel` declares the same shareable
field as `Dog` and knows nothing of `Animal`; composition types it `Animal` (the more general
of the two, as Apollo's composition does) and records each subgraph's own type. Clients select
`Dog` fields through `... on Dog`. Planned in `kennel`, where `pet` is a `Dog`, fragments on
`Animal` (a type kennel does not have) cannot be sent as written; planned in `zoo`, the
selection is sent as is.
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
        pet: ZooAnimal = (
            ZooCat(id="c1", name="Tom", lives=9)
            if id == "o2"
            else ZooDog(id="d1", name="Rex", breed="beagle")
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


CASES = [
    Case(
        "field-planned-where-the-subgraph-has-the-same-type",
        "{ owner { id pet { __typename name ... on Dog { barks } ... on Animal { id } } } }",
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
        "{ zooOwners { id pet { __typename name ... on Dog { breed } } } }",
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
        "{ zooOwners { pet { name ... on Dog { breed barks } } } }",
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
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
