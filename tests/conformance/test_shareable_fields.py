"""@shareable: fields (and value types) that more than one subgraph resolves.

`Product.name` and the value type `Money` (`Product.price`) are @shareable between `catalog`
and `search`, and so is the root field `Query.featured`; both subgraphs return the same
data, as the spec requires of shareable fields, so the response must be the same whichever
subgraph the router picks. Covered here: shareable fields read from either root (with or
without a jump for a non-shared field), a shareable value-type object, a shareable root
field, the same entities reached from both subgraphs in one query, and `__typename`.
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# id -> (name, price cents, currency)
_PRODUCTS: dict[str, tuple[str, int, str]] = {
    "k1": ("Kettle", 3900, "EUR"),
    "k2": ("Toaster", 5400, "EUR"),
    "k3": ("Teapot", 2500, "GBP"),
}

# --------------------------------------------------------------------------- catalog


@strawberry.federation.type(name="Money", shareable=True)
class CatalogMoney:
    amount: int
    currency: str


@strawberry.federation.type(name="Product", keys=["id"])
class CatalogProduct:
    id: strawberry.ID
    name: str = strawberry.federation.field(shareable=True)
    price: CatalogMoney = strawberry.federation.field(shareable=True)
    stock: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> CatalogProduct | None:
        return _catalog_product(id)


_STOCK = {"k1": 14, "k2": 0, "k3": 6}


def _catalog_product(pid: str) -> CatalogProduct | None:
    if pid not in _PRODUCTS:
        return None
    name, cents, currency = _PRODUCTS[pid]
    return CatalogProduct(
        id=strawberry.ID(pid),
        name=name,
        price=CatalogMoney(amount=cents, currency=currency),
        stock=_STOCK[pid],
    )


@strawberry.type(name="Query")
class CatalogQuery:
    @strawberry.field
    def products(self) -> list[CatalogProduct]:
        return [p for p in map(_catalog_product, _PRODUCTS) if p is not None]

    @strawberry.federation.field(shareable=True)
    def featured(self) -> CatalogProduct | None:
        return _catalog_product("k3")


catalog_schema = strawberry.federation.Schema(
    query=CatalogQuery, types=[CatalogProduct], federation_version="2.3"
)

# --------------------------------------------------------------------------- search

_TAGS: dict[str, list[str]] = {"k1": ["kitchen", "boil"], "k2": ["kitchen"], "k3": ["tea"]}


@strawberry.federation.type(name="Money", shareable=True)
class SearchMoney:
    amount: int
    currency: str


@strawberry.federation.type(name="Product", keys=["id"])
class SearchProduct:
    id: strawberry.ID
    name: str = strawberry.federation.field(shareable=True)
    price: SearchMoney = strawberry.federation.field(shareable=True)
    tags: list[str]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> SearchProduct | None:
        return _search_product(id)


def _search_product(pid: str) -> SearchProduct | None:
    if pid not in _PRODUCTS:
        return None
    name, cents, currency = _PRODUCTS[pid]
    return SearchProduct(
        id=strawberry.ID(pid),
        name=name,
        price=SearchMoney(amount=cents, currency=currency),
        tags=_TAGS[pid],
    )


@strawberry.type(name="Query")
class SearchQuery:
    @strawberry.field
    def search(self, tag: str) -> list[SearchProduct]:
        found = [_search_product(pid) for pid, tags in _TAGS.items() if tag in tags]
        return [p for p in found if p is not None]

    @strawberry.federation.field(shareable=True)
    def featured(self) -> SearchProduct | None:
        return _search_product("k3")


search_schema = strawberry.federation.Schema(
    query=SearchQuery, types=[SearchProduct], federation_version="2.3"
)

SUBGRAPHS = {"catalog": catalog_schema, "search": search_schema}


CASES = [
    Case(
        "shareable-field-from-first-subgraph-root",
        "{ products { id name } }",
        {
            "data": {
                "products": [
                    {"id": "k1", "name": "Kettle"},
                    {"id": "k2", "name": "Toaster"},
                    {"id": "k3", "name": "Teapot"},
                ]
            }
        },
    ),
    Case(
        "shareable-field-from-second-subgraph-root",
        '{ search(tag: "kitchen") { name price { amount currency } } }',
        {
            "data": {
                "search": [
                    {"name": "Kettle", "price": {"amount": 3900, "currency": "EUR"}},
                    {"name": "Toaster", "price": {"amount": 5400, "currency": "EUR"}},
                ]
            }
        },
    ),
    Case(
        "shareable-fields-next-to-fields-of-the-other-subgraph",
        "{ products { name tags price { currency } stock } }",
        {
            "data": {
                "products": [
                    {
                        "name": "Kettle",
                        "tags": ["kitchen", "boil"],
                        "price": {"currency": "EUR"},
                        "stock": 14,
                    },
                    {
                        "name": "Toaster",
                        "tags": ["kitchen"],
                        "price": {"currency": "EUR"},
                        "stock": 0,
                    },
                    {"name": "Teapot", "tags": ["tea"], "price": {"currency": "GBP"}, "stock": 6},
                ]
            }
        },
    ),
    Case(
        "shareable-value-type-with-jump",
        '{ search(tag: "tea") { tags stock price { amount } name } }',
        {
            "data": {
                "search": [
                    {"tags": ["tea"], "stock": 6, "price": {"amount": 2500}, "name": "Teapot"},
                ]
            }
        },
    ),
    Case(
        "shareable-root-field",
        "{ featured { __typename id name price { amount currency } } }",
        {
            "data": {
                "featured": {
                    "__typename": "Product",
                    "id": "k3",
                    "name": "Teapot",
                    "price": {"amount": 2500, "currency": "GBP"},
                }
            }
        },
    ),
    Case(
        "shareable-root-field-with-fields-of-both-subgraphs",
        "{ featured { stock tags } }",
        {"data": {"featured": {"stock": 6, "tags": ["tea"]}}},
    ),
    Case(
        "same-entities-through-both-subgraphs",
        '{ products { name stock } search(tag: "kitchen") { name stock } }',
        {
            "data": {
                "products": [
                    {"name": "Kettle", "stock": 14},
                    {"name": "Toaster", "stock": 0},
                    {"name": "Teapot", "stock": 6},
                ],
                "search": [
                    {"name": "Kettle", "stock": 14},
                    {"name": "Toaster", "stock": 0},
                ],
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_shareable_fields(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
