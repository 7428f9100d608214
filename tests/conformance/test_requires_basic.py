"""@requires: computed fields whose inputs come from another subgraph.

Federation v2 `@requires(fields: ...)` on a field of an entity tells the router to fetch the
listed `@external` fields from the subgraphs that resolve them and to pass them in the
entity representation. Covered here: one required field, several, a nested selection
(`dimensions { width height }`), a required field with an argument, entities reached through
lists (from either subgraph's root), aliases, and that required-only data never leaks into the
client's response.
"""

from __future__ import annotations

from typing import Any

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --- catalog: owns products and their physical data -------------------------------------

_PRODUCTS: dict[str, dict[str, Any]] = {
    "p1": {"name": "Lamp", "weight": 1200, "fragile": True, "dims": (15, 45, 15), "usd": 4000},
    "p2": {"name": "Rug", "weight": 3000, "fragile": False, "dims": (120, 180, 2), "usd": 9000},
    "p3": {"name": "Mug", "weight": 350, "fragile": True, "dims": (9, 10, 9), "usd": 1200},
}


@strawberry.federation.type(shareable=True)
class Dimensions:
    width: int
    height: int
    depth: int


@strawberry.federation.type(name="Product", keys=["id"])
class CatalogProduct:
    id: strawberry.ID
    name: str
    weight: int
    fragile: bool
    dimensions: Dimensions

    @strawberry.field
    def price(self, currency: str = "USD") -> int:
        usd = _PRODUCTS[str(self.id)]["usd"]
        return usd * 9 // 10 if currency == "EUR" else usd

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> CatalogProduct:
        return _catalog_product(str(id))


def _catalog_product(pid: str) -> CatalogProduct:
    row = _PRODUCTS[pid]
    width, height, depth = row["dims"]
    return CatalogProduct(
        id=strawberry.ID(pid),
        name=row["name"],
        weight=row["weight"],
        fragile=row["fragile"],
        dimensions=Dimensions(width=width, height=height, depth=depth),
    )


@strawberry.type
class Category:
    name: str
    products: list[CatalogProduct]


@strawberry.type(name="Query")
class CatalogQuery:
    @strawberry.field
    def products(self) -> list[CatalogProduct]:
        return [_catalog_product(pid) for pid in _PRODUCTS]

    @strawberry.field
    def product(self, id: strawberry.ID) -> CatalogProduct | None:
        return _catalog_product(str(id)) if str(id) in _PRODUCTS else None

    @strawberry.field
    def bundle(self) -> list[CatalogProduct]:
        return [_catalog_product("p3"), _catalog_product("p1"), _catalog_product("p3")]

    @strawberry.field
    def categories(self) -> list[Category]:
        return [
            Category(name="home", products=[_catalog_product("p1"), _catalog_product("p2")]),
            Category(name="kitchen", products=[_catalog_product("p3")]),
        ]


catalog_schema = strawberry.federation.Schema(query=CatalogQuery, federation_version="2.9")


# --- shipping: computes costs from catalog data --------------------------------------------


@strawberry.federation.type(name="Product", keys=["id"])
class ShippingProduct:
    id: strawberry.ID
    weight: int = strawberry.federation.field(external=True, default=0)
    fragile: bool = strawberry.federation.field(external=True, default=False)
    dimensions: Dimensions = strawberry.federation.field(
        external=True, default_factory=lambda: Dimensions(width=0, height=0, depth=0)
    )
    eur_price: strawberry.Private[int] = 0

    @strawberry.federation.field(external=True)
    def price(self, currency: str = "USD") -> int:
        raise NotImplementedError("external: resolved by catalog")

    @strawberry.federation.field(requires=["weight"])
    def shipping_estimate(self) -> int:
        return 5 + self.weight // 100

    @strawberry.federation.field(requires=["weight fragile"])
    def handling_fee(self) -> int:
        return self.weight // 200 + (10 if self.fragile else 0)

    @strawberry.federation.field(requires=["dimensions { width height }"])
    def packaging(self) -> str:
        kind = "tube" if self.dimensions.height >= 3 * self.dimensions.width else "box"
        return f"{kind}-{self.dimensions.width}x{self.dimensions.height}"

    @strawberry.federation.field(requires=['price(currency: "EUR")'])
    def customs_duty(self) -> int:
        return self.eur_price // 10

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, **external: Any) -> ShippingProduct:
        product = cls(id=id)
        if "weight" in external:
            product.weight = external["weight"]
        if "fragile" in external:
            product.fragile = external["fragile"]
        if "dimensions" in external:
            dims = external["dimensions"]
            product.dimensions = Dimensions(
                width=dims["width"], height=dims["height"], depth=dims.get("depth", 0)
            )
        if "price" in external:
            product.eur_price = external["price"]
        return product


@strawberry.type(name="Query")
class ShippingQuery:
    @strawberry.field
    def cheapest_to_ship(self) -> list[ShippingProduct]:
        return [ShippingProduct(id=strawberry.ID("p3")), ShippingProduct(id=strawberry.ID("p1"))]


shipping_schema = strawberry.federation.Schema(query=ShippingQuery, federation_version="2.9")

SUBGRAPHS = {"catalog": catalog_schema, "shipping": shipping_schema}


CASES = [
    Case(
        "requires-single-field",
        '{ product(id: "p1") { name shippingEstimate } }',
        {"data": {"product": {"name": "Lamp", "shippingEstimate": 17}}},
    ),
    Case(
        "requires-field-not-leaked",
        '{ product(id: "p2") { id shippingEstimate } }',
        {"data": {"product": {"id": "p2", "shippingEstimate": 35}}},
    ),
    Case(
        "requires-field-also-selected-by-client",
        '{ product(id: "p3") { shippingEstimate weight name } }',
        {"data": {"product": {"shippingEstimate": 8, "weight": 350, "name": "Mug"}}},
    ),
    Case(
        "requires-several-fields",
        "{ products { id handlingFee } }",
        {
            "data": {
                "products": [
                    {"id": "p1", "handlingFee": 16},
                    {"id": "p2", "handlingFee": 15},
                    {"id": "p3", "handlingFee": 11},
                ]
            }
        },
    ),
    Case(
        "requires-nested-selection",
        "{ products { name packaging } }",
        {
            "data": {
                "products": [
                    {"name": "Lamp", "packaging": "tube-15x45"},
                    {"name": "Rug", "packaging": "box-120x180"},
                    {"name": "Mug", "packaging": "box-9x10"},
                ]
            }
        },
    ),
    Case(
        "requires-nested-selection-with-client-subselection",
        '{ product(id: "p1") { packaging dimensions { depth } } }',
        {"data": {"product": {"packaging": "tube-15x45", "dimensions": {"depth": 15}}}},
    ),
    # The client's own `price` (default USD) and the required `price(currency: "EUR")` share a
    # response name: the representation must still carry the EUR value (Apollo's JS gateway
    # 2.x merges the two selections and sends the USD price here; we follow the spec).
    Case(
        "requires-field-with-argument",
        '{ product(id: "p2") { price customsDuty } }',
        {"data": {"product": {"price": 9000, "customsDuty": 810}}},
    ),
    Case(
        "requires-through-nested-lists",
        "{ categories { name products { name shippingEstimate handlingFee } } }",
        {
            "data": {
                "categories": [
                    {
                        "name": "home",
                        "products": [
                            {"name": "Lamp", "shippingEstimate": 17, "handlingFee": 16},
                            {"name": "Rug", "shippingEstimate": 35, "handlingFee": 15},
                        ],
                    },
                    {
                        "name": "kitchen",
                        "products": [{"name": "Mug", "shippingEstimate": 8, "handlingFee": 11}],
                    },
                ]
            }
        },
    ),
    Case(
        "requires-on-list-from-requiring-subgraph-root",
        "{ cheapestToShip { id shippingEstimate packaging name } }",
        {
            "data": {
                "cheapestToShip": [
                    {"id": "p3", "shippingEstimate": 8, "packaging": "box-9x10", "name": "Mug"},
                    {"id": "p1", "shippingEstimate": 17, "packaging": "tube-15x45", "name": "Lamp"},
                ]
            }
        },
    ),
    Case(
        "requires-field-with-argument-not-selected-by-client",
        '{ product(id: "p1") { name customsDuty } }',
        {"data": {"product": {"name": "Lamp", "customsDuty": 360}}},
    ),
    Case(
        "requires-on-repeated-entity-in-list",
        "{ bundle { id shippingEstimate packaging } }",
        {
            "data": {
                "bundle": [
                    {"id": "p3", "shippingEstimate": 8, "packaging": "box-9x10"},
                    {"id": "p1", "shippingEstimate": 17, "packaging": "tube-15x45"},
                    {"id": "p3", "shippingEstimate": 8, "packaging": "box-9x10"},
                ]
            }
        },
    ),
    Case(
        "requires-field-skipped-by-include",
        "query ($ship: Boolean!) { products { name shippingEstimate @include(if: $ship) } }",
        {"data": {"products": [{"name": "Lamp"}, {"name": "Rug"}, {"name": "Mug"}]}},
        variables={"ship": False},
    ),
    Case(
        "requires-field-included-by-include",
        "query ($ship: Boolean!) { products { name shippingEstimate @include(if: $ship) } }",
        {
            "data": {
                "products": [
                    {"name": "Lamp", "shippingEstimate": 17},
                    {"name": "Rug", "shippingEstimate": 35},
                    {"name": "Mug", "shippingEstimate": 8},
                ]
            }
        },
        variables={"ship": True},
    ),
    Case(
        "requires-all-at-once-with-aliases",
        '{ item: product(id: "p3") { ship: shippingEstimate fee: handlingFee packaging'
        " duty: customsDuty } }",
        {"data": {"item": {"ship": 8, "fee": 11, "packaging": "box-9x10", "duty": 108}}},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_requires_basic(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
