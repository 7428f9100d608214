"""@requires chains: required fields that are computed elsewhere, or come from several subgraphs.

A field's `@requires(fields: ...)` may name `@external` fields that are themselves computed with
`@requires` in another subgraph (the router must resolve the inner requirement first), and the
required fields may be owned by different subgraphs (one entity fetch per owner before the
requiring fetch). Four subgraphs share `Product @key(fields: "id")`:

- products: name, weight
- pricing: price
- shipping: shippingCost @requires(fields: "weight")
- quotes: deliveryQuote @requires(fields: "shippingCost price"),
  insurance @requires(fields: "weight price")
"""

from __future__ import annotations

from typing import Any

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

_ROWS: dict[str, dict[str, Any]] = {
    "a1": {"name": "Kettle", "weight": 1500, "price": 3500},
    "a2": {"name": "Toaster", "weight": 2500, "price": 5000},
    "a3": {"name": "Spoon", "weight": 50, "price": 300},
}

# --- products ---------------------------------------------------------------------------


@strawberry.federation.type(name="Product", keys=["id"])
class BaseProduct:
    id: strawberry.ID
    name: str
    weight: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> BaseProduct | None:
        return _base(str(id))


def _base(pid: str) -> BaseProduct | None:
    row = _ROWS.get(pid)
    if row is None:
        return None
    return BaseProduct(id=strawberry.ID(pid), name=row["name"], weight=row["weight"])


@strawberry.type(name="Query")
class ProductsQuery:
    @strawberry.field
    def top_products(self) -> list[BaseProduct]:
        return [p for pid in _ROWS if (p := _base(pid)) is not None]

    @strawberry.field
    def product(self, id: strawberry.ID) -> BaseProduct | None:
        return _base(str(id))


products_schema = strawberry.federation.Schema(query=ProductsQuery, federation_version="2.9")

# --- pricing ----------------------------------------------------------------------------


@strawberry.federation.type(name="Product", keys=["id"])
class PricedProduct:
    id: strawberry.ID
    price: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> PricedProduct:
        return cls(id=id, price=_ROWS[str(id)]["price"])


pricing_schema = strawberry.federation.Schema(types=[PricedProduct], federation_version="2.9")

# --- shipping ---------------------------------------------------------------------------


@strawberry.federation.type(name="Product", keys=["id"])
class ShippedProduct:
    id: strawberry.ID
    weight: int = strawberry.federation.field(external=True, default=0)

    @strawberry.federation.field(requires=["weight"])
    def shipping_cost(self) -> int:
        return 4 + self.weight // 250

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, weight: int = 0) -> ShippedProduct:
        return cls(id=id, weight=weight)


shipping_schema = strawberry.federation.Schema(types=[ShippedProduct], federation_version="2.9")

# --- quotes -----------------------------------------------------------------------------


@strawberry.federation.type(name="Product", keys=["id"])
class QuotedProduct:
    id: strawberry.ID
    weight: int = strawberry.federation.field(external=True, default=0)
    price: int = strawberry.federation.field(external=True, default=0)
    shipping_cost: int = strawberry.federation.field(external=True, default=0)

    @strawberry.federation.field(requires=["shippingCost price"])
    def delivery_quote(self) -> str:
        return f"{self.price + self.shipping_cost} incl. {self.shipping_cost} shipping"

    @strawberry.federation.field(requires=["weight price"])
    def insurance(self) -> int:
        return self.price // 100 + self.weight // 1000

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, **external: Any) -> QuotedProduct:
        return cls(
            id=id,
            weight=external.get("weight", 0),
            price=external.get("price", 0),
            shipping_cost=external.get("shippingCost", 0),
        )


@strawberry.type(name="Query")
class QuotesQuery:
    @strawberry.field
    def featured(self) -> QuotedProduct:
        return QuotedProduct(id=strawberry.ID("a2"))


quotes_schema = strawberry.federation.Schema(query=QuotesQuery, federation_version="2.9")

SUBGRAPHS = {
    "products": products_schema,
    "pricing": pricing_schema,
    "shipping": shipping_schema,
    "quotes": quotes_schema,
}


CASES = [
    Case(
        "requires-of-requires",
        '{ product(id: "a1") { name deliveryQuote } }',
        {"data": {"product": {"name": "Kettle", "deliveryQuote": "3510 incl. 10 shipping"}}},
    ),
    Case(
        "requires-of-requires-over-list",
        "{ topProducts { id deliveryQuote } }",
        {
            "data": {
                "topProducts": [
                    {"id": "a1", "deliveryQuote": "3510 incl. 10 shipping"},
                    {"id": "a2", "deliveryQuote": "5014 incl. 14 shipping"},
                    {"id": "a3", "deliveryQuote": "304 incl. 4 shipping"},
                ]
            }
        },
    ),
    Case(
        "requires-fields-from-two-subgraphs",
        "{ topProducts { name insurance } }",
        {
            "data": {
                "topProducts": [
                    {"name": "Kettle", "insurance": 36},
                    {"name": "Toaster", "insurance": 52},
                    {"name": "Spoon", "insurance": 3},
                ]
            }
        },
    ),
    Case(
        "requires-chain-from-requiring-subgraph-root",
        "{ featured { deliveryQuote insurance name } }",
        {
            "data": {
                "featured": {
                    "deliveryQuote": "5014 incl. 14 shipping",
                    "insurance": 52,
                    "name": "Toaster",
                }
            }
        },
    ),
    Case(
        "requires-chain-with-intermediate-fields-selected",
        '{ product(id: "a3") { shippingCost deliveryQuote price weight } }',
        {
            "data": {
                "product": {
                    "shippingCost": 4,
                    "deliveryQuote": "304 incl. 4 shipping",
                    "price": 300,
                    "weight": 50,
                }
            }
        },
    ),
    Case(
        "requires-chain-on-null-entity",
        '{ product(id: "zz") { deliveryQuote } }',
        {"data": {"product": None}},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_requires_chain(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
