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

# Composed by @theguild/federation-composition from the subgraphs above.
SUPERGRAPH = r'''schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) {
  query: Query
}

directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__field(
  graph: join__Graph
  requires: join__FieldSet
  provides: join__FieldSet
  type: String
  external: Boolean
  override: String
  usedOverridden: Boolean
) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

directive @join__type(
  graph: join__Graph!
  key: join__FieldSet
  extension: Boolean! = false
  resolvable: Boolean! = true
  isInterfaceObject: Boolean! = false
) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

scalar join__FieldSet

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar link__Import

enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY
  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}

enum join__Graph {
  LIBRARY @join__graph(name: "library", url: "http://127.0.0.1:4200/library")
  NAMES @join__graph(name: "names", url: "http://127.0.0.1:4200/names")
  PRICES @join__graph(name: "prices", url: "http://127.0.0.1:4200/prices")
  SHOP @join__graph(name: "shop", url: "http://127.0.0.1:4200/shop")
}

type Book @join__type(graph: LIBRARY, key: "id") @join__type(graph: SHOP, key: "id") {
  id: ID!
  title: String! @join__field(graph: LIBRARY)
  details: Details!
}

type Details @join__type(graph: LIBRARY) @join__type(graph: SHOP) {
  pages: Int! @join__field(graph: LIBRARY)
  isbn: String! @join__field(graph: SHOP)
}

type Query @join__type(graph: LIBRARY) @join__type(graph: NAMES) @join__type(graph: PRICES) @join__type(graph: SHOP) {
  book: Book! @join__field(graph: LIBRARY)
  product: Product! @join__field(graph: NAMES) @join__field(graph: PRICES)
  shopName: String! @join__field(graph: SHOP)
}

type Product @join__type(graph: NAMES) @join__type(graph: PRICES) {
  id: ID!
  name: String! @join__field(graph: NAMES)
  price: Int! @join__field(graph: PRICES)
}'''

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
    gateway = make_gateway(SUPERGRAPH, SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
