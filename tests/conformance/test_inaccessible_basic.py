"""@inaccessible: elements hidden from the API schema but still usable inside the supergraph.

`@inaccessible` removes a field, type, enum value or argument from the API schema the router
exposes: clients selecting or passing it get a validation error and introspection does not show
it. The router still uses it internally: here `User` is keyed on the inaccessible `internalId`
and `loyaltyTier` `@requires` the inaccessible `creditScore`.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --- accounts ---------------------------------------------------------------------------


@strawberry.federation.type(name="AuditLog", inaccessible=True)
class AuditLog:
    action: str


@strawberry.federation.type(name="User", keys=["internalId"])
class AccountsUser:
    internal_id: strawberry.ID = strawberry.federation.field(inaccessible=True)
    name: str
    email: str
    credit_score: int = strawberry.federation.field(inaccessible=True)

    @strawberry.federation.field(inaccessible=True)
    def audit(self) -> list[AuditLog]:
        return [AuditLog(action="login")]

    @classmethod
    def resolve_reference(cls, **representation: Any) -> AccountsUser:
        return _USERS[representation["internalId"]]


_USERS = {
    "u1": AccountsUser(
        internal_id=strawberry.ID("u1"), name="Ann", email="ann@example.org", credit_score=780
    ),
    "u2": AccountsUser(
        internal_id=strawberry.ID("u2"), name="Bob", email="bob@example.org", credit_score=610
    ),
}


@strawberry.type(name="Query")
class AccountsQuery:
    @strawberry.field
    def users(self) -> list[AccountsUser]:
        return list(_USERS.values())


accounts_schema = strawberry.federation.Schema(query=AccountsQuery, federation_version="2.9")

# --- orders -----------------------------------------------------------------------------


@strawberry.enum(name="OrderStatus")
class OrderStatus(Enum):
    PLACED = "PLACED"
    SHIPPED = "SHIPPED"
    LOST = strawberry.federation.enum_value("LOST", inaccessible=True)


@strawberry.type(name="Order")
class Order:
    id: strawberry.ID
    total: int
    status: OrderStatus
    archived: strawberry.Private[bool]
    buyer_id: strawberry.Private[str]

    @strawberry.field
    def buyer(self) -> OrdersUser:
        return OrdersUser(internal_id=strawberry.ID(self.buyer_id))


_ORDERS = [
    Order(
        id=strawberry.ID("o1"), total=25, status=OrderStatus.PLACED, archived=False, buyer_id="u1"
    ),
    Order(
        id=strawberry.ID("o2"), total=90, status=OrderStatus.SHIPPED, archived=False, buyer_id="u1"
    ),
    Order(
        id=strawberry.ID("o3"), total=40, status=OrderStatus.SHIPPED, archived=False, buyer_id="u2"
    ),
    Order(id=strawberry.ID("o9"), total=5, status=OrderStatus.LOST, archived=True, buyer_id="u1"),
]


@strawberry.federation.type(name="User", keys=["internalId"])
class OrdersUser:
    internal_id: strawberry.ID = strawberry.federation.field(inaccessible=True)
    credit_score: int = strawberry.federation.field(external=True, default=0)

    @strawberry.field
    def orders(
        self,
        status: OrderStatus | None = None,
        include_archived: Annotated[
            bool, strawberry.federation.argument(inaccessible=True)
        ] = False,
    ) -> list[Order]:
        return [
            order
            for order in _ORDERS
            if order.buyer_id == str(self.internal_id)
            and (status is None or order.status == status)
            and (include_archived or not order.archived)
        ]

    @strawberry.federation.field(requires=["creditScore"])
    def loyalty_tier(self) -> str:
        return "gold" if self.credit_score >= 700 else "silver"

    @classmethod
    def resolve_reference(cls, **representation: Any) -> OrdersUser:
        return cls(
            internal_id=strawberry.ID(representation["internalId"]),
            credit_score=representation.get("creditScore", 0),
        )


@strawberry.type(name="Query")
class OrdersQuery:
    @strawberry.field
    def recent_orders(self) -> list[Order]:
        return [_ORDERS[2], _ORDERS[0]]


orders_schema = strawberry.federation.Schema(query=OrdersQuery, federation_version="2.9")

SUBGRAPHS = {"accounts": accounts_schema, "orders": orders_schema}

# Composed from the subgraphs above with @theguild/federation-composition (kept verbatim).
SUPERGRAPH = r'''
schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION) @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY) {
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

directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ENUM | ENUM_VALUE | SCALAR | INPUT_OBJECT | INPUT_FIELD_DEFINITION | ARGUMENT_DEFINITION

enum join__Graph {
  ACCOUNTS @join__graph(name: "accounts", url: "http://127.0.0.1:4000/accounts")
  ORDERS @join__graph(name: "orders", url: "http://127.0.0.1:4000/orders")
}

type AuditLog @join__type(graph: ACCOUNTS) @inaccessible {
  action: String!
}

type Query @join__type(graph: ACCOUNTS) @join__type(graph: ORDERS) {
  users: [User!]! @join__field(graph: ACCOUNTS)
  recentOrders: [Order!]! @join__field(graph: ORDERS)
}

type User @join__type(graph: ACCOUNTS, key: "internalId") @join__type(graph: ORDERS, key: "internalId") {
  internalId: ID! @inaccessible
  name: String! @join__field(graph: ACCOUNTS)
  email: String! @join__field(graph: ACCOUNTS)
  creditScore: Int! @join__field(graph: ACCOUNTS) @join__field(graph: ORDERS, external: true) @inaccessible
  audit: [AuditLog!]! @join__field(graph: ACCOUNTS) @inaccessible
  orders(status: OrderStatus = null, includeArchived: Boolean! = false @inaccessible): [Order!]! @join__field(graph: ORDERS)
  loyaltyTier: String! @join__field(graph: ORDERS, requires: "creditScore")
}

type Order @join__type(graph: ORDERS) {
  id: ID!
  total: Int!
  status: OrderStatus!
  buyer: User!
}

enum OrderStatus @join__type(graph: ORDERS) {
  PLACED @join__enumValue(graph: ORDERS)
  SHIPPED @join__enumValue(graph: ORDERS)
  LOST @join__enumValue(graph: ORDERS) @inaccessible
}
'''

CASES = [
    Case(
        "inaccessible-key-still-joins-entities",
        "{ users { name orders { id total } } }",
        {
            "data": {
                "users": [
                    {
                        "name": "Ann",
                        "orders": [{"id": "o1", "total": 25}, {"id": "o2", "total": 90}],
                    },
                    {"name": "Bob", "orders": [{"id": "o3", "total": 40}]},
                ]
            }
        },
    ),
    Case(
        "inaccessible-key-joins-from-other-subgraph-root",
        "{ recentOrders { id buyer { name email } } }",
        {
            "data": {
                "recentOrders": [
                    {"id": "o3", "buyer": {"name": "Bob", "email": "bob@example.org"}},
                    {"id": "o1", "buyer": {"name": "Ann", "email": "ann@example.org"}},
                ]
            }
        },
    ),
    Case(
        "inaccessible-field-usable-in-requires",
        "{ users { name loyaltyTier } }",
        {
            "data": {
                "users": [
                    {"name": "Ann", "loyaltyTier": "gold"},
                    {"name": "Bob", "loyaltyTier": "silver"},
                ]
            }
        },
    ),
    Case(
        "inaccessible-key-field-not-queryable",
        "{ users { internalId name } }",
        {"errors": True},
    ),
    Case(
        "inaccessible-required-field-not-queryable",
        "{ recentOrders { buyer { creditScore } } }",
        {"errors": True},
    ),
    Case(
        "field-of-inaccessible-type-not-queryable",
        "{ users { audit { action } } }",
        {"errors": True},
    ),
    Case(
        "inaccessible-enum-value-rejected-as-argument",
        "{ users { orders(status: LOST) { id } } }",
        {"errors": True},
    ),
    Case(
        "inaccessible-enum-value-rejected-in-variables",
        "query ($s: OrderStatus) { users { orders(status: $s) { id } } }",
        {"errors": True},
        variables={"s": "LOST"},
    ),
    Case(
        "accessible-enum-value-as-argument",
        "{ users { orders(status: SHIPPED) { id status } } }",
        {
            "data": {
                "users": [
                    {"orders": [{"id": "o2", "status": "SHIPPED"}]},
                    {"orders": [{"id": "o3", "status": "SHIPPED"}]},
                ]
            }
        },
    ),
    Case(
        "inaccessible-argument-rejected",
        "{ users { orders(includeArchived: true) { id } } }",
        {"errors": True},
    ),
    Case(
        "introspection-hides-inaccessible-elements",
        '{ user: __type(name: "User") { fields { name } }'
        ' audit: __type(name: "AuditLog") { name }'
        ' status: __type(name: "OrderStatus") { enumValues { name } } }',
        {
            "data": {
                "user": {
                    "fields": [
                        {"name": "name"},
                        {"name": "email"},
                        {"name": "orders"},
                        {"name": "loyaltyTier"},
                    ]
                },
                "audit": None,
                "status": {"enumValues": [{"name": "PLACED"}, {"name": "SHIPPED"}]},
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_inaccessible_basic(case: Case) -> None:
    gateway = make_gateway(SUPERGRAPH, SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
