"""The products subgraph: the nine products, entity `Product @key(fields: "upc")`."""

from __future__ import annotations

from typing import Any

import strawberry

from bench.subgraphs.federation import SubgraphSchema


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: str
    name: str | None
    price: int | None
    weight: int | None

    @classmethod
    def resolve_reference(cls, upc: object = None, **_representation: Any) -> Product | None:
        return PRODUCTS_BY_UPC.get(upc) if isinstance(upc, str) else None


PRODUCTS: list[Product] = [
    Product(upc=upc, name=name, price=price, weight=weight)
    for upc, name, price, weight in (
        ("1", "Table", 899, 100),
        ("2", "Couch", 1299, 1000),
        ("3", "Glass", 15, 20),
        ("4", "Chair", 499, 100),
        ("5", "TV", 1299, 1000),
        ("6", "Lamp", 6999, 300),
        ("7", "Grill", 3999, 2000),
        ("8", "Fridge", 100000, 6000),
        ("9", "Sofa", 9999, 800),
    )
]
PRODUCTS_BY_UPC: dict[str, Product] = {product.upc: product for product in PRODUCTS}


@strawberry.type
class Query:
    @strawberry.field
    def top_products(self, first: int | None = 5) -> list[Product | None] | None:
        # An explicit null means the default too; a negative count drops from the end,
        # exactly as the reference's `Array.prototype.slice(0, first)` does.
        return PRODUCTS[: 5 if first is None else first]  # type: ignore[return-value]


schema = SubgraphSchema(query=Query)
