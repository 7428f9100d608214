"""Shareable value types whose fields are spread over subgraphs: one selection, several
fetches, merged into one object.

`Product` here has no key. Three subgraphs share the root field `product` and each knows
some of its fields; a query for all of them must fetch `product` from each subgraph with the
fields that subgraph has and merge the answers. Below an entity the same happens through
the entity's key: `Book.details` is shareable, `pages` lives in `library`, `isbn` in `shop`.
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --- names ----------------------------------------------------------------------------------


@strawberry.federation.type(name="Product", shareable=True)
class NamesProduct:
    id: strawberry.ID
    name: str


@strawberry.federation.type(name="Query")
class NamesQuery:
    @strawberry.federation.field(shareable=True)
    def product(self) -> NamesProduct:
        return NamesProduct(id=strawberry.ID("p1"), name="Kettle")


names = strawberry.federation.Schema(query=NamesQuery, federation_version="2.3")

# --- prices ---------------------------------------------------------------------------------


@strawberry.federation.type(name="Product", shareable=True)
class PricesProduct:
    id: strawberry.ID
    price: int


@strawberry.federation.type(name="Query")
class PricesQuery:
    @strawberry.federation.field(shareable=True)
    def product(self) -> PricesProduct:
        return PricesProduct(id=strawberry.ID("p1"), price=2999)


prices = strawberry.federation.Schema(query=PricesQuery, federation_version="2.3")

# --- library: Book entity with the shareable value type Details -----------------------------


@strawberry.federation.type(name="Details", shareable=True)
class LibraryDetails:
    pages: int


@strawberry.federation.type(name="Book", keys=["id"])
class LibraryBook:
    id: strawberry.ID
    title: str
    details: LibraryDetails = strawberry.federation.field(shareable=True)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> LibraryBook:
        return LibraryBook(id=id, title="Dune", details=LibraryDetails(pages=412))


@strawberry.federation.type(name="Query")
class LibraryQuery:
    @strawberry.field
    def book(self) -> LibraryBook:
        return LibraryBook.resolve_reference(strawberry.ID("b1"))


library = strawberry.federation.Schema(
    query=LibraryQuery, types=[LibraryBook], federation_version="2.3"
)

# --- shop -----------------------------------------------------------------------------------


@strawberry.federation.type(name="Details", shareable=True)
class ShopDetails:
    isbn: str


@strawberry.federation.type(name="Book", keys=["id"])
class ShopBook:
    id: strawberry.ID
    details: ShopDetails = strawberry.federation.field(shareable=True)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ShopBook:
        return ShopBook(id=id, details=ShopDetails(isbn=f"978-{id}"))


@strawberry.federation.type(name="Query")
class ShopQuery:
    @strawberry.field
    def shop_name(self) -> str:
        return "Corner books"


shop = strawberry.federation.Schema(query=ShopQuery, types=[ShopBook], federation_version="2.3")

SUBGRAPHS = {"names": names, "prices": prices, "library": library, "shop": shop}


CASES = [
    Case(
        "shared-root-field-fields-from-two-subgraphs",
        "{ product { id name price } }",
        {"data": {"product": {"id": "p1", "name": "Kettle", "price": 2999}}},
    ),
    Case(
        "shared-root-field-one-subgraph-suffices",
        "{ product { id price } }",
        {"data": {"product": {"id": "p1", "price": 2999}}},
    ),
    Case(
        "shared-root-field-aliased-and-with-typename",
        "{ p: product { __typename cost: price label: name } }",
        {"data": {"p": {"__typename": "Product", "cost": 2999, "label": "Kettle"}}},
    ),
    Case(
        "shareable-value-type-under-an-entity-split-by-key",
        "{ book { title details { pages isbn } } }",
        {"data": {"book": {"title": "Dune", "details": {"pages": 412, "isbn": "978-b1"}}}},
    ),
    Case(
        "shareable-value-type-under-an-entity-only-the-other-subgraph",
        "{ book { details { isbn } } }",
        {"data": {"book": {"details": {"isbn": "978-b1"}}}},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_shareable_value_split(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
