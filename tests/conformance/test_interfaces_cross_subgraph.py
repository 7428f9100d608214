"""Interfaces whose implementations live in different subgraphs.

Both subgraphs define `interface Animal { id name }`; `Dog` (an entity) implements it in both,
`Cat` only in the shelter subgraph, so the supergraph's `Animal` has two implementations that no
single subgraph fully knows. Covers: interface fields, `__typename`, inline and named fragments
per implementation whose fields come from the other subgraph (entity fetches per concrete
type), and fragments on a type the answering subgraph never returns.
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --- zoo: knows dogs and their breed --------------------------------------------------------


@strawberry.interface(name="Animal")
class ZooAnimal:
    id: strawberry.ID
    name: str


@strawberry.federation.type(name="Dog", keys=["id"])
class ZooDog(ZooAnimal):
    name: str = strawberry.federation.field(shareable=True)
    breed: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ZooDog:
        return _ZOO_DOGS[str(id)]


_ZOO_DOGS = {
    "d1": ZooDog(id=strawberry.ID("d1"), name="Rex", breed="Beagle"),
    "d2": ZooDog(id=strawberry.ID("d2"), name="Fido", breed="Poodle"),
    "d3": ZooDog(id=strawberry.ID("d3"), name="Max", breed="Collie"),
}


@strawberry.type(name="Query")
class ZooQuery:
    @strawberry.field
    def zoo_animals(self) -> list[ZooAnimal]:
        return [_ZOO_DOGS["d1"], _ZOO_DOGS["d2"]]


zoo_schema = strawberry.federation.Schema(query=ZooQuery, types=[ZooDog], federation_version="2.9")

# --- shelter: knows dogs (adoption state) and cats --------------------------------------------


@strawberry.interface(name="Animal")
class ShelterAnimal:
    id: strawberry.ID
    name: str


@strawberry.federation.type(name="Dog", keys=["id"])
class ShelterDog(ShelterAnimal):
    name: str = strawberry.federation.field(shareable=True)
    adopted: bool

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ShelterDog:
        return _SHELTER_DOGS[str(id)]


@strawberry.federation.type(name="Cat", keys=["id"])
class ShelterCat(ShelterAnimal):
    indoor: bool

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ShelterCat:
        return _CATS[str(id)]


_SHELTER_DOGS = {
    "d1": ShelterDog(id=strawberry.ID("d1"), name="Rex", adopted=True),
    "d2": ShelterDog(id=strawberry.ID("d2"), name="Fido", adopted=False),
    "d3": ShelterDog(id=strawberry.ID("d3"), name="Max", adopted=True),
}
_CATS = {
    "c1": ShelterCat(id=strawberry.ID("c1"), name="Tom", indoor=True),
    "c2": ShelterCat(id=strawberry.ID("c2"), name="Luna", indoor=False),
}


@strawberry.type(name="Query")
class ShelterQuery:
    @strawberry.field
    def shelter_animals(self) -> list[ShelterAnimal]:
        return [_SHELTER_DOGS["d2"], _CATS["c1"], _SHELTER_DOGS["d3"], _CATS["c2"]]


shelter_schema = strawberry.federation.Schema(
    query=ShelterQuery, types=[ShelterDog, ShelterCat], federation_version="2.9"
)

SUBGRAPHS = {"zoo": zoo_schema, "shelter": shelter_schema}


CASES = [
    Case(
        "interface-fields-and-typename",
        "{ shelterAnimals { __typename id name } }",
        {
            "data": {
                "shelterAnimals": [
                    {"__typename": "Dog", "id": "d2", "name": "Fido"},
                    {"__typename": "Cat", "id": "c1", "name": "Tom"},
                    {"__typename": "Dog", "id": "d3", "name": "Max"},
                    {"__typename": "Cat", "id": "c2", "name": "Luna"},
                ]
            }
        },
    ),
    Case(
        "fragments-per-implementation-with-remote-field",
        "{ shelterAnimals { name ... on Dog { breed } ... on Cat { indoor } } }",
        {
            "data": {
                "shelterAnimals": [
                    {"name": "Fido", "breed": "Poodle"},
                    {"name": "Tom", "indoor": True},
                    {"name": "Max", "breed": "Collie"},
                    {"name": "Luna", "indoor": False},
                ]
            }
        },
    ),
    Case(
        "implementation-fields-from-other-subgraph",
        "{ zooAnimals { name ... on Dog { breed adopted } } }",
        {
            "data": {
                "zooAnimals": [
                    {"name": "Rex", "breed": "Beagle", "adopted": True},
                    {"name": "Fido", "breed": "Poodle", "adopted": False},
                ]
            }
        },
    ),
    Case(
        "fragment-on-implementation-unknown-to-subgraph",
        "{ zooAnimals { ... on Cat { indoor } ... on Dog { id } } }",
        {"data": {"zooAnimals": [{"id": "d1"}, {"id": "d2"}]}},
    ),
    Case(
        "named-fragments-on-interface-and-implementation",
        "query { shelterAnimals { ...Basics } }"
        " fragment Basics on Animal { id ...DogBits }"
        " fragment DogBits on Dog { adopted breed }",
        {
            "data": {
                "shelterAnimals": [
                    {"id": "d2", "adopted": False, "breed": "Poodle"},
                    {"id": "c1"},
                    {"id": "d3", "adopted": True, "breed": "Collie"},
                    {"id": "c2"},
                ]
            }
        },
    ),
    Case(
        "inline-fragment-on-the-interface-itself",
        "{ shelterAnimals { ... on Animal { name } __typename } }",
        {
            "data": {
                "shelterAnimals": [
                    {"name": "Fido", "__typename": "Dog"},
                    {"name": "Tom", "__typename": "Cat"},
                    {"name": "Max", "__typename": "Dog"},
                    {"name": "Luna", "__typename": "Cat"},
                ]
            }
        },
    ),
    Case(
        "both-root-fields-in-one-operation",
        "{ zooAnimals { id } shelterAnimals { ... on Cat { name } } }",
        {
            "data": {
                "zooAnimals": [{"id": "d1"}, {"id": "d2"}],
                "shelterAnimals": [{}, {"name": "Tom"}, {}, {"name": "Luna"}],
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_interfaces_cross_subgraph(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
