"""Introspection through the gateway answers from the API schema, not the supergraph.

Covers Apollo Federation's supergraph-to-API-schema rules (join spec: the `join__*` and `link__*`
machinery and `@link` are removed; inaccessible spec: elements marked `@inaccessible` are
hidden) and GraphQL introspection (`__schema`, `__type`): an entity's type shows the fields that
every subgraph contributes, in supergraph order; inaccessible fields, types and enum values are
absent and cannot be queried; introspection can be mixed with ordinary fields.
"""

from __future__ import annotations

from typing import Any

import pytest

from gateway.service import GraphQLRequest
from tests.conformance.harness import Case, make_gateway, run_case
from tests.conformance.ops_shop import SUBGRAPHS

CASES = [
    Case(
        "entity-type-shows-fields-from-every-subgraph",
        '{ __type(name: "Product") { name kind fields { name } } }',
        {
            "data": {
                "__type": {
                    "name": "Product",
                    "kind": "OBJECT",
                    "fields": [
                        {"name": "id"},
                        {"name": "name"},
                        {"name": "price"},
                        {"name": "category"},
                        {"name": "stock"},
                        {"name": "warehouse"},
                        {"name": "shippingDays"},
                        {"name": "reviews"},
                    ],
                }
            }
        },
    ),
    Case(
        "entity-field-arguments-and-types-from-other-subgraphs",
        """
        {
          __type(name: "Product") {
            fields {
              name
              args { name defaultValue type { kind name ofType { name } } }
              type { kind name ofType { kind name } }
            }
          }
        }
        """,
        {
            "data": {
                "__type": {
                    "fields": [
                        {
                            "name": "id",
                            "args": [],
                            "type": {
                                "kind": "NON_NULL",
                                "name": None,
                                "ofType": {"kind": "SCALAR", "name": "ID"},
                            },
                        },
                        {
                            "name": "name",
                            "args": [],
                            "type": {
                                "kind": "NON_NULL",
                                "name": None,
                                "ofType": {"kind": "SCALAR", "name": "String"},
                            },
                        },
                        {
                            "name": "price",
                            "args": [
                                {
                                    "name": "currency",
                                    "defaultValue": "USD",
                                    "type": {
                                        "kind": "NON_NULL",
                                        "name": None,
                                        "ofType": {"name": "Currency"},
                                    },
                                }
                            ],
                            "type": {
                                "kind": "NON_NULL",
                                "name": None,
                                "ofType": {"kind": "SCALAR", "name": "Int"},
                            },
                        },
                        {
                            "name": "category",
                            "args": [],
                            "type": {
                                "kind": "NON_NULL",
                                "name": None,
                                "ofType": {"kind": "OBJECT", "name": "Category"},
                            },
                        },
                        {
                            "name": "stock",
                            "args": [],
                            "type": {
                                "kind": "NON_NULL",
                                "name": None,
                                "ofType": {"kind": "SCALAR", "name": "Int"},
                            },
                        },
                        {
                            "name": "warehouse",
                            "args": [],
                            "type": {"kind": "OBJECT", "name": "Warehouse", "ofType": None},
                        },
                        {
                            "name": "shippingDays",
                            "args": [
                                {
                                    "name": "zone",
                                    "defaultValue": "1",
                                    "type": {
                                        "kind": "NON_NULL",
                                        "name": None,
                                        "ofType": {"name": "Int"},
                                    },
                                }
                            ],
                            "type": {
                                "kind": "NON_NULL",
                                "name": None,
                                "ofType": {"kind": "SCALAR", "name": "Int"},
                            },
                        },
                        {
                            "name": "reviews",
                            "args": [
                                {
                                    "name": "minRating",
                                    "defaultValue": "1",
                                    "type": {
                                        "kind": "NON_NULL",
                                        "name": None,
                                        "ofType": {"name": "Int"},
                                    },
                                }
                            ],
                            "type": {
                                "kind": "NON_NULL",
                                "name": None,
                                "ofType": {"kind": "LIST", "name": None},
                            },
                        },
                    ]
                }
            }
        },
    ),
    Case(
        "query-type-fields-without-inaccessible-root-field",
        "{ __schema { queryType { name fields { name } } mutationType { name } } }",
        {
            "data": {
                "__schema": {
                    "queryType": {
                        "name": "Query",
                        "fields": [
                            {"name": "topProducts"},
                            {"name": "product"},
                            {"name": "productsByIds"},
                            {"name": "categories"},
                            {"name": "search"},
                            {"name": "filterProducts"},
                            {"name": "describeFilter"},
                            {"name": "echoIds"},
                            {"name": "warehouses"},
                            {"name": "lowStock"},
                            {"name": "latestReviews"},
                            {"name": "feed"},
                        ],
                    },
                    "mutationType": None,
                }
            }
        },
    ),
    Case(
        "inaccessible-type-and-federation-machinery-are-not-types",
        """
        {
          audit: __type(name: "AuditEntry") { name }
          graph: __type(name: "join__Graph") { name }
          fieldSet: __type(name: "join__FieldSet") { name }
          purpose: __type(name: "link__Purpose") { name }
          linkImport: __type(name: "link__Import") { name }
          entity: __type(name: "_Entity") { name }
          any: __type(name: "_Any") { name }
          service: __type(name: "_Service") { name }
          warehouse: __type(name: "Warehouse") { name }
        }
        """,
        {
            "data": {
                "audit": None,
                "graph": None,
                "fieldSet": None,
                "purpose": None,
                "linkImport": None,
                "entity": None,
                "any": None,
                "service": None,
                "warehouse": {"name": "Warehouse"},
            }
        },
    ),
    Case(
        "inaccessible-enum-value-is-hidden",
        '{ __type(name: "Currency") { kind enumValues { name } } }',
        {"data": {"__type": {"kind": "ENUM", "enumValues": [{"name": "USD"}, {"name": "EUR"}]}}},
    ),
    Case(
        "union-and-interface-members",
        """
        {
          union: __type(name: "SearchResult") { kind possibleTypes { name } }
          iface: __type(name: "Feedback") { kind fields { name } }
        }
        """,
        {
            "data": {
                "union": {
                    "kind": "UNION",
                    "possibleTypes": [{"name": "Product"}, {"name": "Category"}],
                },
                "iface": {"kind": "INTERFACE", "fields": [{"name": "id"}, {"name": "body"}]},
            }
        },
    ),
    Case(
        "input-object-fields",
        """
        {
          __type(name: "ProductFilter") {
            kind
            inputFields { name type { kind name ofType { kind name } } }
          }
        }
        """,
        {
            "data": {
                "__type": {
                    "kind": "INPUT_OBJECT",
                    "inputFields": [
                        {
                            "name": "nameContains",
                            "type": {"kind": "SCALAR", "name": "String", "ofType": None},
                        },
                        {
                            "name": "maxPrice",
                            "type": {"kind": "SCALAR", "name": "Int", "ofType": None},
                        },
                        {
                            "name": "categories",
                            "type": {
                                "kind": "LIST",
                                "name": None,
                                "ofType": {"kind": "NON_NULL", "name": None},
                            },
                        },
                    ],
                }
            }
        },
    ),
    Case(
        "introspection-mixed-with-data-fields",
        """
        {
          __typename
          product(id: "p1") { name stock }
          __type(name: "Warehouse") { fields { name } }
        }
        """,
        {
            "data": {
                "__typename": "Query",
                "product": {"name": "Trail Shoe", "stock": 25},
                "__type": {"fields": [{"name": "code"}, {"name": "city"}]},
            }
        },
    ),
    Case(
        "inaccessible-field-cannot-be-queried",
        '{ product(id: "p1") { name internalCode } }',
        {"errors": True},
    ),
    Case(
        "inaccessible-root-field-cannot-be-queried",
        "{ audit { note } }",
        {"errors": True},
    ),
    Case(
        "inaccessible-enum-value-cannot-be-used",
        '{ product(id: "p1") { price(currency: GBP) } }',
        {"errors": True},
    ),
]

USER_TYPES = {
    "Query",
    "Product",
    "Category",
    "Warehouse",
    "Review",
    "Question",
    "Feedback",
    "SearchResult",
    "Currency",
    "ProductFilter",
}
SCALARS = {"ID", "String", "Int", "Boolean", "Float"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_introspection_api_schema(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()


async def test_schema_types_and_directives_hide_federation_machinery() -> None:
    """`__schema` lists the API schema's types and directives only (order is not specified)."""
    gateway = make_gateway(SUBGRAPHS)
    try:
        response = await gateway.execute(
            GraphQLRequest("{ __schema { types { name } directives { name } } }")
        )
    finally:
        await gateway.aclose()
    body: dict[str, Any] = response.body
    assert not body.get("errors"), body
    types = {t["name"] for t in body["data"]["__schema"]["types"]}
    directives = {d["name"] for d in body["data"]["__schema"]["directives"]}
    named = {name for name in types if not name.startswith("__") and name not in SCALARS}
    assert named == USER_TYPES
    assert {"ID", "String", "Int", "Boolean"} <= types
    assert {"skip", "include", "deprecated"} <= directives
    hidden = {"link", "inaccessible", "key", "external", "requires", "provides", "shareable"}
    assert not directives & hidden
    assert not [d for d in directives if d.startswith("join__")]
