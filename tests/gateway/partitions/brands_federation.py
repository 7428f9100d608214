"""A brand-partitioned federation for tests: the `catalogue` subgraph (one Strawberry schema,
one instance per brand with its own products) and a central `looks` subgraph whose looks
reference products of several brands."""

from typing import Any

import strawberry
from strawberry.asgi import GraphQL
from strawberry.federation.schema_directives import Key

from gateway.composition import SubgraphInput, compose
from gateway.partitions import PartitionedTransport, RoutingRules
from gateway.transport.asgi import AsgiTransport
from gateway.transport.base import SubgraphRequest, SubgraphTransport, TransportError

BRANDS = ("lumen", "aurora", "nova")
CATALOGUES: dict[str, list[tuple[str, str, float]]] = {
    "lumen": [("lumen:SKU-1", "Lumen Serum", 30.0), ("lumen:SKU-2", "Lumen Mask", 12.0)],
    "aurora": [("aurora:SKU-1", "Aurora Tea", 8.0)],
    "nova": [("nova:SKU-1", "Nova Lipstick", 20.0), ("nova:SKU-2", "Nova Gloss", 15.0)],
}


def catalogue_schema(brand: str) -> strawberry.federation.Schema:
    rows = {sku: (name, price) for sku, name, price in CATALOGUES[brand]}

    @strawberry.federation.type(keys=["id"])
    class Product:
        id: strawberry.ID
        name: str
        price: float
        brand: str

        @classmethod
        def resolve_reference(cls, id: strawberry.ID) -> "Product | None":
            if id == f"{brand}:SKU-BOOM":
                raise ValueError(f"{brand} cannot load {id}")
            if id not in rows:
                return None
            return cls.of(id)

        @classmethod
        def of(cls, sku: str) -> "Product":
            name, price = rows[sku]
            return cls(id=strawberry.ID(sku), name=name, price=price, brand=brand)

    @strawberry.type
    class Query:
        @strawberry.field
        def products(self) -> list[Product]:
            return [Product.of(sku) for sku in rows]

        @strawberry.field
        def featured(self, brand: str) -> Product:
            assert brand == brand_id, f"{brand_id} partition got brand {brand}"
            return Product.of(next(iter(rows)))

        @strawberry.field
        def catalogue_brand(self) -> str:
            return brand

    brand_id = brand
    return strawberry.federation.Schema(query=Query, types=[Product])


@strawberry.federation.type(name="Product", directives=[Key(fields="id", resolvable=False)])
class ProductRef:
    id: strawberry.ID


@strawberry.type
class Look:
    title: str
    product: ProductRef
    alternative: ProductRef | None


LOOKS = [
    ("Spring", "nova:SKU-1", "aurora:SKU-1"),
    ("Glow", "lumen:SKU-1", None),
    ("Calm", "aurora:SKU-1", "lumen:SKU-2"),
    ("Night", "nova:SKU-2", "nova:SKU-1"),
    ("Dawn", "lumen:SKU-2", None),
]


@strawberry.type
class LooksQuery:
    @strawberry.field
    def looks(self) -> list[Look]:
        return [_look(*row) for row in LOOKS]

    @strawberry.field
    def odd_looks(self) -> list[Look]:
        """Looks whose products name an unknown brand, no brand, or a failing product."""
        return [
            _look("Ok", "nova:SKU-1", "aurora:SKU-1"),
            _look("Stranger", "nova:SKU-1", "zeta:SKU-1"),
            _look("Nameless", "nova:SKU-1", "SKU-9"),
            _look("Boom", "nova:SKU-1", "lumen:SKU-BOOM"),
        ]


def _look(title: str, product: str, alternative: str | None) -> Look:
    return Look(
        title=title,
        product=ProductRef(id=strawberry.ID(product)),
        alternative=ProductRef(id=strawberry.ID(alternative)) if alternative else None,
    )


def looks_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(query=LooksQuery, types=[ProductRef])


def supergraph_sdl() -> str:
    """Composed from the catalogue SDL once (the same for every brand) plus `looks`."""
    result = compose(
        [
            SubgraphInput(
                "catalogue", "http://127.0.0.1:9/graphql", catalogue_schema("lumen").as_str()
            ),
            SubgraphInput("looks", "http://127.0.0.1:9/graphql", looks_schema().as_str()),
        ]
    )
    assert result.supergraph_sdl is not None, [str(e) for e in result.errors]
    return result.supergraph_sdl


class Recording:
    """Wraps a transport and records the requests it forwards."""

    def __init__(self, inner: SubgraphTransport) -> None:
        self.inner = inner
        self.requests: list[SubgraphRequest] = []

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        self.requests.append(request)
        return await self.inner.fetch(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class Down:
    """A partition that is not answering."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.requests: list[SubgraphRequest] = []

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        self.requests.append(request)
        raise TransportError(f"subgraph '{self.name}' is unreachable: connection refused")

    async def aclose(self) -> None:
        return None


def partitions(down: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        brand: Down(f"catalogue@{brand}")
        if brand in down
        else Recording(AsgiTransport(f"catalogue@{brand}", GraphQL(catalogue_schema(brand))))
        for brand in BRANDS
    }


def catalogue_transport(down: tuple[str, ...] = ()) -> PartitionedTransport:
    rules = RoutingRules("prefix", "id", frozenset({"products"}))
    return PartitionedTransport("catalogue", partitions(down), rules)


def looks_transport() -> AsgiTransport:
    return AsgiTransport("looks", GraphQL(looks_schema()))
