"""Per-request DataLoaders: one SELECT per batch, whatever the number of entities asked."""

from __future__ import annotations

from subgraphs.common.loaders import ModelLoader

from .models import Article, Banner


class BannerById(ModelLoader[str, Banner]):
    model = Banner


class ArticleById(ModelLoader[str, Article]):
    model = Article


LOADERS = {"banner": BannerById, "article": ArticleById}
