"""Operations: named, nested and type-less fragments, field merging, operationName.

Covers the GraphQL spec's "Field Collection" (fragment spreads and inline fragments expand in
place, so response keys follow the document order; selections of the same response key merge)
and "Executing Requests" (GetOperation: operationName picks one of several operations; an
unknown name, or several operations and no name, is a request error) through a gateway whose
fragments span fields of several subgraphs.
"""

from __future__ import annotations

import pytest

from tests.conformance.harness import Case, make_gateway, run_case
from tests.conformance.ops_shop import SUBGRAPHS

CASES = [
    Case(
        "named-and-nested-fragments-spanning-subgraphs",
        """
        query Cards {
          topProducts(first: 2) { ...ProductCard }
        }
        fragment ProductCard on Product {
          id
          ...Pricing
          reviews { ...ReviewLine }
        }
        fragment Pricing on Product { price stock }
        fragment ReviewLine on Review { rating body }
        """,
        {
            "data": {
                "topProducts": [
                    {
                        "id": "p1",
                        "price": 12000,
                        "stock": 25,
                        "reviews": [
                            {"rating": 5, "body": "Fits perfectly"},
                            {"rating": 4, "body": "Good grip"},
                        ],
                    },
                    {
                        "id": "p2",
                        "price": 9000,
                        "stock": 0,
                        "reviews": [{"rating": 2, "body": "Leaks at the seams"}],
                    },
                ]
            }
        },
    ),
    Case(
        "inline-fragments-without-type-condition",
        """
        {
          product(id: "p3") {
            ... { name stock }
            id
            ... { category { title } }
          }
        }
        """,
        {
            "data": {
                "product": {
                    "name": "Wool Socks",
                    "stock": 140,
                    "id": "p3",
                    "category": {"title": "Footwear"},
                }
            }
        },
    ),
    Case(
        "same-field-merged-from-field-and-fragment",
        """
        {
          product(id: "p2") { warehouse { code } ...Where }
        }
        fragment Where on Product { warehouse { city } name }
        """,
        {
            "data": {
                "product": {"warehouse": {"code": "LYS", "city": "Lyon"}, "name": "Rain Jacket"}
            }
        },
    ),
    Case(
        "operation-name-selects-second-operation",
        """
        query First { product(id: "p1") { name } }
        query Second { latestReviews(limit: 1) { body product { stock } } }
        """,
        {"data": {"latestReviews": [{"body": "Warm and soft", "product": {"stock": 140}}]}},
        operation_name="Second",
    ),
    Case(
        "operation-name-selects-first-operation",
        """
        query First { product(id: "p1") { name } }
        query Second { latestReviews(limit: 1) { body product { stock } } }
        """,
        {"data": {"product": {"name": "Trail Shoe"}}},
        operation_name="First",
    ),
    Case(
        "unknown-operation-name-is-a-request-error",
        """
        query First { product(id: "p1") { name } }
        query Second { warehouses { code } }
        """,
        {"errors": True},
        operation_name="Third",
    ),
    Case(
        "several-operations-without-operation-name-is-a-request-error",
        """
        query First { product(id: "p1") { name } }
        query Second { warehouses { code } }
        """,
        {"errors": True},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_operations_fragments(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
