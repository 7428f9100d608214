"""Entities inside lists: batching representations and merging the answers back in place.

The router sends one `_entities` call per jump with the representations of every entity
reached at that point of the plan, and must put each answer back at the right position.
Covered here: a list of entities from a root field, lists with the same entity several times
(representations may be deduplicated: every position still gets its data), lists of lists
(empty inner lists, null items), the same entity reached through several paths of one
query, aliases of the same root field, and a chain of jumps through nested lists that goes
back and forth between three subgraphs.

Subgraphs: tests/conformance/ent_library.py.
"""

from __future__ import annotations

import pytest

from tests.conformance.ent_library import SUBGRAPHS
from tests.conformance.harness import Case, make_gateway, run_case

LHOD = "The Left Hand of Darkness"

CASES = [
    Case(
        "entities-in-list-from-root",
        "{ books { isbn averageRating } }",
        {
            "data": {
                "books": [
                    {"isbn": "978-0", "averageRating": 4.0},
                    {"isbn": "978-1", "averageRating": 2.5},
                    {"isbn": "978-2", "averageRating": 5.0},
                    {"isbn": "978-3", "averageRating": None},
                ]
            }
        },
    ),
    Case(
        "list-with-repeated-entity",
        "{ latestReviews { id book { title year } } }",
        {
            "data": {
                "latestReviews": [
                    {"id": "r5", "book": {"title": "Kindred", "year": 1979}},
                    {"id": "r3", "book": {"title": LHOD, "year": 1969}},
                    {"id": "r2", "book": {"title": "Dune", "year": 1965}},
                    {"id": "r1", "book": {"title": LHOD, "year": 1969}},
                ]
            }
        },
    ),
    Case(
        "list-of-lists-at-root-with-empty-list-and-null",
        "{ shelves { title averageRating } }",
        {
            "data": {
                "shelves": [
                    [
                        {"title": "Dune", "averageRating": 2.5},
                        {"title": LHOD, "averageRating": 4.0},
                    ],
                    [],
                    [
                        {"title": "Kindred", "averageRating": 5.0},
                        None,
                        {"title": "Dune", "averageRating": 2.5},
                    ],
                ]
            }
        },
    ),
    Case(
        "list-of-lists-of-references",
        "{ readers { name wishlist { title } } }",
        {
            "data": {
                "readers": [
                    {
                        "name": "Ursula",
                        "wishlist": [[{"title": "Dune"}, {"title": "Solaris"}], [{"title": LHOD}]],
                    },
                    {
                        "name": "Octavia",
                        "wishlist": [
                            [],
                            [{"title": "Kindred"}, {"title": "Dune"}, {"title": "Solaris"}],
                        ],
                    },
                    {"name": "Stanislaw", "wishlist": []},
                ]
            }
        },
    ),
    Case(
        "nullable-entity-field-in-list",
        "{ readers { favouriteBook { isbn reviews { id } } } }",
        {
            "data": {
                "readers": [
                    {"favouriteBook": {"isbn": "978-0", "reviews": [{"id": "r1"}, {"id": "r3"}]}},
                    {"favouriteBook": None},
                    {"favouriteBook": {"isbn": "978-2", "reviews": [{"id": "r5"}]}},
                ]
            }
        },
    ),
    Case(
        "same-entity-through-several-paths",
        '{ book(isbn: "978-0") { title averageRating }'
        " latestReviews { book { isbn title } }"
        " readers { favouriteBook { title averageRating } } }",
        {
            "data": {
                "book": {"title": LHOD, "averageRating": 4.0},
                "latestReviews": [
                    {"book": {"isbn": "978-2", "title": "Kindred"}},
                    {"book": {"isbn": "978-0", "title": LHOD}},
                    {"book": {"isbn": "978-1", "title": "Dune"}},
                    {"book": {"isbn": "978-0", "title": LHOD}},
                ],
                "readers": [
                    {"favouriteBook": {"title": LHOD, "averageRating": 4.0}},
                    {"favouriteBook": None},
                    {"favouriteBook": {"title": "Kindred", "averageRating": 5.0}},
                ],
            }
        },
    ),
    Case(
        "aliases-of-the-same-entity",
        '{ first: book(isbn: "978-1") { title averageRating }'
        ' second: book(isbn: "978-1") { year averageRating } }',
        {
            "data": {
                "first": {"title": "Dune", "averageRating": 2.5},
                "second": {"year": 1965, "averageRating": 2.5},
            }
        },
    ),
    Case(
        "jumps-through-nested-lists-across-three-subgraphs",
        "{ readers { name wishlist { title reviews { stars author { nickname } } } } }",
        {
            "data": {
                "readers": [
                    {
                        "name": "Ursula",
                        "wishlist": [
                            [
                                {
                                    "title": "Dune",
                                    "reviews": [
                                        {"stars": 4, "author": {"nickname": "oeb"}},
                                        {"stars": 1, "author": {"nickname": None}},
                                    ],
                                },
                                {"title": "Solaris", "reviews": None},
                            ],
                            [
                                {
                                    "title": LHOD,
                                    "reviews": [
                                        {"stars": 5, "author": {"nickname": "ukl"}},
                                        {"stars": 3, "author": {"nickname": "oeb"}},
                                    ],
                                }
                            ],
                        ],
                    },
                    {
                        "name": "Octavia",
                        "wishlist": [
                            [],
                            [
                                {
                                    "title": "Kindred",
                                    "reviews": [{"stars": 5, "author": {"nickname": None}}],
                                },
                                {
                                    "title": "Dune",
                                    "reviews": [
                                        {"stars": 4, "author": {"nickname": "oeb"}},
                                        {"stars": 1, "author": {"nickname": None}},
                                    ],
                                },
                                {"title": "Solaris", "reviews": None},
                            ],
                        ],
                    },
                    {"name": "Stanislaw", "wishlist": []},
                ]
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_entities_lists(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
