"""Several @key directives on one entity: the router must use a key the subgraph it jumps
from can provide and the subgraph it jumps to accepts.

`Vehicle` has two keys in `registry` (`vin` and `plate`); `insurance` only knows vehicles by
`plate` and `garage` only by `vin`. Going from `insurance` to `garage` (or back) therefore needs
a detour through `registry`, which can turn one key into the other. The reference resolvers
accept only the key they declare, so a representation built for the wrong key fails.
Covered here: jumps from each subgraph's root fields, two-hop key translation in both
directions, an entity unknown to one subgraph, and key-only selections that need no jump.
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --------------------------------------------------------------------------- registry

# vin -> (plate, make, model)
_VEHICLES: dict[str, tuple[str, str, str]] = {
    "1HGCM": ("KA-101", "Honda", "Accord"),
    "JH4DA": ("KA-202", "Acura", "Integra"),
    "WVWZZ": ("KA-303", "Volkswagen", "Golf"),
}
_BY_PLATE = {plate: vin for vin, (plate, _, _) in _VEHICLES.items()}


@strawberry.federation.type(name="Vehicle", keys=["vin", "plate"])
class RegistryVehicle:
    vin: str
    plate: str
    make: str
    model: str

    @classmethod
    def resolve_reference(
        cls, vin: str | None = None, plate: str | None = None
    ) -> RegistryVehicle | None:
        if vin is None and plate is not None:
            vin = _BY_PLATE.get(plate)
        return _registry_vehicle(vin)


def _registry_vehicle(vin: str | None) -> RegistryVehicle | None:
    if vin is None or vin not in _VEHICLES:
        return None
    plate, make, model = _VEHICLES[vin]
    return RegistryVehicle(vin=vin, plate=plate, make=make, model=model)


@strawberry.type(name="Query")
class RegistryQuery:
    @strawberry.field
    def vehicles(self) -> list[RegistryVehicle]:
        return [v for v in map(_registry_vehicle, _VEHICLES) if v is not None]

    @strawberry.field
    def vehicle(self, vin: str) -> RegistryVehicle | None:
        return _registry_vehicle(vin)


registry_schema = strawberry.federation.Schema(
    query=RegistryQuery, types=[RegistryVehicle], federation_version="2.3"
)

# --------------------------------------------------------------------------- insurance

_PREMIUMS: dict[str, int] = {"KA-101": 420, "KA-303": 515}  # KA-202 is not insured


@strawberry.federation.type(name="Vehicle", keys=["plate"])
class InsuredVehicle:
    plate: str

    @strawberry.field
    def premium(self) -> int | None:
        return _PREMIUMS.get(self.plate)

    @classmethod
    def resolve_reference(cls, plate: str) -> InsuredVehicle | None:
        return cls(plate=plate) if plate in _PREMIUMS else None


@strawberry.type
class Policy:
    number: str
    vehicle: InsuredVehicle


@strawberry.type(name="Query")
class InsuranceQuery:
    @strawberry.field
    def policies(self) -> list[Policy]:
        return [
            Policy(number="P-1", vehicle=InsuredVehicle(plate="KA-303")),
            Policy(number="P-2", vehicle=InsuredVehicle(plate="KA-101")),
        ]


insurance_schema = strawberry.federation.Schema(
    query=InsuranceQuery, types=[InsuredVehicle], federation_version="2.3"
)

# --------------------------------------------------------------------------- garage

_SERVICES: dict[str, str | None] = {"1HGCM": "2024-03-02", "JH4DA": None, "WVWZZ": "2023-11-17"}


@strawberry.federation.type(name="Vehicle", keys=["vin"])
class GarageVehicle:
    vin: str

    @strawberry.field
    def last_service(self) -> str | None:
        return _SERVICES[self.vin]

    @classmethod
    def resolve_reference(cls, vin: str) -> GarageVehicle | None:
        return cls(vin=vin) if vin in _SERVICES else None


@strawberry.type(name="Query")
class GarageQuery:
    @strawberry.field
    def service_queue(self) -> list[GarageVehicle]:
        return [GarageVehicle(vin="WVWZZ"), GarageVehicle(vin="JH4DA"), GarageVehicle(vin="1HGCM")]


garage_schema = strawberry.federation.Schema(
    query=GarageQuery, types=[GarageVehicle], federation_version="2.3"
)

SUBGRAPHS = {"registry": registry_schema, "insurance": insurance_schema, "garage": garage_schema}


CASES = [
    Case(
        "owner-of-both-keys-to-each-subgraph",
        "{ vehicles { make premium lastService } }",
        {
            "data": {
                "vehicles": [
                    {"make": "Honda", "premium": 420, "lastService": "2024-03-02"},
                    {"make": "Acura", "premium": None, "lastService": None},
                    {"make": "Volkswagen", "premium": 515, "lastService": "2023-11-17"},
                ]
            }
        },
    ),
    Case(
        "root-field-then-both-keys",
        '{ vehicle(vin: "WVWZZ") { premium plate lastService } }',
        {"data": {"vehicle": {"premium": 515, "plate": "KA-303", "lastService": "2023-11-17"}}},
    ),
    Case(
        "jump-with-the-only-key-available",
        "{ policies { number vehicle { plate make model } } }",
        {
            "data": {
                "policies": [
                    {
                        "number": "P-1",
                        "vehicle": {"plate": "KA-303", "make": "Volkswagen", "model": "Golf"},
                    },
                    {
                        "number": "P-2",
                        "vehicle": {"plate": "KA-101", "make": "Honda", "model": "Accord"},
                    },
                ]
            }
        },
    ),
    Case(
        "plate-to-vin-through-registry",
        "{ policies { vehicle { lastService } } }",
        {
            "data": {
                "policies": [
                    {"vehicle": {"lastService": "2023-11-17"}},
                    {"vehicle": {"lastService": "2024-03-02"}},
                ]
            }
        },
    ),
    Case(
        "vin-to-plate-through-registry",
        "{ serviceQueue { vin plate premium } }",
        {
            "data": {
                "serviceQueue": [
                    {"vin": "WVWZZ", "plate": "KA-303", "premium": 515},
                    {"vin": "JH4DA", "plate": "KA-202", "premium": None},
                    {"vin": "1HGCM", "plate": "KA-101", "premium": 420},
                ]
            }
        },
    ),
    Case(
        "translated-key-not-selected-by-client",
        "{ serviceQueue { premium lastService } }",
        {
            "data": {
                "serviceQueue": [
                    {"premium": 515, "lastService": "2023-11-17"},
                    {"premium": None, "lastService": None},
                    {"premium": 420, "lastService": "2024-03-02"},
                ]
            }
        },
    ),
    Case(
        "key-field-and-typename-need-no-jump",
        "{ policies { vehicle { __typename plate premium } } }",
        {
            "data": {
                "policies": [
                    {"vehicle": {"__typename": "Vehicle", "plate": "KA-303", "premium": 515}},
                    {"vehicle": {"__typename": "Vehicle", "plate": "KA-101", "premium": 420}},
                ]
            }
        },
    ),
    Case(
        "other-key-of-owner-selected-directly",
        "{ serviceQueue { model } policies { vehicle { vin } } }",
        {
            "data": {
                "serviceQueue": [{"model": "Golf"}, {"model": "Integra"}, {"model": "Accord"}],
                "policies": [{"vehicle": {"vin": "WVWZZ"}}, {"vehicle": {"vin": "1HGCM"}}],
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_keys_multiple(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
