"""Operations: root fields across subgraphs, __typename and aliases.

Covers the GraphQL execution rules a federated gateway must keep while it splits one client
operation into subgraph fetches: response keys in the order the client asked for them, whatever
subgraph answers them (root fields of several subgraphs, several root fields of one subgraph);
`__typename` at the root, on nested objects, on abstract types and under an alias; aliases (the
same field with different arguments, entity fields resolved in another subgraph) (GraphQL spec,
"Executing Requests" and "Field Collection"; Apollo Federation docs, "Query plans").
"""

from __future__ import annotations

import pytest

from tests.conformance.harness import Case, make_gateway, run_case
from tests.conformance.ops_shop import SUBGRAPHS

CASES = [
    Case(
        "root-fields-from-three-subgraphs",
        """
        {
          topProducts(first: 2) { id name }
          warehouses { code city }
          latestReviews { id rating }
        }
        """,
        {
            "data": {
                "topProducts": [
                    {"id": "p1", "name": "Trail Shoe"},
                    {"id": "p2", "name": "Rain Jacket"},
                ],
                "warehouses": [{"code": "OSL", "city": "Oslo"}, {"code": "LYS", "city": "Lyon"}],
                "latestReviews": [{"id": "r4", "rating": 5}, {"id": "r3", "rating": 4}],
            }
        },
    ),
    Case(
        "root-fields-of-one-subgraph-interleaved-with-another-keep-order",
        """
        {
          product(id: "p4") { name }
          warehouses { code }
          categories { title }
          first: topProducts(first: 1) { id }
        }
        """,
        {
            "data": {
                "product": {"name": "Camp Mug"},
                "warehouses": [{"code": "OSL"}, {"code": "LYS"}],
                "categories": [
                    {"title": "Footwear"},
                    {"title": "Outerwear"},
                    {"title": "Camp Kitchen"},
                    {"title": "Gear"},
                ],
                "first": [{"id": "p1"}],
            }
        },
    ),
    Case(
        "typename-at-root-and-on-entities",
        "{ __typename topProducts(first: 1) { __typename id } }",
        {"data": {"__typename": "Query", "topProducts": [{"__typename": "Product", "id": "p1"}]}},
    ),
    Case(
        "typename-only-on-root",
        "{ __typename }",
        {"data": {"__typename": "Query"}},
    ),
    Case(
        "typename-in-nested-objects-across-subgraphs",
        """
        {
          latestReviews(limit: 1) {
            __typename
            product { __typename name warehouse { __typename city } }
          }
        }
        """,
        {
            "data": {
                "latestReviews": [
                    {
                        "__typename": "Review",
                        "product": {
                            "__typename": "Product",
                            "name": "Wool Socks",
                            "warehouse": {"__typename": "Warehouse", "city": "Oslo"},
                        },
                    }
                ]
            }
        },
    ),
    Case(
        "typename-on-union-aliased-with-entity-jump",
        """
        {
          search(term: "amp") {
            __typename
            kind: __typename
            ... on Category { slug }
            ... on Product { name stock }
          }
        }
        """,
        {
            "data": {
                "search": [
                    {"__typename": "Category", "kind": "Category", "slug": "kitchen"},
                    {"__typename": "Product", "kind": "Product", "name": "Camp Mug", "stock": 7},
                    {"__typename": "Product", "kind": "Product", "name": "Head Lamp", "stock": 3},
                ]
            }
        },
    ),
    Case(
        "typename-on-interface-with-entity-jumps-per-type",
        """
        {
          feed {
            __typename
            id
            ... on Review { rating product { name } }
            ... on Question { answered product { id stock } }
          }
        }
        """,
        {
            "data": {
                "feed": [
                    {
                        "__typename": "Review",
                        "id": "r4",
                        "rating": 5,
                        "product": {"name": "Wool Socks"},
                    },
                    {
                        "__typename": "Question",
                        "id": "q1",
                        "answered": True,
                        "product": {"id": "p2", "stock": 0},
                    },
                    {
                        "__typename": "Review",
                        "id": "r2",
                        "rating": 2,
                        "product": {"name": "Rain Jacket"},
                    },
                ]
            }
        },
    ),
    Case(
        "aliases-same-field-with-different-arguments",
        """
        {
          product(id: "p1") { usd: price eur: price(currency: EUR) name }
          cheap: filterProducts(filter: {maxPrice: 1000}) { id }
          midRange: filterProducts(filter: {maxPrice: 4000}) { id }
        }
        """,
        {
            "data": {
                "product": {"usd": 12000, "eur": 10800, "name": "Trail Shoe"},
                "cheap": [{"id": "p4"}],
                "midRange": [{"id": "p3"}, {"id": "p4"}, {"id": "p5"}],
            }
        },
    ),
    Case(
        "aliases-on-entity-fields-resolved-in-another-subgraph",
        """
        {
          topProducts(first: 2) {
            id
            near: shippingDays(zone: 1)
            far: shippingDays(zone: 3)
            qty: stock
          }
        }
        """,
        {
            "data": {
                "topProducts": [
                    {"id": "p1", "near": 3, "far": 5, "qty": 25},
                    {"id": "p2", "near": 5, "far": 7, "qty": 0},
                ]
            }
        },
    ),
    Case(
        "aliased-root-fields-each-with-entity-jumps",
        """
        {
          a: product(id: "p1") { n: name s: stock }
          b: product(id: "p5") { n: name s: stock w: warehouse { city } }
        }
        """,
        {
            "data": {
                "a": {"n": "Trail Shoe", "s": 25},
                "b": {"n": "Head Lamp", "s": 3, "w": None},
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_operations_roots(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
