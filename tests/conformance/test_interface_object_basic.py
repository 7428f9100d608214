"""@interfaceObject: a subgraph adds fields to every implementation of an entity interface.

The catalog subgraph owns `interface Media @key(fields: "id")` with implementations `Book`
and `Movie`. The ratings subgraph knows nothing of the implementations: it declares
`type Media @key(fields: "id") @interfaceObject` and adds `stars` and `reviewCount`.
Covers: interface-object fields queried from the interface's subgraph (representations are sent
with `__typename: "Media"`), and, from the ratings subgraph's own root fields, `__typename` and
concrete-type fragments (which need a fetch to catalog to learn the real type: the
interface-object subgraph only ever answers `"Media"`).
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --- catalog ----------------------------------------------------------------------------


@strawberry.federation.interface(name="Media", keys=["id"])
class CatalogMedia:
    id: strawberry.ID
    title: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> CatalogMedia:
        return _MEDIA[str(id)]


@strawberry.federation.type(name="Book", keys=["id"])
class CatalogBook(CatalogMedia):
    author: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> CatalogMedia:
        return _MEDIA[str(id)]


@strawberry.federation.type(name="Movie", keys=["id"])
class CatalogMovie(CatalogMedia):
    director: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> CatalogMedia:
        return _MEDIA[str(id)]


_MEDIA: dict[str, CatalogMedia] = {
    "m1": CatalogBook(id=strawberry.ID("m1"), title="Dune", author="Herbert"),
    "m2": CatalogMovie(id=strawberry.ID("m2"), title="Alien", director="Scott"),
    "m3": CatalogBook(id=strawberry.ID("m3"), title="Emma", author="Austen"),
}


@strawberry.type(name="Query")
class CatalogQuery:
    @strawberry.field
    def library(self) -> list[CatalogMedia]:
        return list(_MEDIA.values())


catalog_schema = strawberry.federation.Schema(
    query=CatalogQuery, types=[CatalogBook, CatalogMovie], federation_version="2.9"
)

# --- ratings ----------------------------------------------------------------------------

_RATINGS: dict[str, tuple[int, int | None]] = {"m1": (5, 120), "m2": (4, 80), "m3": (3, None)}


@strawberry.federation.interface_object(name="Media", keys=["id"])
class RatedMedia:
    id: strawberry.ID

    @strawberry.field
    def stars(self) -> int:
        return _RATINGS[str(self.id)][0]

    @strawberry.field
    def review_count(self) -> int | None:
        return _RATINGS[str(self.id)][1]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> RatedMedia:
        return cls(id=id)


@strawberry.type(name="Query")
class RatingsQuery:
    @strawberry.field
    def top_rated(self) -> list[RatedMedia]:
        return [RatedMedia(id=strawberry.ID("m2")), RatedMedia(id=strawberry.ID("m3"))]


ratings_schema = strawberry.federation.Schema(query=RatingsQuery, federation_version="2.9")

SUBGRAPHS = {"catalog": catalog_schema, "ratings": ratings_schema}


CASES = [
    Case(
        "interface-object-field-from-interface-subgraph",
        "{ library { title stars } }",
        {
            "data": {
                "library": [
                    {"title": "Dune", "stars": 5},
                    {"title": "Alien", "stars": 4},
                    {"title": "Emma", "stars": 3},
                ]
            }
        },
    ),
    Case(
        "interface-object-field-inside-concrete-fragments",
        "{ library { ... on Book { author stars } ... on Movie { director reviewCount } } }",
        {
            "data": {
                "library": [
                    {"author": "Herbert", "stars": 5},
                    {"director": "Scott", "reviewCount": 80},
                    {"author": "Austen", "stars": 3},
                ]
            }
        },
    ),
    Case(
        "interface-object-typename-and-nullable-field",
        "{ library { __typename id reviewCount } }",
        {
            "data": {
                "library": [
                    {"__typename": "Book", "id": "m1", "reviewCount": 120},
                    {"__typename": "Movie", "id": "m2", "reviewCount": 80},
                    {"__typename": "Book", "id": "m3", "reviewCount": None},
                ]
            }
        },
    ),
    Case(
        "interface-object-root-own-fields-only",
        "{ topRated { id stars } }",
        {"data": {"topRated": [{"id": "m2", "stars": 4}, {"id": "m3", "stars": 3}]}},
    ),
    Case(
        "interface-object-root-typename-resolved-by-interface-subgraph",
        "{ topRated { __typename id } }",
        {
            "data": {
                "topRated": [
                    {"__typename": "Movie", "id": "m2"},
                    {"__typename": "Book", "id": "m3"},
                ]
            }
        },
    ),
    Case(
        "interface-object-root-concrete-fragments",
        "{ topRated { title ... on Movie { director } ... on Book { author } stars } }",
        {
            "data": {
                "topRated": [
                    {"title": "Alien", "director": "Scott", "stars": 4},
                    {"title": "Emma", "author": "Austen", "stars": 3},
                ]
            }
        },
    ),
    Case(
        "interface-object-root-fragment-on-one-implementation",
        "{ topRated { stars ... on Book { title } } }",
        {"data": {"topRated": [{"stars": 4}, {"stars": 3, "title": "Emma"}]}},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_interface_object_basic(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
