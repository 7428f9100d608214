"""Two Strawberry federation subgraphs pinned to the federation version our subgraphs use.

`products` owns Product (key `upc`, a shareable `name`, `price`, `weight`); `reviews` extends
it with `shippingEstimate` (@requires price and weight), `reviews`, and serves Review whose
`product` @provides the product's `name`. Used by the composition and `compose` CLI tests.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.asgi import GraphQL

FEDERATION_VERSION = "2.9"

_PRODUCTS = {
    "1": {"name": "Table", "price": 899, "weight": 100},
    "2": {"name": "Couch", "price": 1299, "weight": 1000},
    "3": {"name": "Chair", "price": 54, "weight": 50},
}
_REVIEWS = [
    {"id": "r1", "upc": "1", "body": "Sturdy."},
    {"id": "r2", "upc": "1", "body": "Wobbles a bit."},
    {"id": "r3", "upc": "3", "body": "Comfy."},
]


@strawberry.federation.type(keys=["upc"], name="Product")
class CatalogueProduct:
    upc: strawberry.ID
    name: str = strawberry.federation.field(shareable=True)
    price: int
    weight: int

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID) -> CatalogueProduct:
        return _catalogue_product(upc)


def _catalogue_product(upc: str) -> CatalogueProduct:
    row = _PRODUCTS[upc]
    return CatalogueProduct(upc=strawberry.ID(upc), **row)


@strawberry.type(name="Query")
class ProductsQuery:
    @strawberry.field
    def top_products(self, first: int = 5) -> list[CatalogueProduct]:
        return [_catalogue_product(upc) for upc in sorted(_PRODUCTS)[:first]]


@strawberry.federation.type(keys=["upc"], name="Product")
class ReviewedProduct:
    upc: strawberry.ID
    name: str = strawberry.federation.field(external=True)
    # External fields keep the owner's type (Int!); -1 marks "not in the representation".
    price: int = strawberry.federation.field(external=True, default=-1)
    weight: int = strawberry.federation.field(external=True, default=-1)

    @strawberry.federation.field(requires=["price weight"])
    def shipping_estimate(self) -> int | None:
        if self.price < 0 or self.weight < 0:
            return None
        return 0 if self.price > 1000 else self.weight // 2

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [_review(row) for row in _REVIEWS if row["upc"] == self.upc]

    @classmethod
    def resolve_reference(cls, upc: strawberry.ID, **data: Any) -> ReviewedProduct:
        return ReviewedProduct(
            upc=upc, name="", price=data.get("price", -1), weight=data.get("weight", -1)
        )


@strawberry.type
class Review:
    id: strawberry.ID
    body: str
    upc: strawberry.Private[str]

    @strawberry.federation.field(provides=["name"])
    def product(self) -> ReviewedProduct:
        # The reviews store keeps its own copy of each product's name (lower case, so tests
        # can tell that the name came from here, through @provides).
        name = _PRODUCTS[self.upc]["name"].lower()
        return ReviewedProduct(upc=strawberry.ID(self.upc), name=name)


def _review(row: dict[str, str]) -> Review:
    return Review(id=strawberry.ID(row["id"]), body=row["body"], upc=row["upc"])


@strawberry.type(name="Query")
class ReviewsQuery:
    @strawberry.field
    def latest_reviews(self) -> list[Review]:
        return [_review(row) for row in reversed(_REVIEWS)]


def products_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(query=ProductsQuery, federation_version=FEDERATION_VERSION)


def reviews_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(
        query=ReviewsQuery, types=[ReviewedProduct], federation_version=FEDERATION_VERSION
    )


def schemas() -> dict[str, strawberry.federation.Schema]:
    return {"products": products_schema(), "reviews": reviews_schema()}


def service_sdl(schema: strawberry.federation.Schema) -> str:
    """The SDL the subgraph serves at `_service { sdl }`, as composition fetches it."""
    result = schema.execute_sync("{ _service { sdl } }")
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data["_service"]["sdl"]


def apps() -> dict[str, GraphQL]:
    return {name: GraphQL(schema) for name, schema in schemas().items()}
