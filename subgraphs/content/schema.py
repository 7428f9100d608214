"""The content's Strawberry federation schema (one schema for every brand).

`Banner @key(fields: "id")` and `Article @key(fields: "id")` with brand-scoped IDs
(`lumen:BANNER-1`, `lumen:ARTICLE-1`): the brand is the deployment's
(`ContentContext.content_brand`), never a request header, so the SDL does not depend on the
brand. References to another brand's content, or to unknown content, resolve to null.

A banner may advertise a product: `Banner.product` returns a `Product @key(fields: "id",
resolvable: false)` stub holding only the ID, and the gateway fetches the rest from the
catalogue that owns it. `Page` is a value type whose `blocks` are free-form JSON.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.scalars import JSON

from subgraphs.common.brand_ids import load_scoped
from subgraphs.common.context import SubgraphContext

from . import service
from .models import Article as ArticleRow
from .models import Banner as BannerRow
from .models import Page as PageRow
from .models import utc


class ContentContext(SubgraphContext):
    """The request context of one brand's deployment (`create_app` sets the brand and the
    clock that decides which banners and articles are live)."""

    content_brand: str = ""

    def now(self) -> datetime:
        return service.now()


Info = strawberry.Info[ContentContext, None]


@strawberry.federation.type(
    directives=[Key(fields="id", resolvable=False)],
    description="A product owned by a brand catalogue (only its ID is known here).",
)
class Product:
    id: strawberry.ID


@strawberry.federation.type(keys=["id"], description="A promotional banner of one brand.")
class Banner:
    id: strawberry.ID = strawberry.field(description="Brand-scoped, e.g. lumen:BANNER-1.")
    brand: str
    title: str
    image_url: str
    link_url: str = strawberry.field(description="Where a tap on the banner goes.")
    placement: str = strawberry.field(description="Where it is shown, e.g. home.")
    position: int = strawberry.field(description="Display order within the placement.")
    starts_at: datetime | None = strawberry.field(description="Shown from (null: always).")
    ends_at: datetime | None = strawberry.field(description="Shown until, exclusive.")
    product_id: strawberry.Private[str | None]

    @classmethod
    def of(cls, brand: str, row: BannerRow) -> Banner:
        return cls(
            id=strawberry.ID(service.global_id(brand, row.id)),
            brand=brand,
            title=row.title,
            image_url=row.image_url,
            link_url=row.link_url,
            placement=row.placement,
            position=row.position,
            starts_at=utc(row.starts_at),
            ends_at=utc(row.ends_at),
            product_id=row.product_id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> Banner | None:
        brand = info.context.content_brand
        row = await load_scoped(info.context.loader("banner"), brand, kwargs.get("id", ""))
        return None if row is None else cls.of(brand, row)

    @strawberry.field(description="The advertised product (from its catalogue), if any.")
    def product(self) -> Product | None:
        return None if not self.product_id else Product(id=strawberry.ID(self.product_id))


@strawberry.federation.type(keys=["id"], description="An editorial article of one brand.")
class Article:
    id: strawberry.ID = strawberry.field(description="Brand-scoped, e.g. lumen:ARTICLE-1.")
    brand: str
    slug: str
    title: str
    body: str
    published_at: datetime | None

    @classmethod
    def of(cls, brand: str, row: ArticleRow) -> Article:
        return cls(
            id=strawberry.ID(service.global_id(brand, row.id)),
            brand=brand,
            slug=row.slug,
            title=row.title,
            body=row.body,
            published_at=utc(row.published_at),
        )

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> Article | None:
        brand = info.context.content_brand
        row = await load_scoped(info.context.loader("article"), brand, kwargs.get("id", ""))
        return None if row is None else cls.of(brand, row)


@strawberry.type(description="A brand page built from content blocks.")
class Page:
    slug: str
    title: str
    blocks: JSON = strawberry.field(description="The page's blocks, as JSON (a list).")

    @classmethod
    def of(cls, row: PageRow) -> Page:
        return cls(slug=row.slug, title=row.title, blocks=row.blocks)


@strawberry.type
class Query:
    @strawberry.field(description="The brand this content deployment serves.")
    def content_brand(self, info: Info) -> str:
        return info.context.content_brand

    @strawberry.field(
        description="The banners of a placement live now, in display order (position)."
    )
    async def banners(self, info: Info, placement: str) -> list[Banner]:
        at = info.context.now()
        async with info.context.db() as session:
            rows = await service.active_banners(session, placement, at)
        brand = info.context.content_brand
        return [Banner.of(brand, row) for row in rows]

    @strawberry.field(
        description="Published articles, newest first. `first` defaults to 10, at most 100."
    )
    async def articles(self, info: Info, first: int | None = service.DEFAULT_PAGE) -> list[Article]:
        at = info.context.now()
        async with info.context.db() as session:
            rows = await service.published_articles(session, first=first, at=at)
        brand = info.context.content_brand
        return [Article.of(brand, row) for row in rows]

    @strawberry.field(description="A page by its slug; null if unknown.")
    async def page(self, info: Info, slug: str) -> Page | None:
        async with info.context.db() as session:
            row = await service.page_by_slug(session, slug)
        return None if row is None else Page.of(row)


schema = strawberry.federation.Schema(
    query=Query, types=[Banner, Article], federation_version="2.9"
)


def sdl() -> str:
    """The subgraph's SDL as checked in at `schema/content.graphql`."""
    return schema.as_str().rstrip("\n") + "\n"
