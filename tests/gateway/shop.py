"""A three-subgraph shop for unit tests: Strawberry subgraphs, their supergraph, and a
transport that records what the gateway sends.

products  owns Product (upc, name, weight) and Query.topProducts / product / flaky
reviews   owns Review and adds Product.reviews; Query.latestReviews
inventory adds Product.inStock, shippingEstimate (@requires weight) and stockCheck (fails
          for "p2"); Query.warehouse
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.asgi import GraphQL

from gateway.transport.asgi import AsgiTransport
from gateway.transport.base import SubgraphRequest
from tests.gateway.sdl import supergraph

PRODUCTS = {"p1": ("Lamp", 1200), "p2": ("Rug", 3000), "p3": ("Mug", 350)}
REVIEWS = [("r1", "p1", "Bright"), ("r2", "p1", "Warm"), ("r3", "p2", "Soft"), ("r4", "p1", "Nice")]

# --- products ---------------------------------------------------------------------------


@strawberry.federation.type(name="Product", keys=["upc"])
class CatalogProduct:
    upc: str
    name: str | None
    weight: int | None

    @classmethod
    def resolve_reference(cls, upc: str) -> CatalogProduct | None:
        return _product(upc)


def _product(upc: str) -> CatalogProduct | None:
    if upc not in PRODUCTS:
        return None
    name, weight = PRODUCTS[upc]
    return CatalogProduct(upc=upc, name=name, weight=weight)


@strawberry.type(name="Query")
class ProductsQuery:
    @strawberry.field
    def top_products(self, first: int = 5) -> list[CatalogProduct]:
        return [p for p in (_product(upc) for upc in list(PRODUCTS)[:first]) if p]

    @strawberry.field
    def product(self, upc: str) -> CatalogProduct | None:
        return _product(upc)

    @strawberry.field
    def flaky(self) -> str | None:
        raise ValueError("flaky is down")


products_schema = strawberry.federation.Schema(query=ProductsQuery, federation_version="2.3")

# --- reviews ----------------------------------------------------------------------------


@strawberry.federation.type(name="Product", keys=["upc"])
class ReviewedProduct:
    upc: str

    @strawberry.field
    def reviews(self) -> list[Review]:
        return [_review(r) for r in REVIEWS if r[1] == self.upc]

    @classmethod
    def resolve_reference(cls, upc: str) -> ReviewedProduct:
        return cls(upc=upc)


@strawberry.type
class Review:
    id: strawberry.ID
    body: str
    product: ReviewedProduct


def _review(row: tuple[str, str, str]) -> Review:
    rid, upc, body = row
    return Review(id=strawberry.ID(rid), body=body, product=ReviewedProduct(upc=upc))


@strawberry.type(name="Query")
class ReviewsQuery:
    @strawberry.field
    def latest_reviews(self) -> list[Review]:
        return [_review(r) for r in REVIEWS]


reviews_schema = strawberry.federation.Schema(query=ReviewsQuery, federation_version="2.3")

# --- inventory --------------------------------------------------------------------------


@strawberry.federation.type(name="Product", keys=["upc"])
class StockedProduct:
    upc: str
    weight: int | None = strawberry.federation.field(external=True, default=None)

    @strawberry.field
    def in_stock(self) -> bool:
        return self.upc != "p3"

    @strawberry.federation.field(requires=["weight"])
    def shipping_estimate(self) -> int | None:
        return None if self.weight is None else self.weight // 100

    @strawberry.field
    def stock_check(self) -> str | None:
        if self.upc == "p2":
            raise ValueError(f"stock system down for {self.upc}")
        return "ok"

    @classmethod
    def resolve_reference(cls, upc: str, weight: int | None = None) -> StockedProduct:
        return cls(upc=upc, weight=weight)


@strawberry.type(name="Query")
class InventoryQuery:
    @strawberry.field
    def warehouse(self) -> str:
        return "north"


inventory_schema = strawberry.federation.Schema(
    query=InventoryQuery, types=[StockedProduct], federation_version="2.3"
)

SCHEMAS = {"products": products_schema, "reviews": reviews_schema, "inventory": inventory_schema}

TYPES = """
type Query
  @join__type(graph: PRODUCTS)
  @join__type(graph: REVIEWS)
  @join__type(graph: INVENTORY) {
  topProducts(first: Int! = 5): [Product!]! @join__field(graph: PRODUCTS)
  product(upc: String!): Product @join__field(graph: PRODUCTS)
  flaky: String @join__field(graph: PRODUCTS)
  latestReviews: [Review!]! @join__field(graph: REVIEWS)
  warehouse: String! @join__field(graph: INVENTORY)
}

type Product
  @join__type(graph: PRODUCTS, key: "upc")
  @join__type(graph: REVIEWS, key: "upc")
  @join__type(graph: INVENTORY, key: "upc") {
  upc: String!
  name: String @join__field(graph: PRODUCTS)
  weight: Int @join__field(graph: PRODUCTS) @join__field(graph: INVENTORY, external: true)
  reviews: [Review!]! @join__field(graph: REVIEWS)
  inStock: Boolean! @join__field(graph: INVENTORY)
  shippingEstimate: Int @join__field(graph: INVENTORY, requires: "weight")
  stockCheck: String @join__field(graph: INVENTORY)
}

type Review @join__type(graph: REVIEWS) {
  id: ID!
  body: String!
  product: Product!
}
"""

SUPERGRAPH = supergraph(["products", "reviews", "inventory"], TYPES)


class RecordingTransport:
    """A subgraph transport that records every request, then answers it by delegating to
    `inner`, calling `respond`, or raising `fail`."""

    def __init__(
        self,
        inner: Any = None,
        *,
        respond: Callable[[SubgraphRequest], dict[str, Any]] | None = None,
        fail: Exception | None = None,
    ) -> None:
        self.inner = inner
        self.respond = respond
        self.fail = fail
        self.requests: list[SubgraphRequest] = []
        self.closed = False

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        self.requests.append(request)
        if self.fail is not None:
            raise self.fail
        if self.respond is not None:
            return self.respond(request)
        return await self.inner.fetch(request)

    async def aclose(self) -> None:
        self.closed = True


def recorders(**overrides: RecordingTransport) -> dict[str, RecordingTransport]:
    """Recording transports in front of the in-process shop subgraphs."""
    out = {
        name: RecordingTransport(AsgiTransport(name, GraphQL(schema)))
        for name, schema in SCHEMAS.items()
    }
    out.update(overrides)
    return out


def representation_variables(request: SubgraphRequest) -> set[str]:
    return set(re.findall(r"\$(\w+): \[_Any!\]!", request.query))


def representations(request: SubgraphRequest) -> list[dict[str, Any]]:
    """Every representation a request sends (across its `_entities` fields)."""
    variables = request.variables or {}
    out: list[dict[str, Any]] = []
    for name in sorted(representation_variables(request)):
        out.extend(variables[name])
    return out


def client_variables(request: SubgraphRequest) -> dict[str, Any]:
    """The request's variables other than representation lists."""
    skip = representation_variables(request)
    return {k: v for k, v in (request.variables or {}).items() if k not in skip}
