"""Enums and input types defined in several subgraphs (`@join__enumValue`, input intersection).

Composition merges an enum used only as output as the union of its values (each marked with
`@join__enumValue` for the graphs that define it), an enum used only as input as the
intersection, and an input object type as the intersection of its fields. So the API schema
has `Condition { NEW USED REFURBISHED }`, `SortOrder { ASC DESC }` (products' `RANDOM` is
dropped) and `PriceFilter { min max }` (products' `currency` is dropped); `StockQuery` is an
input only the stock subgraph defines. Covers values of merged output enums from both
subgraphs, input objects as literals and variables (with defaults), enum arguments, and
validation errors for values and fields outside the intersection.
"""

from __future__ import annotations

from enum import Enum

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --- products ---------------------------------------------------------------------------


@strawberry.enum(name="Condition")
class ProductCondition(Enum):
    NEW = "NEW"
    USED = "USED"


@strawberry.enum(name="SortOrder")
class ProductSortOrder(Enum):
    ASC = "ASC"
    DESC = "DESC"
    RANDOM = "RANDOM"


@strawberry.enum(name="Currency")
class Currency(Enum):
    EUR = "EUR"
    USD = "USD"


@strawberry.input(name="PriceFilter")
class ProductPriceFilter:
    min: int | None = None
    max: int | None = None
    currency: Currency | None = None


_PRODUCTS = {
    "x1": ("Chair", ProductCondition.NEW, 50),
    "x2": ("Desk", ProductCondition.USED, 120),
    "x3": ("Shelf", ProductCondition.NEW, 80),
}


@strawberry.federation.type(name="Product", keys=["id"])
class CatalogProduct:
    id: strawberry.ID

    @strawberry.field
    def name(self) -> str:
        return _PRODUCTS[str(self.id)][0]

    @strawberry.field
    def condition(self) -> ProductCondition:
        return _PRODUCTS[str(self.id)][1]

    @strawberry.field
    def price(self, currency: Currency = Currency.EUR) -> int:
        eur = _PRODUCTS[str(self.id)][2]
        return eur * 11 // 10 if currency == Currency.USD else eur

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> CatalogProduct:
        return cls(id=id)


@strawberry.type(name="Query")
class ProductsQuery:
    @strawberry.field
    def products(
        self,
        filter: ProductPriceFilter | None = None,
        sort: ProductSortOrder = ProductSortOrder.ASC,
    ) -> list[CatalogProduct]:
        rows = sorted(_PRODUCTS.items(), key=lambda item: item[1][2])
        if sort == ProductSortOrder.DESC:
            rows.reverse()
        if filter is not None:
            rows = [
                (pid, row)
                for pid, row in rows
                if (filter.min is None or row[2] >= filter.min)
                and (filter.max is None or row[2] <= filter.max)
            ]
        return [CatalogProduct(id=strawberry.ID(pid)) for pid, _ in rows]


products_schema = strawberry.federation.Schema(query=ProductsQuery, federation_version="2.9")

# --- stock ------------------------------------------------------------------------------


@strawberry.enum(name="Condition")
class StockCondition(Enum):
    NEW = "NEW"
    REFURBISHED = "REFURBISHED"


@strawberry.enum(name="SortOrder")
class StockSortOrder(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(name="PriceFilter")
class StockPriceFilter:
    min: int | None = None
    max: int | None = None


@strawberry.input(name="StockQuery")
class StockQuery:
    warehouse: str
    min_qty: int = 1


@strawberry.federation.type(name="Product", keys=["id"])
class StockProduct:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> StockProduct:
        return cls(id=id)


@strawberry.type(name="StockItem")
class StockItem:
    sku: str
    condition: StockCondition
    qty: int
    product: StockProduct
    warehouse: strawberry.Private[str]
    clearance_price: strawberry.Private[int]


def _item(sku: str, pid: str, cond: StockCondition, qty: int, wh: str, cp: int) -> StockItem:
    product = StockProduct(id=strawberry.ID(pid))
    return StockItem(
        sku=sku, condition=cond, qty=qty, product=product, warehouse=wh, clearance_price=cp
    )


_STOCK = [
    _item("CH-1", "x1", StockCondition.NEW, 4, "north", 30),
    _item("DK-1", "x2", StockCondition.REFURBISHED, 1, "north", 90),
    _item("CH-2", "x1", StockCondition.REFURBISHED, 7, "south", 35),
    _item("SH-1", "x3", StockCondition.NEW, 0, "south", 60),
]


@strawberry.type(name="Query")
class StockQueryRoot:
    @strawberry.field
    def stock_items(
        self, query: StockQuery, sort: StockSortOrder = StockSortOrder.ASC
    ) -> list[StockItem]:
        items = [i for i in _STOCK if i.warehouse == query.warehouse and i.qty >= query.min_qty]
        return sorted(items, key=lambda i: i.qty, reverse=sort == StockSortOrder.DESC)

    @strawberry.field
    def clearance(self, filter: StockPriceFilter | None = None) -> list[StockItem]:
        return [
            i
            for i in _STOCK
            if filter is None
            or (
                (filter.min is None or i.clearance_price >= filter.min)
                and (filter.max is None or i.clearance_price <= filter.max)
            )
        ]


stock_schema = strawberry.federation.Schema(query=StockQueryRoot, federation_version="2.9")

SUBGRAPHS = {"products": products_schema, "stock": stock_schema}


CASES = [
    Case(
        "output-enum-values-from-both-subgraphs",
        '{ stockItems(query: {warehouse: "north"}) { sku condition product { name condition } } }',
        {
            "data": {
                "stockItems": [
                    {
                        "sku": "DK-1",
                        "condition": "REFURBISHED",
                        "product": {"name": "Desk", "condition": "USED"},
                    },
                    {
                        "sku": "CH-1",
                        "condition": "NEW",
                        "product": {"name": "Chair", "condition": "NEW"},
                    },
                ]
            }
        },
    ),
    Case(
        "subgraph-only-input-object-in-variables",
        "query ($q: StockQuery!) { stockItems(query: $q, sort: DESC) { sku qty } }",
        {"data": {"stockItems": [{"sku": "CH-2", "qty": 7}, {"sku": "SH-1", "qty": 0}]}},
        variables={"q": {"warehouse": "south", "minQty": 0}},
    ),
    Case(
        "input-object-field-default-applies",
        '{ stockItems(query: {warehouse: "south"}) { sku } }',
        {"data": {"stockItems": [{"sku": "CH-2"}]}},
    ),
    Case(
        "intersected-input-object-literal",
        "{ products(filter: {min: 60, max: 200}, sort: DESC) { name price } }",
        {"data": {"products": [{"name": "Desk", "price": 120}, {"name": "Shelf", "price": 80}]}},
    ),
    Case(
        "intersected-input-object-in-variables",
        "query ($f: PriceFilter) { clearance(filter: $f) { sku product { name } } }",
        {
            "data": {
                "clearance": [
                    {"sku": "CH-1", "product": {"name": "Chair"}},
                    {"sku": "CH-2", "product": {"name": "Chair"}},
                ]
            }
        },
        variables={"f": {"max": 40}},
    ),
    Case(
        "input-field-outside-intersection-rejected",
        "{ products(filter: {currency: USD}) { name } }",
        {"errors": True},
    ),
    Case(
        "input-field-outside-intersection-rejected-in-variables",
        "query ($f: PriceFilter) { clearance(filter: $f) { sku } }",
        {"errors": True},
        variables={"f": {"max": 40, "currency": "EUR"}},
    ),
    Case(
        "input-enum-value-outside-intersection-rejected",
        "{ products(sort: RANDOM) { name } }",
        {"errors": True},
    ),
    Case(
        "enum-argument-from-variable",
        "query ($c: Currency!) { products { name price(currency: $c) } }",
        {
            "data": {
                "products": [
                    {"name": "Chair", "price": 55},
                    {"name": "Shelf", "price": 88},
                    {"name": "Desk", "price": 132},
                ]
            }
        },
        variables={"c": "USD"},
    ),
    Case(
        "introspection-of-merged-enums-and-inputs",
        '{ condition: __type(name: "Condition") { enumValues { name } }'
        ' sort: __type(name: "SortOrder") { enumValues { name } }'
        ' filter: __type(name: "PriceFilter") { inputFields { name } } }',
        {
            "data": {
                "condition": {
                    "enumValues": [{"name": "NEW"}, {"name": "USED"}, {"name": "REFURBISHED"}]
                },
                "sort": {"enumValues": [{"name": "ASC"}, {"name": "DESC"}]},
                "filter": {"inputFields": [{"name": "min"}, {"name": "max"}]},
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_enums_inputs_merging(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
