"""Operations: variables passed through the gateway to the subgraphs that use them.

Covers the GraphQL spec's "Coercing Variable Values" and "Coercing Field Arguments" as seen
through a federated gateway: variable defaults (used when the variable is omitted, replaced
when it is given), list and input-object variables, variables nested inside input literals,
enum variables, explicit `null` versus an omitted value (a subgraph must see the difference),
and variables used by entity fields resolved in another subgraph than the root field.
"""

from __future__ import annotations

import pytest

from tests.conformance.harness import Case, make_gateway, run_case
from tests.conformance.ops_shop import SUBGRAPHS

CASES = [
    Case(
        "variable-default-used-when-omitted",
        "query Top($n: Int! = 2) { topProducts(first: $n) { id } }",
        {"data": {"topProducts": [{"id": "p1"}, {"id": "p2"}]}},
    ),
    Case(
        "variable-default-replaced-by-given-value",
        "query Top($n: Int! = 2) { topProducts(first: $n) { id } }",
        {"data": {"topProducts": [{"id": "p1"}, {"id": "p2"}, {"id": "p3"}, {"id": "p4"}]}},
        variables={"n": 4},
    ),
    Case(
        "list-variable-with-missing-item-and-entity-jump",
        "query Pick($ids: [ID!]!) { productsByIds(ids: $ids) { id name stock } }",
        {
            "data": {
                "productsByIds": [
                    {"id": "p5", "name": "Head Lamp", "stock": 3},
                    None,
                    {"id": "p2", "name": "Rain Jacket", "stock": 0},
                ]
            }
        },
        variables={"ids": ["p5", "nope", "p2"]},
    ),
    Case(
        "variables-as-items-of-a-list-literal",
        'query Pick($a: ID!, $b: ID!) { productsByIds(ids: [$a, "p4", $b]) { name } }',
        {
            "data": {
                "productsByIds": [
                    {"name": "Trail Shoe"},
                    {"name": "Camp Mug"},
                    {"name": "Wool Socks"},
                ]
            }
        },
        variables={"a": "p1", "b": "p3"},
    ),
    Case(
        "input-object-variable",
        "query Find($f: ProductFilter) { filterProducts(filter: $f) { name price } }",
        {"data": {"filterProducts": [{"name": "Wool Socks", "price": 1500}]}},
        variables={"f": {"categories": ["footwear"], "maxPrice": 5000}},
    ),
    Case(
        "variable-nested-in-input-object-literal-with-explicit-null",
        """
        query Find($cats: [String!]) {
          filterProducts(filter: {categories: $cats, maxPrice: null}) { id }
        }
        """,
        {"data": {"filterProducts": [{"id": "p1"}, {"id": "p3"}, {"id": "p5"}]}},
        variables={"cats": ["footwear", "gear"]},
    ),
    Case(
        "input-object-field-null-differs-from-absent",
        "query Show($f: ProductFilter) { describeFilter(filter: $f) }",
        {"data": {"describeFilter": "nameContains=null maxPrice=absent categories=[a,b]"}},
        variables={"f": {"nameContains": None, "categories": ["a", "b"]}},
    ),
    Case(
        "explicit-null-variable-reaches-the-subgraph-as-null",
        "query Show($f: ProductFilter) { describeFilter(filter: $f) }",
        {"data": {"describeFilter": "filter=null"}},
        variables={"f": None},
    ),
    Case(
        "omitted-variable-without-default-leaves-argument-absent",
        "query Show($f: ProductFilter) { describeFilter(filter: $f) }",
        {"data": {"describeFilter": "filter=absent"}},
        variables={},
    ),
    Case(
        "null-list-variable",
        'query Echo($ids: [ID!]) { none: echoIds(ids: $ids) some: echoIds(ids: ["x"]) }',
        {"data": {"none": "null", "some": "[x]"}},
        variables={"ids": None},
    ),
    Case(
        "enum-variable",
        'query Price($c: Currency!) { product(id: "p2") { price(currency: $c) } }',
        {"data": {"product": {"price": 8100}}},
        variables={"c": "EUR"},
    ),
    Case(
        "variables-used-by-entity-fields-in-other-subgraphs",
        """
        query Ship($zone: Int!, $min: Int! = 4) {
          topProducts(first: 2) {
            name
            shippingDays(zone: $zone)
            reviews(minRating: $min) { body }
          }
        }
        """,
        {
            "data": {
                "topProducts": [
                    {
                        "name": "Trail Shoe",
                        "shippingDays": 7,
                        "reviews": [{"body": "Fits perfectly"}, {"body": "Good grip"}],
                    },
                    {"name": "Rain Jacket", "shippingDays": 9, "reviews": []},
                ]
            }
        },
        variables={"zone": 5},
    ),
    Case(
        "missing-required-variable-is-a-request-error",
        "query Top($n: Int!) { topProducts(first: $n) { id } }",
        {"errors": True},
        variables={},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_operations_variables(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
