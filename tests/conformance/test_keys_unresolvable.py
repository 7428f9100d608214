"""`@key(..., resolvable: false)`: subgraphs that reference an entity but cannot resolve it.

A non-resolvable key lets a subgraph return references to an entity (it can produce the key
fields) while telling the router never to jump *into* that subgraph through that key.
`posts` only references authors by `handle`; `stats` resolves authors by `id` only, its
`handle` key being non-resolvable; `accounts` resolves authors by either key. So going from
`posts` to `stats` needs `accounts` in between to turn a handle into an id. The reference
resolvers accept only their resolvable key (a representation sent through a non-resolvable
key fails). Covered here: key-only selections, jumps out of a reference-only subgraph,
the detour around a non-resolvable key, and jumps out of the subgraph with both kinds.
"""

from __future__ import annotations

import pytest
import strawberry
from strawberry.federation.schema_directives import Key

from tests.conformance.harness import Case, make_gateway, run_case

# --------------------------------------------------------------------------- accounts

# id -> (handle, name)
_AUTHORS: dict[str, tuple[str, str]] = {
    "a1": ("@octo", "Octavia Ray"),
    "a2": ("@lin", "Lin Park"),
    "a3": ("@sam", "Sam Okafor"),
}
_BY_HANDLE = {handle: aid for aid, (handle, _) in _AUTHORS.items()}


@strawberry.federation.type(name="Author", keys=["id", "handle"])
class AccountsAuthor:
    id: strawberry.ID
    handle: str
    name: str

    @classmethod
    def resolve_reference(
        cls, id: strawberry.ID | None = None, handle: str | None = None
    ) -> AccountsAuthor | None:
        if id is None and handle is not None:
            id = strawberry.ID(_BY_HANDLE[handle]) if handle in _BY_HANDLE else None
        return _author(id)


def _author(aid: str | None) -> AccountsAuthor | None:
    if aid is None or aid not in _AUTHORS:
        return None
    handle, name = _AUTHORS[aid]
    return AccountsAuthor(id=strawberry.ID(aid), handle=handle, name=name)


@strawberry.type(name="Query")
class AccountsQuery:
    @strawberry.field
    def authors(self) -> list[AccountsAuthor]:
        return [a for a in map(_author, _AUTHORS) if a is not None]


accounts_schema = strawberry.federation.Schema(
    query=AccountsQuery, types=[AccountsAuthor], federation_version="2.3"
)

# --------------------------------------------------------------------------- posts


@strawberry.federation.type(name="Author", keys=[Key(fields="handle", resolvable=False)])
class PostsAuthor:
    handle: str


@strawberry.type
class Post:
    id: strawberry.ID
    title: str
    author: PostsAuthor


@strawberry.type(name="Query")
class PostsQuery:
    @strawberry.field
    def posts(self) -> list[Post]:
        return [
            Post(id=strawberry.ID("p1"), title="Hello, graph", author=PostsAuthor(handle="@lin")),
            Post(
                id=strawberry.ID("p2"), title="Keys all the way", author=PostsAuthor(handle="@octo")
            ),
            Post(
                id=strawberry.ID("p3"), title="Second thoughts", author=PostsAuthor(handle="@lin")
            ),
        ]


posts_schema = strawberry.federation.Schema(
    query=PostsQuery, types=[PostsAuthor], federation_version="2.3"
)

# --------------------------------------------------------------------------- stats

_FOLLOWERS: dict[str, int] = {"a1": 1200, "a2": 87, "a3": 4051}


@strawberry.federation.type(name="Author", keys=["id", Key(fields="handle", resolvable=False)])
class StatsAuthor:
    id: strawberry.ID
    handle: str

    @strawberry.field
    def followers(self) -> int:
        return _FOLLOWERS[self.id]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> StatsAuthor | None:
        if id not in _FOLLOWERS:
            return None
        return cls(id=id, handle=_AUTHORS[id][0])


@strawberry.type(name="Query")
class StatsQuery:
    @strawberry.field
    def trending(self) -> list[StatsAuthor]:
        return [StatsAuthor(id=strawberry.ID(a), handle=_AUTHORS[a][0]) for a in ("a3", "a1")]


stats_schema = strawberry.federation.Schema(
    query=StatsQuery, types=[StatsAuthor], federation_version="2.3"
)

SUBGRAPHS = {"accounts": accounts_schema, "posts": posts_schema, "stats": stats_schema}


CASES = [
    Case(
        "reference-only-key-field-needs-no-jump",
        "{ posts { title author { __typename handle } } }",
        {
            "data": {
                "posts": [
                    {"title": "Hello, graph", "author": {"__typename": "Author", "handle": "@lin"}},
                    {
                        "title": "Keys all the way",
                        "author": {"__typename": "Author", "handle": "@octo"},
                    },
                    {
                        "title": "Second thoughts",
                        "author": {"__typename": "Author", "handle": "@lin"},
                    },
                ]
            }
        },
    ),
    Case(
        "jump-out-of-reference-only-subgraph",
        "{ posts { id author { id name } } }",
        {
            "data": {
                "posts": [
                    {"id": "p1", "author": {"id": "a2", "name": "Lin Park"}},
                    {"id": "p2", "author": {"id": "a1", "name": "Octavia Ray"}},
                    {"id": "p3", "author": {"id": "a2", "name": "Lin Park"}},
                ]
            }
        },
    ),
    Case(
        "detour-around-non-resolvable-key",
        "{ posts { author { handle followers } } }",
        {
            "data": {
                "posts": [
                    {"author": {"handle": "@lin", "followers": 87}},
                    {"author": {"handle": "@octo", "followers": 1200}},
                    {"author": {"handle": "@lin", "followers": 87}},
                ]
            }
        },
    ),
    Case(
        "fields-of-every-subgraph-from-reference-only-root",
        "{ posts { title author { name followers handle } } }",
        {
            "data": {
                "posts": [
                    {
                        "title": "Hello, graph",
                        "author": {"name": "Lin Park", "followers": 87, "handle": "@lin"},
                    },
                    {
                        "title": "Keys all the way",
                        "author": {"name": "Octavia Ray", "followers": 1200, "handle": "@octo"},
                    },
                    {
                        "title": "Second thoughts",
                        "author": {"name": "Lin Park", "followers": 87, "handle": "@lin"},
                    },
                ]
            }
        },
    ),
    Case(
        "jump-into-subgraph-through-its-resolvable-key",
        "{ authors { handle followers } }",
        {
            "data": {
                "authors": [
                    {"handle": "@octo", "followers": 1200},
                    {"handle": "@lin", "followers": 87},
                    {"handle": "@sam", "followers": 4051},
                ]
            }
        },
    ),
    Case(
        "jump-out-of-subgraph-with-non-resolvable-key",
        "{ trending { handle followers name } }",
        {
            "data": {
                "trending": [
                    {"handle": "@sam", "followers": 4051, "name": "Sam Okafor"},
                    {"handle": "@octo", "followers": 1200, "name": "Octavia Ray"},
                ]
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_keys_unresolvable(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
