"""Per-request DataLoaders: one SELECT per batch, whatever the number of entities asked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.loaders import KeyedLoader, ModelLoader

from . import placements
from .models import Article, Banner, CrossBrandPlacement


class BannerById(ModelLoader[str, Banner]):
    model = Banner


class ArticleById(ModelLoader[str, Article]):
    model = Article


ACTIVE = "active"


class PlacementsLoader(KeyedLoader[str, list[CrossBrandPlacement]]):
    """`load(ACTIVE)`: the placements switched on, read once per request."""

    async def fetch(
        self, session: AsyncSession, keys: Sequence[str]
    ) -> Mapping[str, list[CrossBrandPlacement]]:
        rows = list(await placements.active_placements(session))
        return {key: rows for key in keys if key == ACTIVE}


class ImpressionsToday(KeyedLoader[str, dict[str, int]]):
    """`load(member_id)`: today's showings per placement code, for every member of a batch in
    one query."""

    def _missing(self) -> dict[str, int]:
        return {}

    async def fetch(
        self, session: AsyncSession, keys: Sequence[str]
    ) -> Mapping[str, dict[str, int]]:
        return await placements.impressions_today(session, keys, self.context.now())


LOADERS = {
    "banner": BannerById,
    "article": ArticleById,
    "placements": PlacementsLoader,
    "impressions": ImpressionsToday,
}
