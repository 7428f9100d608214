"""@provides: external fields a subgraph can resolve at one particular path.

`orders` has `User.username` and `User.address` as @external; `Order.buyer` provides
`username`, `Order.recipient` provides `address { city }` (a nested selection) and
`Query.topBuyers` (a list) provides `username`. Everywhere else those fields must be fetched
from `users`. The orders subgraph fills provided fields with the true values and
non-provided ones with a sentinel ("NOT-PROVIDED"), so a router that reads an external field
from `orders` outside a provided path returns wrong data. Covered here: a provided field
alone (no jump needed), a provided field next to a non-provided one (the latter forces a
jump), the same external field on a path without @provides, a nested provided selection and a
nested field outside it, @provides on a list field, and `__typename`.
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# id -> (username, email, city, street)
_USERS: dict[str, tuple[str, str, str, str]] = {
    "u1": ("ada", "ada@example.com", "London", "1 Engine Row"),
    "u2": ("grace", "grace@example.com", "Arlington", "5 Cobol Court"),
    "u3": ("linus", "linus@example.com", "Portland", "12 Kernel Street"),
}
_SENTINEL = "NOT-PROVIDED"

# --------------------------------------------------------------------------- users


@strawberry.federation.type(name="Address", shareable=True)
class UsersAddress:
    city: str
    street: str


@strawberry.federation.type(name="User", keys=["id"])
class UsersUser:
    id: strawberry.ID
    # Shareable: `orders` resolves them too, where its @provides says so.
    username: str = strawberry.federation.field(shareable=True)
    email: str
    address: UsersAddress = strawberry.federation.field(shareable=True)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> UsersUser | None:
        return _user(id)


def _user(uid: str) -> UsersUser | None:
    if uid not in _USERS:
        return None
    username, email, city, street = _USERS[uid]
    return UsersUser(
        id=strawberry.ID(uid),
        username=username,
        email=email,
        address=UsersAddress(city=city, street=street),
    )


@strawberry.type(name="Query")
class UsersQuery:
    @strawberry.field
    def users(self) -> list[UsersUser]:
        return [u for u in map(_user, _USERS) if u is not None]


users_schema = strawberry.federation.Schema(
    query=UsersQuery, types=[UsersUser], federation_version="2.3"
)

# --------------------------------------------------------------------------- orders


@strawberry.federation.type(name="Address", shareable=True)
class OrdersAddress:
    city: str = strawberry.federation.field(external=True)


@strawberry.federation.type(name="User", keys=["id"])
class OrdersUser:
    id: strawberry.ID
    username: str = strawberry.federation.field(external=True)
    address: OrdersAddress = strawberry.federation.field(external=True)

    @strawberry.field
    def order_count(self) -> int:
        return sum(1 for o in _ORDERS.values() if o[1] == self.id)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> OrdersUser | None:
        return _orders_user(id, provided=False)


def _orders_user(uid: str, *, provided: bool) -> OrdersUser | None:
    """A user as `orders` returns it; external fields only hold true data where provided."""
    if uid not in _USERS:
        return None
    username, _, city, _ = _USERS[uid]
    return OrdersUser(
        id=strawberry.ID(uid),
        username=username if provided else _SENTINEL,
        address=OrdersAddress(city=city if provided else _SENTINEL),
    )


# id -> (total, buyer, seller, recipient)
_ORDERS: dict[str, tuple[int, str, str, str]] = {
    "o1": (120, "u1", "u3", "u2"),
    "o2": (75, "u2", "u1", "u2"),
}


@strawberry.type
class Order:
    id: strawberry.ID
    total: int
    buyer_id: strawberry.Private[str]
    seller_id: strawberry.Private[str]
    recipient_id: strawberry.Private[str]

    @strawberry.federation.field(provides=["username"])
    def buyer(self) -> OrdersUser | None:
        return _orders_user(self.buyer_id, provided=True)

    @strawberry.field
    def seller(self) -> OrdersUser | None:
        return _orders_user(self.seller_id, provided=False)

    @strawberry.federation.field(provides=["address { city }"])
    def recipient(self) -> OrdersUser | None:
        user = _orders_user(self.recipient_id, provided=True)
        if user is not None:
            user.username = _SENTINEL
        return user


@strawberry.type(name="Query")
class OrdersQuery:
    @strawberry.field
    def orders(self) -> list[Order]:
        return [
            Order(id=strawberry.ID(oid), total=t, buyer_id=b, seller_id=s, recipient_id=r)
            for oid, (t, b, s, r) in _ORDERS.items()
        ]

    @strawberry.federation.field(provides=["username"])
    def top_buyers(self) -> list[OrdersUser]:
        users = [_orders_user(uid, provided=True) for uid in ("u2", "u1")]
        return [u for u in users if u is not None]


orders_schema = strawberry.federation.Schema(
    query=OrdersQuery, types=[OrdersUser], federation_version="2.3"
)

SUBGRAPHS = {"users": users_schema, "orders": orders_schema}


CASES = [
    Case(
        "provided-field-alone",
        "{ orders { id buyer { id username } } }",
        {
            "data": {
                "orders": [
                    {"id": "o1", "buyer": {"id": "u1", "username": "ada"}},
                    {"id": "o2", "buyer": {"id": "u2", "username": "grace"}},
                ]
            }
        },
    ),
    Case(
        "provided-field-with-non-provided-field-forces-jump",
        "{ orders { buyer { username email orderCount } } }",
        {
            "data": {
                "orders": [
                    {"buyer": {"username": "ada", "email": "ada@example.com", "orderCount": 1}},
                    {"buyer": {"username": "grace", "email": "grace@example.com", "orderCount": 1}},
                ]
            }
        },
    ),
    Case(
        "external-field-on-path-without-provides",
        "{ orders { total seller { username orderCount } } }",
        {
            "data": {
                "orders": [
                    {"total": 120, "seller": {"username": "linus", "orderCount": 0}},
                    {"total": 75, "seller": {"username": "ada", "orderCount": 1}},
                ]
            }
        },
    ),
    Case(
        "provides-is-per-field-not-per-type",
        "{ orders { buyer { username } seller { username } recipient { username } } }",
        {
            "data": {
                "orders": [
                    {
                        "buyer": {"username": "ada"},
                        "seller": {"username": "linus"},
                        "recipient": {"username": "grace"},
                    },
                    {
                        "buyer": {"username": "grace"},
                        "seller": {"username": "ada"},
                        "recipient": {"username": "grace"},
                    },
                ]
            }
        },
    ),
    Case(
        "nested-provided-selection",
        "{ orders { recipient { id address { city } } } }",
        {
            "data": {
                "orders": [
                    {"recipient": {"id": "u2", "address": {"city": "Arlington"}}},
                    {"recipient": {"id": "u2", "address": {"city": "Arlington"}}},
                ]
            }
        },
    ),
    Case(
        "nested-field-outside-provided-selection",
        "{ orders { recipient { address { city street } } } }",
        {
            "data": {
                "orders": [
                    {"recipient": {"address": {"city": "Arlington", "street": "5 Cobol Court"}}},
                    {"recipient": {"address": {"city": "Arlington", "street": "5 Cobol Court"}}},
                ]
            }
        },
    ),
    Case(
        "nested-external-field-not-provided-on-that-path",
        "{ orders { buyer { username address { city } } } }",
        {
            "data": {
                "orders": [
                    {"buyer": {"username": "ada", "address": {"city": "London"}}},
                    {"buyer": {"username": "grace", "address": {"city": "Arlington"}}},
                ]
            }
        },
    ),
    Case(
        "provides-on-list-field",
        "{ topBuyers { id username orderCount } }",
        {
            "data": {
                "topBuyers": [
                    {"id": "u2", "username": "grace", "orderCount": 1},
                    {"id": "u1", "username": "ada", "orderCount": 1},
                ]
            }
        },
    ),
    Case(
        "provides-on-list-field-with-jump",
        "{ topBuyers { __typename username email address { street } } }",
        {
            "data": {
                "topBuyers": [
                    {
                        "__typename": "User",
                        "username": "grace",
                        "email": "grace@example.com",
                        "address": {"street": "5 Cobol Court"},
                    },
                    {
                        "__typename": "User",
                        "username": "ada",
                        "email": "ada@example.com",
                        "address": {"street": "1 Engine Row"},
                    },
                ]
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_provides_fields(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
