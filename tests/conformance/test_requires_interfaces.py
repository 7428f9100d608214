"""@requires on the implementations of an interface, queried through the interface.

`@requires` is not allowed on interface fields, but each implementing entity may compute an
interface field with `@requires`. The inventory subgraph owns `interface Item` and its entity
implementations `Book` and `Gadget` (with `weight`); the delivery subgraph adds `deliveryFee`
to the interface and computes it on each implementation with `@requires(fields: "weight")`.
The router must group the abstract list's elements per concrete type and send each its
required data.
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --- inventory --------------------------------------------------------------------------


@strawberry.interface(name="Item")
class InventoryItem:
    id: strawberry.ID
    weight: int


@strawberry.federation.type(name="Book", keys=["id"])
class InventoryBook(InventoryItem):
    title: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> InventoryBook:
        return _BOOKS[str(id)]


@strawberry.federation.type(name="Gadget", keys=["id"])
class InventoryGadget(InventoryItem):
    voltage: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> InventoryGadget:
        return _GADGETS[str(id)]


_BOOKS = {
    "b1": InventoryBook(id=strawberry.ID("b1"), weight=800, title="Dune"),
    "b2": InventoryBook(id=strawberry.ID("b2"), weight=400, title="Emma"),
}
_GADGETS = {"g1": InventoryGadget(id=strawberry.ID("g1"), weight=1500, voltage=230)}


@strawberry.type(name="Query")
class InventoryQuery:
    @strawberry.field
    def items(self) -> list[InventoryItem]:
        return [_BOOKS["b1"], _GADGETS["g1"], _BOOKS["b2"]]


inventory_schema = strawberry.federation.Schema(
    query=InventoryQuery, types=[InventoryBook, InventoryGadget], federation_version="2.9"
)

# --- delivery ---------------------------------------------------------------------------


@strawberry.interface(name="Item")
class DeliveryItem:
    id: strawberry.ID
    delivery_fee: int


@strawberry.federation.type(name="Book", keys=["id"])
class DeliveryBook(DeliveryItem):
    weight: int = strawberry.federation.field(external=True, default=0)
    delivery_fee: int = strawberry.federation.field(requires=["weight"], default=0)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, weight: int = 0) -> DeliveryBook:
        return cls(id=id, weight=weight, delivery_fee=3 + weight // 200)


@strawberry.federation.type(name="Gadget", keys=["id"])
class DeliveryGadget(DeliveryItem):
    weight: int = strawberry.federation.field(external=True, default=0)
    delivery_fee: int = strawberry.federation.field(requires=["weight"], default=0)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, weight: int = 0) -> DeliveryGadget:
        return cls(id=id, weight=weight, delivery_fee=8 + weight // 100)


delivery_schema = strawberry.federation.Schema(
    types=[DeliveryBook, DeliveryGadget], federation_version="2.9"
)

SUBGRAPHS = {"inventory": inventory_schema, "delivery": delivery_schema}


CASES = [
    Case(
        "requires-through-interface-field",
        "{ items { id deliveryFee } }",
        {
            "data": {
                "items": [
                    {"id": "b1", "deliveryFee": 7},
                    {"id": "g1", "deliveryFee": 23},
                    {"id": "b2", "deliveryFee": 5},
                ]
            }
        },
    ),
    Case(
        "requires-in-implementation-fragments",
        "{ items { ... on Book { title deliveryFee } ... on Gadget { voltage deliveryFee } } }",
        {
            "data": {
                "items": [
                    {"title": "Dune", "deliveryFee": 7},
                    {"voltage": 230, "deliveryFee": 23},
                    {"title": "Emma", "deliveryFee": 5},
                ]
            }
        },
    ),
    Case(
        "requires-only-for-one-implementation",
        "{ items { __typename ... on Gadget { deliveryFee } } }",
        {
            "data": {
                "items": [
                    {"__typename": "Book"},
                    {"__typename": "Gadget", "deliveryFee": 23},
                    {"__typename": "Book"},
                ]
            }
        },
    ),
    Case(
        "requires-through-interface-with-required-field-selected",
        "{ items { weight deliveryFee ... on Book { id } } }",
        {
            "data": {
                "items": [
                    {"weight": 800, "deliveryFee": 7, "id": "b1"},
                    {"weight": 1500, "deliveryFee": 23},
                    {"weight": 400, "deliveryFee": 5, "id": "b2"},
                ]
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_requires_interfaces(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
