"""The accounts subgraph: the six users, entity `User @key(fields: "id")`."""

from __future__ import annotations

from typing import Any

import strawberry

from bench.subgraphs.federation import SubgraphSchema


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    name: str | None
    # Shareable because reviews can provide it (`Review.author @provides(fields: "username")`).
    username: str | None = strawberry.federation.field(shareable=True)
    birthday: int | None

    @classmethod
    def resolve_reference(cls, id: object = None, **_representation: Any) -> User | None:
        return USERS_BY_ID.get(id) if isinstance(id, str) else None


USERS: list[User] = [
    User(id=strawberry.ID(id_), name=name, username=username, birthday=1234567890)
    for id_, name, username in (
        ("1", "Uri Goldshtein", "urigo"),
        ("2", "Dotan Simha", "dotansimha"),
        ("3", "Kamil Kisiela", "kamilkisiela"),
        ("4", "Arda Tanrikulu", "ardatan"),
        ("5", "Gil Gardosh", "gilgardosh"),
        ("6", "Laurin Quast", "laurin"),
    )
]
USERS_BY_ID: dict[str, User] = {user.id: user for user in USERS}


@strawberry.type
class Query:
    @strawberry.field
    def me(self) -> User | None:
        return USERS[0]

    @strawberry.field
    def user(self, id: strawberry.ID) -> User | None:
        return USERS_BY_ID.get(id)

    @strawberry.field
    def users(self) -> list[User | None] | None:
        return USERS  # type: ignore[return-value]


schema = SubgraphSchema(query=Query)
