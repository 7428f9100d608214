"""The catalogue's Strawberry federation schema (one schema for every brand).

`Product @key(fields: "id")` with brand-scoped IDs (`lumen:SKU-1001`): the brand is the
deployment's (`CatalogueContext.catalogue_brand`), never a request header, so the SDL does not
depend on the brand. References to another brand's product, or to an unknown one, resolve to
null. Money is `Int` fen. `Sku` and `Category` are value types owned here.

Mutations are for staff of the deployment's brand (or group operators): prices, stock and
whether a product or SKU is on sale. Each records `catalogue.sku.changed` with the change.
"""

from __future__ import annotations

import strawberry

from subgraphs.common import access, auth
from subgraphs.common.brand_ids import load_scoped
from subgraphs.common.context import SubgraphContext

from . import service
from .models import Category as CategoryRow
from .models import Product as ProductRow
from .models import Sku as SkuRow


class CatalogueContext(SubgraphContext):
    """The request context of one brand's deployment (`create_app` sets the brand)."""

    catalogue_brand: str = ""


Info = strawberry.Info[CatalogueContext, None]


@strawberry.type(description="A product category of the brand.")
class Category:
    id: strawberry.ID
    name: str

    @classmethod
    def of(cls, row: CategoryRow) -> Category:
        return cls(id=strawberry.ID(row.id), name=row.name)


@strawberry.type(description="A purchasable variant of a product (size, shade, ...).")
class Sku:
    id: strawberry.ID = strawberry.field(description="Brand-scoped, e.g. lumen:SKU-1001-30ML.")
    name: str
    price_fen: int = strawberry.field(description="Price in fen (1 yuan = 100 fen).")
    stock: int = strawberry.field(description="Inventory on hand.")
    in_stock: bool = strawberry.field(description="On sale and stock on hand.")
    active: bool = strawberry.field(description="On sale (false: off sale).")

    @classmethod
    def of(cls, brand: str, row: SkuRow) -> Sku:
        return cls(
            id=strawberry.ID(service.global_id(brand, row.id)),
            name=row.name,
            price_fen=row.price_fen,
            stock=row.stock,
            in_stock=service.sku_in_stock(row),
            active=row.active,
        )


@strawberry.federation.type(keys=["id"], description="A product of one brand's catalogue.")
class Product:
    id: strawberry.ID = strawberry.field(description="Brand-scoped, e.g. lumen:SKU-1001.")
    brand: str
    name: str
    description: str
    active: bool = strawberry.field(description="On sale (false: off sale, not listed).")
    code: strawberry.Private[str]
    category_id: strawberry.Private[str]

    @classmethod
    def of(cls, brand: str, row: ProductRow) -> Product:
        return cls(
            id=strawberry.ID(service.global_id(brand, row.id)),
            brand=brand,
            name=row.name,
            description=row.description,
            active=row.active,
            code=row.id,
            category_id=row.category_id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> Product | None:
        brand = info.context.catalogue_brand
        row = await load_scoped(info.context.loader("product"), brand, kwargs.get("id", ""))
        return None if row is None else cls.of(brand, row)

    @strawberry.field
    async def category(self, info: Info) -> Category | None:
        row = await info.context.loader("category").load(self.category_id)
        return None if row is None else Category.of(row)

    @strawberry.federation.field(
        description="The SKUs, in display order.", directives=[access.assumed(10)]
    )
    async def skus(self, info: Info) -> list[Sku]:
        rows = await info.context.loader("skus").load(self.code)
        return [Sku.of(info.context.catalogue_brand, row) for row in rows]

    @strawberry.field(description="The lowest SKU price in fen; null without SKUs.")
    async def price_fen(self, info: Info) -> int | None:
        return service.lowest_price_fen(await info.context.loader("skus").load(self.code))

    @strawberry.field(description="Whether any SKU is in stock.")
    async def in_stock(self, info: Info) -> bool:
        return service.product_in_stock(await info.context.loader("skus").load(self.code))


@strawberry.type
class Query:
    @strawberry.field(description="The brand this catalogue deployment serves.")
    def catalogue_brand(self, info: Info) -> str:
        return info.context.catalogue_brand

    @strawberry.federation.field(
        description="The brand's products on sale, by code; optionally in one category and/or "
        "whose name contains `search` (case-insensitive). `first` defaults to 20, at most 100.",
        directives=[access.sliced(service.MAX_PAGE)],
    )
    async def products(
        self,
        info: Info,
        category: strawberry.ID | None = None,
        search: str | None = None,
        first: int = service.DEFAULT_PAGE,
    ) -> list[Product]:
        async with info.context.db() as session:
            rows = await service.list_products(
                session, category=category, search=search, first=first
            )
        brand = info.context.catalogue_brand
        return [Product.of(brand, row) for row in rows]

    @strawberry.field(description="A product by its brand-scoped ID; null if unknown.")
    async def product(self, info: Info, id: strawberry.ID) -> Product | None:
        return await Product.resolve_reference(info, id=id)

    @strawberry.federation.field(
        description="The brand's categories, in display order.", directives=[access.assumed(50)]
    )
    async def categories(self, info: Info) -> list[Category]:
        async with info.context.db() as session:
            rows = await service.list_categories(session)
        return [Category.of(row) for row in rows]


def _staff(info: Info) -> str:
    """The deployment's brand, once the caller is its staff (or an operator)."""
    brand = info.context.catalogue_brand
    auth.require_staff(info.context.claims, brand)
    return brand


@strawberry.type
class Mutation:
    @strawberry.federation.mutation(
        description="Set a SKU's price in fen (staff of the brand).",
        authenticated=True,
        requires_scopes=access.STAFF,
        tags=[access.STAFF_TAG],
    )
    async def set_sku_price(self, info: Info, sku_id: strawberry.ID, price_fen: int) -> Sku:
        brand = _staff(info)
        async with info.context.db() as session:
            row = await service.set_sku_price(session, brand, str(sku_id), price_fen)
        return Sku.of(brand, row)

    @strawberry.federation.mutation(
        description="Set a SKU's inventory on hand (staff of the brand).",
        authenticated=True,
        requires_scopes=access.STAFF,
        tags=[access.STAFF_TAG],
    )
    async def set_sku_stock(self, info: Info, sku_id: strawberry.ID, stock: int) -> Sku:
        brand = _staff(info)
        async with info.context.db() as session:
            row = await service.set_sku_stock(session, brand, str(sku_id), stock)
        return Sku.of(brand, row)

    @strawberry.federation.mutation(
        description="Put a SKU on or off sale (staff of the brand).",
        authenticated=True,
        requires_scopes=access.STAFF,
        tags=[access.STAFF_TAG],
    )
    async def set_sku_active(self, info: Info, sku_id: strawberry.ID, active: bool) -> Sku:
        brand = _staff(info)
        async with info.context.db() as session:
            row = await service.set_sku_active(session, brand, str(sku_id), active)
        return Sku.of(brand, row)

    @strawberry.federation.mutation(
        description="Put a product on or off sale (staff of the brand).",
        authenticated=True,
        requires_scopes=access.STAFF,
        tags=[access.STAFF_TAG],
    )
    async def set_product_active(
        self, info: Info, product_id: strawberry.ID, active: bool
    ) -> Product:
        brand = _staff(info)
        async with info.context.db() as session:
            row = await service.set_product_active(session, brand, str(product_id), active)
        return Product.of(brand, row)


schema = strawberry.federation.Schema(
    query=Query, mutation=Mutation, types=[Product], federation_version="2.9"
)


def sdl() -> str:
    """The subgraph's SDL as checked in at `schema/catalogue.graphql`."""
    return schema.as_str().rstrip("\n") + "\n"
