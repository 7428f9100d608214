"""A small outdoor shop split over three Strawberry federation subgraphs (shared by ops_ suites).

- catalog: products (entity, key `id`), categories, search union, filters, an @inaccessible
  field, type and enum value.
- inventory: stock and warehouses of products, and its own root fields.
- reviews: reviews and questions (interface `Feedback`) of products, and its own root fields.

Data is static, so every suite that uses these subgraphs can share them.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types.unset import UNSET

# --------------------------------------------------------------------------- catalog

PRODUCTS: dict[str, dict[str, object]] = {
    "p1": {"name": "Trail Shoe", "price": 12000, "category": "footwear", "code": "TS-01"},
    "p2": {"name": "Rain Jacket", "price": 9000, "category": "outerwear", "code": "RJ-02"},
    "p3": {"name": "Wool Socks", "price": 1500, "category": "footwear", "code": "WS-03"},
    "p4": {"name": "Camp Mug", "price": 800, "category": "kitchen", "code": "CM-04"},
    "p5": {"name": "Head Lamp", "price": 3500, "category": "gear", "code": "HL-05"},
}
CATEGORIES: dict[str, str] = {
    "footwear": "Footwear",
    "outerwear": "Outerwear",
    "kitchen": "Camp Kitchen",
    "gear": "Gear",
}


@strawberry.federation.enum
class Currency(Enum):
    USD = "USD"
    EUR = "EUR"
    GBP = strawberry.federation.enum_value("GBP", inaccessible=True)


@strawberry.type
class Category:
    slug: str
    title: str


@strawberry.federation.type(keys=["id"])
class Product:
    id: strawberry.ID

    @strawberry.field
    def name(self) -> str:
        return str(PRODUCTS[self.id]["name"])

    @strawberry.field
    def price(self, currency: Currency = Currency.USD) -> int:
        cents = int(PRODUCTS[self.id]["price"])  # type: ignore[call-overload]
        return cents * 9 // 10 if currency == Currency.EUR else cents

    @strawberry.field
    def category(self) -> Category:
        slug = str(PRODUCTS[self.id]["category"])
        return Category(slug=slug, title=CATEGORIES[slug])

    @strawberry.federation.field(inaccessible=True)
    def internal_code(self) -> str:
        return str(PRODUCTS[self.id]["code"])

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Product:
        return cls(id=id)


@strawberry.federation.type(inaccessible=True)
class AuditEntry:
    product_id: strawberry.ID
    note: str


SearchResult = Annotated[Product | Category, strawberry.union("SearchResult")]


@strawberry.input
class ProductFilter:
    name_contains: str | None = UNSET
    max_price: int | None = UNSET
    categories: list[str] | None = UNSET


def _describe(value: object) -> str:
    if value is UNSET:
        return "absent"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ",".join(_describe(v) for v in value) + "]"
    return str(value)


@strawberry.type(name="Query")
class CatalogQuery:
    @strawberry.field
    def top_products(self, first: int = 3) -> list[Product]:
        return [Product(id=strawberry.ID(pid)) for pid in list(PRODUCTS)[:first]]

    @strawberry.field
    def product(self, id: strawberry.ID) -> Product | None:
        return Product(id=id) if id in PRODUCTS else None

    @strawberry.field
    def products_by_ids(self, ids: list[strawberry.ID]) -> list[Product | None]:
        return [Product(id=pid) if pid in PRODUCTS else None for pid in ids]

    @strawberry.field
    def categories(self) -> list[Category]:
        return [Category(slug=slug, title=title) for slug, title in CATEGORIES.items()]

    @strawberry.field
    def search(self, term: str) -> list[SearchResult]:
        needle = term.lower()
        results: list[Product | Category] = [
            Category(slug=slug, title=title)
            for slug, title in CATEGORIES.items()
            if needle in title.lower()
        ]
        results += [
            Product(id=strawberry.ID(pid))
            for pid, row in PRODUCTS.items()
            if needle in str(row["name"]).lower()
        ]
        return results

    @strawberry.field
    def filter_products(self, filter: ProductFilter | None = None) -> list[Product]:
        found = []
        for pid, row in PRODUCTS.items():
            if filter is not None:
                if (
                    filter.name_contains
                    and filter.name_contains.lower() not in str(row["name"]).lower()
                ):
                    continue
                if (
                    filter.max_price is not None
                    and filter.max_price is not UNSET
                    and int(
                        row["price"]  # type: ignore[call-overload]
                    )
                    > filter.max_price
                ):
                    continue
                if filter.categories and row["category"] not in filter.categories:
                    continue
            found.append(Product(id=strawberry.ID(pid)))
        return found

    @strawberry.field(description="Says which filter fields arrived, and whether null or absent.")
    def describe_filter(self, filter: ProductFilter | None = UNSET) -> str:
        if filter is UNSET or filter is None:
            return f"filter={_describe(filter)}"
        return (
            f"nameContains={_describe(filter.name_contains)} "
            f"maxPrice={_describe(filter.max_price)} "
            f"categories={_describe(filter.categories)}"
        )

    @strawberry.field
    def echo_ids(self, ids: list[strawberry.ID] | None = None) -> str:
        return _describe(ids)

    @strawberry.federation.field(inaccessible=True)
    def audit(self) -> list[AuditEntry]:
        return [AuditEntry(product_id=strawberry.ID("p1"), note="recounted")]


catalog_schema = strawberry.federation.Schema(
    query=CatalogQuery,
    types=[Product, Category, AuditEntry],
    federation_version="2.3",
)

# --------------------------------------------------------------------------- inventory

STOCK: dict[str, int] = {"p1": 25, "p2": 0, "p3": 140, "p4": 7, "p5": 3}
WAREHOUSES: dict[str, str] = {"OSL": "Oslo", "LYS": "Lyon"}
PRODUCT_WAREHOUSE: dict[str, str | None] = {
    "p1": "OSL",
    "p2": "LYS",
    "p3": "OSL",
    "p4": "LYS",
    "p5": None,
}
WAREHOUSE_DAYS: dict[str | None, int] = {"OSL": 2, "LYS": 4, None: 10}


@strawberry.type
class Warehouse:
    code: str
    city: str


@strawberry.federation.type(keys=["id"], name="Product")
class StockedProduct:
    id: strawberry.ID

    @strawberry.field
    def stock(self) -> int:
        return STOCK[self.id]

    @strawberry.field
    def warehouse(self) -> Warehouse | None:
        code = PRODUCT_WAREHOUSE[self.id]
        return None if code is None else Warehouse(code=code, city=WAREHOUSES[code])

    @strawberry.field
    def shipping_days(self, zone: int = 1) -> int:
        return WAREHOUSE_DAYS[PRODUCT_WAREHOUSE[self.id]] + zone

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> StockedProduct:
        return cls(id=id)


@strawberry.type(name="Query")
class InventoryQuery:
    @strawberry.field
    def warehouses(self) -> list[Warehouse]:
        return [Warehouse(code=code, city=city) for code, city in WAREHOUSES.items()]

    @strawberry.field
    def low_stock(self, threshold: int = 10) -> list[StockedProduct]:
        return [StockedProduct(id=strawberry.ID(pid)) for pid, n in STOCK.items() if n < threshold]


inventory_schema = strawberry.federation.Schema(
    query=InventoryQuery,
    types=[StockedProduct],
    federation_version="2.3",
)

# --------------------------------------------------------------------------- reviews


@strawberry.federation.type(keys=["id"], name="Product")
class ReviewedProduct:
    id: strawberry.ID

    @strawberry.field
    def reviews(self, min_rating: int = 1) -> list[Review]:
        return [
            _review(rid)
            for rid, row in REVIEWS.items()
            if row["product"] == self.id and int(row["rating"]) >= min_rating  # type: ignore[call-overload]
        ]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ReviewedProduct:
        return cls(id=id)


@strawberry.interface
class Feedback:
    id: strawberry.ID
    body: str


@strawberry.type
class Review(Feedback):
    rating: int
    product: ReviewedProduct


@strawberry.type
class Question(Feedback):
    answered: bool
    product: ReviewedProduct


REVIEWS: dict[str, dict[str, object]] = {
    "r1": {"product": "p1", "rating": 5, "body": "Fits perfectly"},
    "r2": {"product": "p2", "rating": 2, "body": "Leaks at the seams"},
    "r3": {"product": "p1", "rating": 4, "body": "Good grip"},
    "r4": {"product": "p3", "rating": 5, "body": "Warm and soft"},
}


def _review(rid: str) -> Review:
    row = REVIEWS[rid]
    return Review(
        id=strawberry.ID(rid),
        body=str(row["body"]),
        rating=int(row["rating"]),  # type: ignore[call-overload]
        product=ReviewedProduct(id=strawberry.ID(str(row["product"]))),
    )


@strawberry.type(name="Query")
class ReviewsQuery:
    @strawberry.field
    def latest_reviews(self, limit: int = 2) -> list[Review]:
        return [_review(rid) for rid in ["r4", "r3", "r2", "r1"][:limit]]

    @strawberry.field
    def feed(self) -> list[Feedback]:
        question = Question(
            id=strawberry.ID("q1"),
            body="Is it packable?",
            answered=True,
            product=ReviewedProduct(id=strawberry.ID("p2")),
        )
        return [_review("r4"), question, _review("r2")]


reviews_schema = strawberry.federation.Schema(
    query=ReviewsQuery,
    types=[ReviewedProduct, Review, Question],
    federation_version="2.3",
)


SUBGRAPHS = {"catalog": catalog_schema, "inventory": inventory_schema, "reviews": reviews_schema}
