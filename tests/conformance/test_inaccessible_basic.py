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
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
