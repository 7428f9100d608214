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

# Composed from the subgraphs above with @theguild/federation-composition (kept verbatim).
SUPERGRAPH = r'''
schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION) {
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
  overrideLabel: String
  contextArguments: [join__ContextArgument!]
) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

input join__ContextArgument {
  name: String!
  type: String!
  context: String!
  selection: join__FieldValue!
}

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

scalar join__FieldValue

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
  DELIVERY @join__graph(name: "delivery", url: "http://127.0.0.1:4000/delivery")
  INVENTORY @join__graph(name: "inventory", url: "http://127.0.0.1:4000/inventory")
}

type Book implements Item @join__type(graph: DELIVERY, key: "id") @join__type(graph: INVENTORY, key: "id") @join__implements(graph: DELIVERY, interface: "Item") @join__implements(graph: INVENTORY, interface: "Item") {
  id: ID!
  deliveryFee: Int! @join__field(graph: DELIVERY, requires: "weight")
  weight: Int! @join__field(graph: DELIVERY, external: true) @join__field(graph: INVENTORY)
  title: String! @join__field(graph: INVENTORY)
}

type Gadget implements Item @join__type(graph: DELIVERY, key: "id") @join__type(graph: INVENTORY, key: "id") @join__implements(graph: DELIVERY, interface: "Item") @join__implements(graph: INVENTORY, interface: "Item") {
  id: ID!
  deliveryFee: Int! @join__field(graph: DELIVERY, requires: "weight")
  weight: Int! @join__field(graph: DELIVERY, external: true) @join__field(graph: INVENTORY)
  voltage: Int! @join__field(graph: INVENTORY)
}

type Query @join__type(graph: DELIVERY) @join__type(graph: INVENTORY) {
  items: [Item!]! @join__field(graph: INVENTORY)
}

interface Item @join__type(graph: DELIVERY) @join__type(graph: INVENTORY) {
  id: ID!
  deliveryFee: Int! @join__field(graph: DELIVERY)
  weight: Int! @join__field(graph: INVENTORY)
}
'''

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
    gateway = make_gateway(SUPERGRAPH, SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
