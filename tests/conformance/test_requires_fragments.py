"""@requires whose field set selects into an abstract type with inline fragments.

`pets` owns `Owner.pet: Pet` (Dog or Cat, value types); `insurance` computes
`Owner.premium` from `pet { __typename ... on Dog { barkVolume } ... on Cat { lives } }`.
The representation must carry, per owner, the pet's runtime type and only the fields the
fragment for that type asks for.
"""

from __future__ import annotations

from typing import Any

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --- pets -----------------------------------------------------------------------------------


@strawberry.interface(name="Pet")
class PetsPet:
    name: str


@strawberry.federation.type(name="Dog", shareable=True)
class PetsDog(PetsPet):
    bark_volume: int


@strawberry.federation.type(name="Cat", shareable=True)
class PetsCat(PetsPet):
    lives: int


PETS: dict[str, PetsPet] = {
    "o1": PetsDog(name="Rex", bark_volume=7),
    "o2": PetsCat(name="Tom", lives=9),
    "o3": PetsDog(name="Fido", bark_volume=2),
}


@strawberry.federation.type(name="Owner", keys=["id"])
class PetsOwner:
    id: strawberry.ID
    pet: PetsPet | None

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> PetsOwner:
        return PetsOwner(id=id, pet=PETS.get(id))


@strawberry.type
class PetsQuery:
    @strawberry.field
    def owners(self) -> list[PetsOwner]:
        return [PetsOwner(id=strawberry.ID(key), pet=pet) for key, pet in PETS.items()] + [
            PetsOwner(id=strawberry.ID("o4"), pet=None)
        ]


pets = strawberry.federation.Schema(
    query=PetsQuery, types=[PetsDog, PetsCat, PetsOwner], federation_version="2.3"
)

# --- insurance ------------------------------------------------------------------------------


@strawberry.interface(name="Pet")
class InsurancePet:
    name: str  # interface fields cannot be @external; the implementations' fields are


@strawberry.federation.type(name="Dog")
class InsuranceDog(InsurancePet):
    name: str = strawberry.federation.field(external=True)
    bark_volume: int = strawberry.federation.field(external=True)


@strawberry.federation.type(name="Cat")
class InsuranceCat(InsurancePet):
    name: str = strawberry.federation.field(external=True)
    lives: int = strawberry.federation.field(external=True)


@strawberry.federation.type(name="Owner", keys=["id"])
class InsuranceOwner:
    id: strawberry.ID
    pet: InsurancePet | None = strawberry.federation.field(external=True)
    received: strawberry.Private[Any] = None

    @strawberry.federation.field(
        requires=["pet { __typename ... on Dog { barkVolume } ... on Cat { lives } }"]
    )
    def premium(self) -> int:
        pet = self.received
        if pet is None:
            return 0
        if pet["__typename"] == "Dog":
            assert set(pet) == {"__typename", "barkVolume"}, pet
            return 100 + pet["barkVolume"]
        assert set(pet) == {"__typename", "lives"}, pet
        return 200 - pet["lives"]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, pet: Any = None) -> InsuranceOwner:
        return InsuranceOwner(id=id, pet=None, received=pet)


@strawberry.type
class InsuranceQuery:
    @strawberry.field
    def insurer(self) -> str:
        return "Acme"


insurance = strawberry.federation.Schema(
    query=InsuranceQuery,
    types=[InsuranceDog, InsuranceCat, InsuranceOwner],
    federation_version="2.3",
)

SUBGRAPHS = {"pets": pets, "insurance": insurance}


CASES = [
    Case(
        "requires-with-fragments-per-runtime-type",
        "{ owners { id premium } }",
        {
            "data": {
                "owners": [
                    {"id": "o1", "premium": 107},
                    {"id": "o2", "premium": 191},
                    {"id": "o3", "premium": 102},
                    {"id": "o4", "premium": 0},
                ]
            }
        },
    ),
    Case(
        "requires-with-fragments-beside-the-clients-own-pet-selection",
        "{ owners { pet { name ... on Cat { lives } } premium } }",
        {
            "data": {
                "owners": [
                    {"pet": {"name": "Rex"}, "premium": 107},
                    {"pet": {"name": "Tom", "lives": 9}, "premium": 191},
                    {"pet": {"name": "Fido"}, "premium": 102},
                    {"pet": None, "premium": 0},
                ]
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_requires_fragments(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
