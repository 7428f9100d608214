"""Entity interfaces: `@key` on an interface, implementations extended by another subgraph.

The fleet subgraph declares `interface Vehicle @key(fields: "id")` (Federation 2.3 entity
interface) with its implementations `Car` and `Truck`; the registry subgraph extends the
concrete entities with fields of its own. Covers interface fields, fragments per
implementation that need entity fetches to the other subgraph, `__typename` on a single
abstract root field, a null abstract result, and entering the graph from the registry.
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --- fleet ------------------------------------------------------------------------------


@strawberry.federation.interface(name="Vehicle", keys=["id"])
class FleetVehicle:
    id: strawberry.ID
    model: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> FleetVehicle:
        return _FLEET[str(id)]


@strawberry.federation.type(name="Car", keys=["id"])
class FleetCar(FleetVehicle):
    seats: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> FleetVehicle:
        return _FLEET[str(id)]


@strawberry.federation.type(name="Truck", keys=["id"])
class FleetTruck(FleetVehicle):
    payload: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> FleetVehicle:
        return _FLEET[str(id)]


_FLEET: dict[str, FleetVehicle] = {
    "v1": FleetCar(id=strawberry.ID("v1"), model="Civic", seats=5),
    "v2": FleetTruck(id=strawberry.ID("v2"), model="Actros", payload=18000),
    "v3": FleetCar(id=strawberry.ID("v3"), model="Mini", seats=4),
}


@strawberry.type(name="Query")
class FleetQuery:
    @strawberry.field
    def vehicles(self) -> list[FleetVehicle]:
        return list(_FLEET.values())

    @strawberry.field
    def vehicle(self, id: strawberry.ID) -> FleetVehicle | None:
        return _FLEET.get(str(id))


fleet_schema = strawberry.federation.Schema(
    query=FleetQuery, types=[FleetCar, FleetTruck], federation_version="2.9"
)

# --- registry ---------------------------------------------------------------------------

_PLATES = {"v1": "AB-123", "v2": "TR-900", "v3": "MN-404"}


@strawberry.federation.type(name="Car", keys=["id"])
class RegistryCar:
    id: strawberry.ID

    @strawberry.field
    def plate(self) -> str:
        return _PLATES[str(self.id)]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> RegistryCar:
        return cls(id=id)


@strawberry.federation.type(name="Truck", keys=["id"])
class RegistryTruck:
    id: strawberry.ID

    @strawberry.field
    def plate(self) -> str:
        return _PLATES[str(self.id)]

    @strawberry.field
    def axles(self) -> int:
        return 3

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> RegistryTruck:
        return cls(id=id)


@strawberry.type(name="Query")
class RegistryQuery:
    @strawberry.field
    def expiring_cars(self) -> list[RegistryCar]:
        return [RegistryCar(id=strawberry.ID("v3")), RegistryCar(id=strawberry.ID("v1"))]


registry_schema = strawberry.federation.Schema(
    query=RegistryQuery, types=[RegistryTruck], federation_version="2.9"
)

SUBGRAPHS = {"fleet": fleet_schema, "registry": registry_schema}


CASES = [
    Case(
        "entity-interface-fields",
        "{ vehicles { id model } }",
        {
            "data": {
                "vehicles": [
                    {"id": "v1", "model": "Civic"},
                    {"id": "v2", "model": "Actros"},
                    {"id": "v3", "model": "Mini"},
                ]
            }
        },
    ),
    Case(
        "entity-interface-fragments-with-remote-fields",
        "{ vehicles { model ... on Car { seats plate } ... on Truck { payload axles plate } } }",
        {
            "data": {
                "vehicles": [
                    {"model": "Civic", "seats": 5, "plate": "AB-123"},
                    {"model": "Actros", "payload": 18000, "axles": 3, "plate": "TR-900"},
                    {"model": "Mini", "seats": 4, "plate": "MN-404"},
                ]
            }
        },
    ),
    Case(
        "entity-interface-single-typename-and-remote-field",
        '{ vehicle(id: "v2") { __typename ... on Truck { plate } ... on Car { seats } } }',
        {"data": {"vehicle": {"__typename": "Truck", "plate": "TR-900"}}},
    ),
    Case(
        "entity-interface-null-result",
        '{ vehicle(id: "v9") { id ... on Car { plate } } }',
        {"data": {"vehicle": None}},
    ),
    Case(
        "implementation-entered-from-extending-subgraph",
        "{ expiringCars { plate model seats id } }",
        {
            "data": {
                "expiringCars": [
                    {"plate": "MN-404", "model": "Mini", "seats": 4, "id": "v3"},
                    {"plate": "AB-123", "model": "Civic", "seats": 5, "id": "v1"},
                ]
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_interfaces_entity(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
