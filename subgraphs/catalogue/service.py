"""The catalogue's domain rules, free of GraphQL.

- IDs: the schema shows `<brand>:<code>` (`lumen:SKU-1001`); `local_code(brand, id)` gives the
  code stored in this brand's database, or None when the ID is malformed or names another
  brand (this deployment never answers for another brand's products).
- `list_products`: this brand's products, optionally in one category and/or whose name
  contains `search` (case-insensitive; `%` and `_` match themselves), ordered by code, at
  most `first` (default 20, capped at 100).
- Listing shows active products only; a product or SKU off sale (`active` False) still
  resolves by ID (orders refer to it).
- Stock: a SKU is in stock when it is on sale and its inventory on hand is positive; a product
  when any of its SKUs is; `stock_available` checks a quantity of one SKU.
- Staff changes (`set_sku_price`, `set_sku_stock`, `set_sku_active`, `set_product_active`)
  record `catalogue.sku.changed` (one per affected SKU) in the same transaction;
  `announce_catalogue` records it for every SKU (once after seeding, so the order subgraph's
  replica fills).
- `apply_paid_order` (consumer `catalogue-<brand>` of `order.paid`): decrements the stock of
  this brand's lines, never below zero; what stock could not cover is logged and recorded as a
  `StockShortfall`. Idempotency comes from the caller's `handle_once`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

# Re-exported: the subgraph's schema and app reach the id rules through its service.
from subgraphs.common.brand_ids import check_brand as check_brand
from subgraphs.common.brand_ids import global_id as global_id
from subgraphs.common.brand_ids import local_code as local_code
from subgraphs.common.brand_ids import page_size as _page_size
from subgraphs.common.database import transaction
from subgraphs.common.events import record_event

from .models import Category, Product, Sku, StockShortfall

DEFAULT_PAGE = 20
MAX_PAGE = 100
SKU_CHANGED = "catalogue.sku.changed"
ORDER_PAID = "order.paid"
MAX_PRICE_FEN = 100_000_000_00  # one hundred million yuan: anything above is a typo
MAX_STOCK = 10_000_000

log = logging.getLogger("brand_matrix.catalogue")


class CatalogueError(ValueError):
    """A request the catalogue refuses (shown to the client as a GraphQL error whose
    `extensions.code` is `code`)."""

    def __init__(self, message: str, code: str = "BAD_USER_INPUT") -> None:
        super().__init__(message)
        self.code = code
        self.extensions = {"code": code}  # graphql-core copies this onto the error


class NotFound(CatalogueError):
    def __init__(self, message: str) -> None:
        super().__init__(message, "NOT_FOUND")


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
    query = select(Product).where(col(Product.active).is_(True))
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
    return sku.active and sku.stock > 0


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


# --- staff changes ----------------------------------------------------------------------------


def sku_changed_payload(brand: str, product: Product, sku: Sku) -> dict[str, Any]:
    """The `catalogue.sku.changed` payload (IDs brand-scoped, as the API shows them); `active`
    is whether the SKU can be bought: it and its product on sale."""
    return {
        "brand": brand,
        "productId": global_id(brand, product.id),
        "skuId": global_id(brand, sku.id),
        "productName": product.name,
        "skuName": sku.name,
        "categoryId": product.category_id,
        "priceFen": sku.price_fen,
        "active": bool(product.active and sku.active),
    }


def _record_sku_changed(session: AsyncSession, brand: str, product: Product, sku: Sku) -> None:
    record_event(session, SKU_CHANGED, sku_changed_payload(brand, product, sku))


async def _sku_for_update(session: AsyncSession, brand: str, sku_id: str) -> tuple[Sku, Product]:
    code = local_code(brand, sku_id)
    sku = None
    if code is not None:
        sku = (await session.exec(select(Sku).where(Sku.id == code).with_for_update())).first()
    if sku is None:
        raise NotFound(f"no SKU {sku_id!r} in the {brand} catalogue")
    product = await session.get(Product, sku.product_id)
    assert product is not None  # a foreign key guarantees it
    return sku, product


def _check_int(value: int, name: str, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CatalogueError(f"{name} must be an integer")
    if value < 0:
        raise CatalogueError(f"{name} must not be negative")
    if value > maximum:
        raise CatalogueError(f"{name} must be at most {maximum}")
    return value


async def set_sku_price(session: AsyncSession, brand: str, sku_id: str, price_fen: int) -> Sku:
    _check_int(price_fen, "priceFen", MAX_PRICE_FEN)
    async with transaction(session):
        sku, product = await _sku_for_update(session, brand, sku_id)
        sku.price_fen = price_fen
        session.add(sku)
        _record_sku_changed(session, brand, product, sku)
    return sku


async def set_sku_stock(session: AsyncSession, brand: str, sku_id: str, stock: int) -> Sku:
    _check_int(stock, "stock", MAX_STOCK)
    async with transaction(session):
        sku, product = await _sku_for_update(session, brand, sku_id)
        sku.stock = stock
        session.add(sku)
        _record_sku_changed(session, brand, product, sku)
    return sku


async def set_sku_active(session: AsyncSession, brand: str, sku_id: str, active: bool) -> Sku:
    async with transaction(session):
        sku, product = await _sku_for_update(session, brand, sku_id)
        sku.active = active
        session.add(sku)
        _record_sku_changed(session, brand, product, sku)
    return sku


async def set_product_active(
    session: AsyncSession, brand: str, product_id: str, active: bool
) -> Product:
    """Every SKU of the product changes whether it can be bought: one event per SKU."""
    async with transaction(session):
        code = local_code(brand, product_id)
        product = None
        if code is not None:
            query = select(Product).where(Product.id == code).with_for_update()
            product = (await session.exec(query)).first()
        if product is None:
            raise NotFound(f"no product {product_id!r} in the {brand} catalogue")
        product.active = active
        session.add(product)
        for sku in await _skus_of(session, [product.id]):
            _record_sku_changed(session, brand, product, sku)
    return product


async def _skus_of(session: AsyncSession, product_codes: Sequence[str]) -> Sequence[Sku]:
    query = (
        select(Sku)
        .where(col(Sku.product_id).in_(product_codes))
        .order_by(col(Sku.product_id), col(Sku.position), col(Sku.id))
    )
    return (await session.exec(query)).all()


async def announce_catalogue(session: AsyncSession, brand: str) -> int:
    """Record `catalogue.sku.changed` for every SKU and commit; the number recorded."""
    async with transaction(session):
        products = {p.id: p for p in (await session.exec(select(Product))).all()}
        skus = await _skus_of(session, sorted(products))
        for sku in skus:
            _record_sku_changed(session, brand, products[sku.product_id], sku)
    return len(skus)


# --- order.paid ---------------------------------------------------------------------------------


def _brand_quantities(brand: str, payload: Mapping[str, Any]) -> dict[str, int]:
    """This brand's SKU codes and quantities of a paid order (lines of other brands skipped)."""
    wanted: dict[str, int] = {}
    for line in payload.get("lines") or []:
        if not isinstance(line, Mapping) or line.get("brand") != brand:
            continue
        code = local_code(brand, str(line.get("skuId") or ""))
        quantity = line.get("quantity")
        if code is None or isinstance(quantity, bool) or not isinstance(quantity, int):
            log.error("order %s: unusable line %r", payload.get("orderId"), line)
            continue
        if quantity > 0:
            wanted[code] = wanted.get(code, 0) + quantity
    return wanted


async def apply_paid_order(
    session: AsyncSession, brand: str, payload: Mapping[str, Any]
) -> list[StockShortfall]:
    """Take this brand's paid quantities off the stock (in the caller's transaction); the
    shortfalls recorded where stock did not cover a line."""
    order_id = str(payload.get("orderId") or "")
    shortfalls: list[StockShortfall] = []
    for code, quantity in sorted(_brand_quantities(brand, payload).items()):  # lock order
        query = select(Sku).where(Sku.id == code).with_for_update()
        sku = (await session.exec(query)).first()
        available = 0 if sku is None else sku.stock
        if sku is not None:
            sku.stock = max(0, sku.stock - quantity)
            session.add(sku)
        if available < quantity:
            log.warning(
                "oversold: order %s wants %d of %s:%s, %d on hand",
                order_id, quantity, brand, code, available,
            )  # fmt: skip
            shortfall = StockShortfall(
                order_id=order_id, sku_id=code, requested=quantity, available=available
            )
            session.add(shortfall)
            shortfalls.append(shortfall)
    return shortfalls
