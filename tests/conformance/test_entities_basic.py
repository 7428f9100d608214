"""Entities: resolving an entity's fields through its @key (`_entities` calls).

Federation v2 entities are object types with `@key`; the router fetches the fields another
subgraph contributes by sending `_entities(representations: [{__typename, <key fields>}])` to
it. Covered here: a jump from a root field, from a reference returned by another subgraph, a
round trip back to the first subgraph, response key order across subgraphs, aliases, entities
the owning subgraph does not find (its reference resolver returns null: the fields it owns are
null, and a missing non-null field nulls the nearest nullable parent), null entity references,
an entity whose key field is null (must not break the request or shift other entities' data),
and `__typename` on entities with and without a jump.

Subgraphs: tests/conformance/ent_library.py.
"""

from __future__ import annotations

import pytest

from tests.conformance.ent_library import SUBGRAPHS
from tests.conformance.harness import Case, make_gateway, run_case

CASES = [
    Case(
        "entity-call-from-root-field",
        '{ book(isbn: "978-1") { title averageRating } }',
        {"data": {"book": {"title": "Dune", "averageRating": 2.5}}},
    ),
    Case(
        "entity-call-from-reference",
        '{ review(id: "r2") { body book { isbn title year } } }',
        {
            "data": {
                "review": {
                    "body": "Sand everywhere",
                    "book": {"isbn": "978-1", "title": "Dune", "year": 1965},
                }
            }
        },
    ),
    Case(
        "entity-fields-from-two-subgraphs-keep-query-order",
        '{ book(isbn: "978-0") { averageRating title isbn year } }',
        {
            "data": {
                "book": {
                    "averageRating": 4.0,
                    "title": "The Left Hand of Darkness",
                    "isbn": "978-0",
                    "year": 1969,
                }
            }
        },
    ),
    Case(
        "entity-round-trip-back-to-first-subgraph",
        '{ reader(id: "u1") { name favouriteBook { title reviews { stars author { name } } } } }',
        {
            "data": {
                "reader": {
                    "name": "Ursula",
                    "favouriteBook": {
                        "title": "The Left Hand of Darkness",
                        "reviews": [
                            {"stars": 5, "author": {"name": "Ursula"}},
                            {"stars": 3, "author": {"name": "Octavia"}},
                        ],
                    },
                }
            }
        },
    ),
    Case(
        "entity-fields-under-aliases",
        '{ r: review(id: "r2") { b: book { t: title y: year isbn } } }',
        {"data": {"r": {"b": {"t": "Dune", "y": 1965, "isbn": "978-1"}}}},
    ),
    Case(
        "entity-not-found-nullable-fields-are-null",
        '{ book(isbn: "978-3") { title averageRating reviews { stars } } }',
        {"data": {"book": {"title": "Solaris", "averageRating": None, "reviews": None}}},
    ),
    Case(
        "entity-not-found-by-owner-of-requested-field",
        '{ review(id: "r4") { stars book { isbn year } } }',
        {"data": {"review": {"stars": 2, "book": {"isbn": "978-9", "year": None}}}},
    ),
    Case(
        "entity-not-found-non-null-field-nulls-parent",
        '{ review(id: "r5") { stars author { id name } } }',
        {"data": {"review": {"stars": 5, "author": None}}, "errors": True},
    ),
    Case(
        "null-entity-reference",
        '{ review(id: "r4") { body author { name } } }',
        {"data": {"review": {"body": "Could not find it again", "author": None}}},
    ),
    Case(
        "null-key-field",
        '{ review(id: "r6") { stars author { id nickname } } }',
        {"data": {"review": {"stars": 1, "author": {"id": None, "nickname": None}}}},
    ),
    Case(
        "null-key-field-among-other-entities",
        '{ book(isbn: "978-1") { reviews { stars author { id nickname } } } }',
        {
            "data": {
                "book": {
                    "reviews": [
                        {"stars": 4, "author": {"id": "u2", "nickname": "oeb"}},
                        {"stars": 1, "author": {"id": None, "nickname": None}},
                    ]
                }
            }
        },
    ),
    Case(
        "typename-on-entities-across-jumps",
        '{ book(isbn: "978-2") { __typename isbn averageRating'
        " reviews { __typename id book { __typename title } } } }",
        {
            "data": {
                "book": {
                    "__typename": "Book",
                    "isbn": "978-2",
                    "averageRating": 5.0,
                    "reviews": [
                        {
                            "__typename": "Review",
                            "id": "r5",
                            "book": {"__typename": "Book", "title": "Kindred"},
                        }
                    ],
                }
            }
        },
    ),
    Case(
        "typename-only-needs-no-jump",
        '{ review(id: "r1") { book { kind: __typename } author { __typename id } } }',
        {
            "data": {
                "review": {
                    "book": {"kind": "Book"},
                    "author": {"__typename": "Reader", "id": "u1"},
                }
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_entities_basic(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
