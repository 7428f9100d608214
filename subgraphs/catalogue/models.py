"""The catalogue's tables. One database per brand, so rows carry no brand: the deployment's
brand id prefixes every ID the schema shows (`lumen:SKU-1001`). Prices are integers in fen
(1 yuan = 100 fen); `stock` is the inventory on hand of a SKU."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

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


class Sku(SQLModel, table=True):
    __tablename__ = "catalogue_skus"

    id: str = Field(primary_key=True, max_length=CODE_LENGTH)  # e.g. "SKU-1001-30ML"
    product_id: str = Field(foreign_key="catalogue_products.id", index=True)
    name: str = Field(max_length=200)  # the variant, e.g. "30 ml"
    price_fen: int = Field(ge=0)
    stock: int = Field(default=0, ge=0)  # inventory on hand
    position: int = 0
