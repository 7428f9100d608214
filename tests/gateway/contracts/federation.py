"""Two small tagged Strawberry subgraphs for the contract serving tests, and their supergraph.

products: Product entities keyed by `sku`, a staff-only field, query and mutation; reviews:
extends Product with reviews (reached through the `sku` key even when a contract hides
`sku`), Review with a staff-only author email.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.asgi import GraphQL

from gateway.composition import SubgraphInput, compose
from gateway.contracts import ContractSpec
from gateway.transport.asgi import AsgiTransport

STAFF = ["staff"]
PUBLIC = ContractSpec("public", exclude_tags=frozenset({"staff"}))
PRODUCTS = {"lumen:1": ("Rose Serum", 12800, 3000), "lumen:2": ("Night Cream", 9900, 2100)}
REVIEWS = {"lumen:1": [("Lovely", "a@example.com")], "lumen:2": [("Rich", "b@example.com")]}


@strawberry.federation.type(keys=["sku"])
class Product:
    sku: strawberry.ID = strawberry.federation.field(tags=STAFF)
    name: str
    price_fen: int
    cost_fen: int = strawberry.federation.field(tags=STAFF)


def _product(sku: str) -> Product:
    name, price, cost = PRODUCTS[sku]
    return Product(sku=strawberry.ID(sku), name=name, price_fen=price, cost_fen=cost)


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def products(
        self,
        first: int = 10,
        include_hidden: Annotated[bool, strawberry.federation.argument(tags=STAFF)] = False,
    ) -> list[Product]:
        return [_product(sku) for sku in list(PRODUCTS)[:first]]

    @strawberry.federation.field(tags=STAFF)
    def audit_log(self) -> list[str]:
        return ["price changed"]


@strawberry.type
class ProductsMutation:
    @strawberry.federation.mutation(tags=STAFF)
    def set_price(self, sku: strawberry.ID, fen: int) -> Product:
        return _product(str(sku))

    @strawberry.mutation
    def like(self, sku: strawberry.ID) -> int:
        return 1


@strawberry.type
class Review:
    body: str
    author_email: str = strawberry.federation.field(tags=STAFF)


@strawberry.federation.type(keys=["sku"])
class ReviewedProduct:
    sku: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [Review(body=b, author_email=e) for b, e in REVIEWS.get(str(self.sku), [])]

    @classmethod
    def resolve_reference(cls, sku: strawberry.ID) -> ReviewedProduct:
        return cls(sku=sku)


ReviewedProduct.__strawberry_definition__.name = "Product"  # type: ignore[attr-defined]


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def review_count(self) -> int:
        return sum(len(v) for v in REVIEWS.values())


def schemas() -> dict[str, strawberry.federation.Schema]:
    return {
        "products": strawberry.federation.Schema(query=ProductsQuery, mutation=ProductsMutation),
        "reviews": strawberry.federation.Schema(query=ReviewsQuery, types=[ReviewedProduct]),
    }


def supergraph_sdl(extra_products_sdl: str = "") -> str:
    inputs = [
        SubgraphInput(name, f"http://127.0.0.1:9/{name}", schema.as_str())
        for name, schema in schemas().items()
    ]
    if extra_products_sdl:  # a third subgraph, to change the supergraph on reload
        inputs.append(SubgraphInput("extra", "http://127.0.0.1:9/extra", extra_products_sdl))
    result = compose(inputs)
    assert result.supergraph_sdl is not None, [str(e) for e in result.errors]
    return result.supergraph_sdl


def transports() -> dict[str, AsgiTransport]:
    return {name: AsgiTransport(name, GraphQL(schema)) for name, schema in schemas().items()}


def in_process_apps() -> dict[str, GraphQL]:
    """For `[gateway] in_process = "tests.gateway.contracts.federation:in_process_apps"`."""
    return {name: GraphQL(schema) for name, schema in schemas().items()}
