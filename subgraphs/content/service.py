"""The content's domain rules, free of GraphQL.

- IDs: the schema shows `<brand>:<code>` (`lumen:BANNER-1`); `local_code(brand, id)` gives the
  code stored in this brand's database, or None when the ID is malformed or names another
  brand (this deployment never answers for another brand's content).
- `active_banners`: the banners of one placement whose window holds `at` (`starts_at <= at <
  ends_at`, either end open when unset), ordered by position, then code.
- `published_articles`: articles published at or before `at` (drafts never), newest first
  (ties by code), at most `first` (default 10, capped at 100).
- `page_by_slug`: a page, or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

# Re-exported: the subgraph's schema and app reach the id rules through its service.
from subgraphs.common.brand_ids import check_brand as check_brand
from subgraphs.common.brand_ids import global_id as global_id
from subgraphs.common.brand_ids import local_code as local_code
from subgraphs.common.brand_ids import page_size as _page_size

from .models import Article, Banner, Page, utc

DEFAULT_PAGE = 10
MAX_PAGE = 100


class ContentError(ValueError):
    """A request the content subgraph refuses (shown to the client as a GraphQL error whose
    `extensions.code` is `code`)."""

    def __init__(self, message: str, code: str = "BAD_USER_INPUT") -> None:
        super().__init__(message)
        self.code = code
        self.extensions = {"code": code}  # graphql-core copies this onto the error


def page_size(first: int | None) -> int:
    return _page_size(first, default=DEFAULT_PAGE, maximum=MAX_PAGE, error=ContentError)


def now() -> datetime:
    return datetime.now(UTC)


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ContentError("times must be timezone-aware")
    return at.astimezone(UTC)


def banner_active(banner: Banner, at: datetime) -> bool:
    """The same rule as `active_banners`, for one row."""
    at = _utc(at)
    starts, ends = utc(banner.starts_at), utc(banner.ends_at)
    return (starts is None or starts <= at) and (ends is None or at < ends)


async def active_banners(
    session: AsyncSession, placement: str, at: datetime | None = None
) -> Sequence[Banner]:
    at = _utc(at or now())
    query = (
        select(Banner)
        .where(Banner.placement == placement)
        .where(or_(col(Banner.starts_at).is_(None), col(Banner.starts_at) <= at))
        .where(or_(col(Banner.ends_at).is_(None), col(Banner.ends_at) > at))
        .order_by(col(Banner.position), col(Banner.id))
    )
    return (await session.exec(query)).all()


async def published_articles(
    session: AsyncSession, *, first: int | None = None, at: datetime | None = None
) -> Sequence[Article]:
    limit = page_size(first)
    if limit == 0:
        return []
    at = _utc(at or now())
    query = (
        select(Article)
        .where(col(Article.published_at).is_not(None))
        .where(col(Article.published_at) <= at)
        .order_by(col(Article.published_at).desc(), col(Article.id))
        .limit(limit)
    )
    return (await session.exec(query)).all()


async def page_by_slug(session: AsyncSession, slug: str) -> Page | None:
    return await session.get(Page, slug)
