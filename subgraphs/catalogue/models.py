"""The catalogue's tables. One database per brand, so rows carry no brand: the deployment's
brand id prefixes every ID the schema shows (`lumen:SKU-1001`). Prices are integers in fen
(1 yuan = 100 fen); `stock` is the inventory on hand of a SKU. `active` flags take a product
or a SKU off sale without deleting it (orders still refer to it)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

# Re-exported so the app's metadata holds the outbox tables its migrations create.
from subgraphs.common.events import OutboxEvent as OutboxEvent
from subgraphs.common.events import ProcessedEvent as ProcessedEvent

CODE_LENGTH = 64


class Category(SQLModel, table=True):
    __tablename__ = "catalogue_categories"

    id: str = Field(primary_key=True, max_length=CODE_LENGTH)  # e.g. "skincare"
    name: str = Field(max_length=200)
    position: int = 0


class Product(SQLModel, table=True):
    __tablename__ = "catalogue_products"

    id: str = Field(primary_key=True, max_length=CODE_LENGTH)  # e.g. "SKU-1001"
    name: str = Field(max_length=200)
    description: str = ""
    category_id: str = Field(foreign_key="catalogue_categories.id", index=True)
    active: bool = True  # False: off sale (not listed, its SKUs not purchasable)


class Sku(SQLModel, table=True):
    __tablename__ = "catalogue_skus"

    id: str = Field(primary_key=True, max_length=CODE_LENGTH)  # e.g. "SKU-1001-30ML"
    product_id: str = Field(foreign_key="catalogue_products.id", index=True)
    name: str = Field(max_length=200)  # the variant, e.g. "30 ml"
    price_fen: int = Field(ge=0)
    stock: int = Field(default=0, ge=0)  # inventory on hand
    position: int = 0
    active: bool = True  # False: off sale


class StockShortfall(SQLModel, table=True):
    """A paid order line the stock on hand could not cover (an oversell, for staff to resolve):
    stock went to zero, never below, and the missing quantity is recorded here."""

    __tablename__ = "catalogue_stock_shortfalls"

    id: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(max_length=200, index=True)
    sku_id: str = Field(max_length=CODE_LENGTH)  # the local code, e.g. "SKU-1001-30ML"
    requested: int
    available: int  # on hand when the order was applied (what was taken)
    recorded_at: datetime = Field(
        default_factory=lambda: datetime.now(UTC),
        sa_column=Column(sa.DateTime(timezone=True), nullable=False),
    )
