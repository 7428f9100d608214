"""Unions whose members are entities owned by different subgraphs.

`SearchResult` is declared in two subgraphs with different members (search:
`Article | Video`, media: `Video | Podcast`); the supergraph union has all three, each marked
with `@join__unionMember` for the graphs that know it. The members' fields live in the blog
and media subgraphs, so fragments per member need entity fetches to different subgraphs.
Covers `__typename`, inline and named fragments, aliases, and fragments on a member the
answering subgraph does not include in its own union.
"""

from __future__ import annotations

from typing import Annotated

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --- blog: owns articles ----------------------------------------------------------------

_ARTICLES = {
    "a1": ("Federation in practice", "Ada"),
    "a2": ("Query planning 101", "Linus"),
}


@strawberry.federation.type(name="Article", keys=["id"])
class BlogArticle:
    id: strawberry.ID
    title: str
    author: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> BlogArticle:
        title, author = _ARTICLES[str(id)]
        return cls(id=id, title=title, author=author)


blog_schema = strawberry.federation.Schema(types=[BlogArticle], federation_version="2.9")

# --- media: owns videos and podcasts, has its own SearchResult with them ------------------


@strawberry.federation.type(name="Video", keys=["id"])
class MediaVideo:
    id: strawberry.ID
    title: str
    duration: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> MediaVideo:
        return _VIDEOS[str(id)]


@strawberry.federation.type(name="Podcast", keys=["id"])
class MediaPodcast:
    id: strawberry.ID
    title: str
    episodes: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> MediaPodcast:
        return _PODCASTS[str(id)]


_VIDEOS = {
    "v1": MediaVideo(id=strawberry.ID("v1"), title="Gateways explained", duration=610),
    "v2": MediaVideo(id=strawberry.ID("v2"), title="Supergraphs", duration=95),
}
_PODCASTS = {"p1": MediaPodcast(id=strawberry.ID("p1"), title="Graph Talk", episodes=42)}

MediaSearchResult = Annotated[MediaVideo | MediaPodcast, strawberry.union("SearchResult")]


@strawberry.type(name="Query")
class MediaQuery:
    @strawberry.field
    def trending(self) -> list[MediaSearchResult]:
        return [_PODCASTS["p1"], _VIDEOS["v2"]]


media_schema = strawberry.federation.Schema(
    query=MediaQuery, types=[MediaVideo, MediaPodcast], federation_version="2.9"
)

# --- search: only references, union of articles and videos ------------------------------


@strawberry.federation.type(name="Article", keys=["id"])
class SearchArticle:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> SearchArticle:
        return cls(id=id)


@strawberry.federation.type(name="Video", keys=["id"])
class SearchVideo:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> SearchVideo:
        return cls(id=id)


SearchSearchResult = Annotated[SearchArticle | SearchVideo, strawberry.union("SearchResult")]


@strawberry.type(name="Query")
class SearchQuery:
    @strawberry.field
    def search(self, term: str) -> list[SearchSearchResult]:
        if term == "graph":
            return [
                SearchArticle(id=strawberry.ID("a1")),
                SearchVideo(id=strawberry.ID("v1")),
                SearchArticle(id=strawberry.ID("a2")),
            ]
        return [SearchVideo(id=strawberry.ID("v2"))]


search_schema = strawberry.federation.Schema(
    query=SearchQuery, types=[SearchArticle, SearchVideo], federation_version="2.9"
)

SUBGRAPHS = {"blog": blog_schema, "media": media_schema, "search": search_schema}


CASES = [
    Case(
        "union-typename-only",
        '{ search(term: "graph") { __typename } }',
        {
            "data": {
                "search": [
                    {"__typename": "Article"},
                    {"__typename": "Video"},
                    {"__typename": "Article"},
                ]
            }
        },
    ),
    Case(
        "union-member-fields-from-two-subgraphs",
        '{ search(term: "graph") { ... on Article { title author }'
        " ... on Video { title duration } } }",
        {
            "data": {
                "search": [
                    {"title": "Federation in practice", "author": "Ada"},
                    {"title": "Gateways explained", "duration": 610},
                    {"title": "Query planning 101", "author": "Linus"},
                ]
            }
        },
    ),
    Case(
        "union-typename-with-member-fragments",
        "{ trending { __typename ... on Video { id duration } ... on Podcast { episodes } } }",
        {
            "data": {
                "trending": [
                    {"__typename": "Podcast", "episodes": 42},
                    {"__typename": "Video", "id": "v2", "duration": 95},
                ]
            }
        },
    ),
    Case(
        "fragment-on-member-absent-from-subgraph-union",
        "{ trending { ... on Article { title } ... on Podcast { title } } }",
        {"data": {"trending": [{"title": "Graph Talk"}, {}]}},
    ),
    Case(
        "named-fragment-and-aliases-on-union",
        '{ results: search(term: "graph") { ...Result } }'
        " fragment Result on SearchResult { kind: __typename ... on Video { id t: title } }",
        {
            "data": {
                "results": [
                    {"kind": "Article"},
                    {"kind": "Video", "id": "v1", "t": "Gateways explained"},
                    {"kind": "Article"},
                ]
            }
        },
    ),
    Case(
        "two-unions-in-one-operation",
        '{ search(term: "other") { ... on Video { title } }'
        " trending { ... on Video { title } __typename } }",
        {
            "data": {
                "search": [{"title": "Supergraphs"}],
                "trending": [
                    {"__typename": "Podcast"},
                    {"title": "Supergraphs", "__typename": "Video"},
                ],
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_unions_cross_subgraph(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
