"""Per-request DataLoaders: one SELECT per batch, whatever the number of products asked."""

from __future__ import annotations

from subgraphs.common.loaders import ModelListLoader, ModelLoader

from .models import Category, Product, Sku


class ProductById(ModelLoader[str, Product]):
    model = Product


class SkusByProductId(ModelListLoader[str, Sku]):
    model = Sku
    column = "product_id"
    order_by = "position"


class CategoryById(ModelLoader[str, Category]):
    model = Category


LOADERS = {"product": ProductById, "skus": SkusByProductId, "category": CategoryById}
