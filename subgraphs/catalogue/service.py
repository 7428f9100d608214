"""The catalogue's domain rules, free of GraphQL.

- IDs: the schema shows `<brand>:<code>` (`lumen:SKU-1001`); `local_code(brand, id)` gives the
  code stored in this brand's database, or None when the ID is malformed or names another
  brand (this deployment never answers for another brand's products).
- `list_products`: this brand's products, optionally in one category and/or whose name
  contains `search` (case-insensitive; `%` and `_` match themselves), ordered by code, at
  most `first` (default 20, capped at 100).
- Stock: a SKU is in stock when its inventory on hand is positive; a product when any of its
  SKUs is; `stock_available` checks a quantity of one SKU.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

# Re-exported: the subgraph's schema and app reach the id rules through its service.
from subgraphs.common.brand_ids import check_brand as check_brand
from subgraphs.common.brand_ids import global_id as global_id
from subgraphs.common.brand_ids import local_code as local_code
from subgraphs.common.brand_ids import page_size as _page_size

from .models import Category, Product, Sku

DEFAULT_PAGE = 20
MAX_PAGE = 100


class CatalogueError(ValueError):
    """A request the catalogue refuses (shown to the client as a GraphQL error)."""


def page_size(first: int | None) -> int:
    return _page_size(first, default=DEFAULT_PAGE, maximum=MAX_PAGE, error=CatalogueError)


async def list_products(
    session: AsyncSession,
    *,
    category: str | None = None,
    search: str | None = None,
    first: int | None = None,
) -> Sequence[Product]:
    limit = page_size(first)
    if limit == 0:
        return []
    query = select(Product)
    if category is not None:
        query = query.where(Product.category_id == category)
    if search is not None and search.strip():
        needle = search.strip().lower()
        query = query.where(func.lower(col(Product.name)).contains(needle, autoescape=True))
    query = query.order_by(col(Product.id)).limit(limit)
    return (await session.exec(query)).all()


async def list_categories(session: AsyncSession) -> Sequence[Category]:
    query = select(Category).order_by(col(Category.position), col(Category.id))
    return (await session.exec(query)).all()


def sku_in_stock(sku: Sku) -> bool:
    return sku.stock > 0


def product_in_stock(skus: Iterable[Sku]) -> bool:
    return any(sku_in_stock(sku) for sku in skus)


def lowest_price_fen(skus: Iterable[Sku]) -> int | None:
    return min((sku.price_fen for sku in skus), default=None)


async def stock_available(session: AsyncSession, sku_code: str, quantity: int) -> bool:
    """Whether `quantity` (positive) of the SKU is on hand; False for an unknown SKU."""
    if quantity <= 0:
        raise CatalogueError("quantity must be positive")
    sku = await session.get(Sku, sku_code)
    return sku is not None and sku.stock >= quantity
