"""@skip and @include through a federated gateway.

Covers the GraphQL spec's "@skip" / "@include" and "Field Collection" rules applied by a gateway
that plans subgraph fetches: literal and variable conditions on fields, inline fragments and
fragment spreads; both directives on one field (included only when skip is false and include is
true); conditions on fields that need an entity jump to another subgraph and on whole root
fields; and a conditional selection merged with an unconditional selection of the same field.
"""

from __future__ import annotations

import pytest

from tests.conformance.harness import Case, make_gateway, run_case
from tests.conformance.ops_shop import SUBGRAPHS

FRAGMENT_SPREAD = """
query Reviews($full: Boolean = false) {
  latestReviews { id ...Details @include(if: $full) }
}
fragment Details on Review { body product { name stock } }
"""

INLINE_FRAGMENT = """
query Card($brief: Boolean!) {
  product(id: "p2") {
    name
    ... on Product @skip(if: $brief) { warehouse { city } reviews { rating } }
  }
}
"""

CASES = [
    Case(
        "literal-conditions-on-fields",
        """
        {
          product(id: "p1") {
            name
            price @skip(if: true)
            stock @skip(if: false)
            category @include(if: false) { title }
            warehouse @include(if: true) { code }
          }
        }
        """,
        {"data": {"product": {"name": "Trail Shoe", "stock": 25, "warehouse": {"code": "OSL"}}}},
    ),
    Case(
        "include-variable-false-on-entity-jump-field",
        "query Q($withStock: Boolean!) {"
        " topProducts(first: 2) { name stock @include(if: $withStock) } }",
        {"data": {"topProducts": [{"name": "Trail Shoe"}, {"name": "Rain Jacket"}]}},
        variables={"withStock": False},
    ),
    Case(
        "include-variable-true-on-entity-jump-field",
        "query Q($withStock: Boolean!) {"
        " topProducts(first: 2) { name stock @include(if: $withStock) } }",
        {
            "data": {
                "topProducts": [
                    {"name": "Trail Shoe", "stock": 25},
                    {"name": "Rain Jacket", "stock": 0},
                ]
            }
        },
        variables={"withStock": True},
    ),
    Case(
        "skip-variable-true-on-inline-fragment",
        INLINE_FRAGMENT,
        {"data": {"product": {"name": "Rain Jacket"}}},
        variables={"brief": True},
    ),
    Case(
        "skip-variable-false-on-inline-fragment-with-entity-jumps",
        INLINE_FRAGMENT,
        {
            "data": {
                "product": {
                    "name": "Rain Jacket",
                    "warehouse": {"city": "Lyon"},
                    "reviews": [{"rating": 2}],
                }
            }
        },
        variables={"brief": False},
    ),
    Case(
        "include-on-fragment-spread-default-false",
        FRAGMENT_SPREAD,
        {"data": {"latestReviews": [{"id": "r4"}, {"id": "r3"}]}},
    ),
    Case(
        "include-on-fragment-spread-variable-true",
        FRAGMENT_SPREAD,
        {
            "data": {
                "latestReviews": [
                    {
                        "id": "r4",
                        "body": "Warm and soft",
                        "product": {"name": "Wool Socks", "stock": 140},
                    },
                    {
                        "id": "r3",
                        "body": "Good grip",
                        "product": {"name": "Trail Shoe", "stock": 25},
                    },
                ]
            }
        },
        variables={"full": True},
    ),
    Case(
        "skip-and-include-on-the-same-field",
        """
        query Q($a: Boolean!, $b: Boolean!) {
          product(id: "p5") {
            name
            x: stock @skip(if: $a) @include(if: $b)
            y: stock @skip(if: $b) @include(if: $b)
            z: shippingDays @skip(if: $a) @include(if: $a)
          }
        }
        """,
        {"data": {"product": {"name": "Head Lamp", "x": 3}}},
        variables={"a": False, "b": True},
    ),
    Case(
        "skip-a-whole-entity-jump-subtree",
        """
        query Q($noReviews: Boolean!) {
          topProducts(first: 2) { id reviews @skip(if: $noReviews) { rating product { name } } }
        }
        """,
        {"data": {"topProducts": [{"id": "p1"}, {"id": "p2"}]}},
        variables={"noReviews": True},
    ),
    Case(
        "skip-every-root-field-of-one-subgraph",
        """
        query Q($s: Boolean!) {
          warehouses @skip(if: $s) { code }
          topProducts(first: 1) @include(if: true) { id }
          latestReviews @include(if: $s) { id }
        }
        """,
        {"data": {"topProducts": [{"id": "p1"}], "latestReviews": [{"id": "r4"}, {"id": "r3"}]}},
        variables={"s": True},
    ),
    Case(
        "skipped-copy-does-not-hide-unconditional-copy",
        """
        query Q($x: Boolean!) {
          product(id: "p2") {
            stock @skip(if: true)
            stock
            warehouse { code }
            warehouse @include(if: $x) { city }
          }
        }
        """,
        {"data": {"product": {"stock": 0, "warehouse": {"code": "LYS"}}}},
        variables={"x": False},
    ),
    Case(
        "conditions-on-typename",
        """
        query Q($t: Boolean!) {
          __typename @include(if: $t)
          product(id: "p1") { __typename @skip(if: $t) kind: __typename @include(if: $t) name }
        }
        """,
        {"data": {"__typename": "Query", "product": {"kind": "Product", "name": "Trail Shoe"}}},
        variables={"t": True},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_directives_skip_include(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
