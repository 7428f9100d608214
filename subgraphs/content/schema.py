"""The content's Strawberry federation schema (one schema for every brand).

`Banner @key(fields: "id")` and `Article @key(fields: "id")` with brand-scoped IDs
(`lumen:BANNER-1`, `lumen:ARTICLE-1`): the brand is the deployment's
(`ContentContext.content_brand`), never a request header, so the SDL does not depend on the
brand. References to another brand's content, or to unknown content, resolve to null.

A banner may advertise a product: `Banner.product` returns a `Product @key(fields: "id",
resolvable: false)` stub holding only the ID, and the gateway fetches the rest from the
catalogue that owns it. `Page` is a value type whose `blocks` are free-form JSON.

Cross-traffic: `Member` (owned by the member subgraph) gains `crossBrandRecommendations`,
which `@requires` the member's consent and engagement; the gateway fetches those from member
first and sends them in the representation, and the rules (`recommendations/`) decide what
to show. Only the member themself may read them. A recommendation carries an
`AttributionSource` the front-end passes to addToCart. Staff of the brand manage the
placements (`upsertCrossBrandPlacement`, `setCrossBrandPlacementActive`).
"""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.scalars import JSON

from subgraphs.common import access, auth
from subgraphs.common.brand_ids import load_scoped
from subgraphs.common.context import SubgraphContext

from . import placements, service
from .loaders import ACTIVE
from .models import Article as ArticleRow
from .models import Banner as BannerRow
from .models import CrossBrandPlacement as PlacementRow
from .models import Page as PageRow
from .models import utc
from .recommendations import MemberSignals, RecommendationSettings, recommend


class ContentContext(SubgraphContext):
    """The request context of one brand's deployment (`create_app` sets the brand and the
    clock that decides which banners and articles are live)."""

    content_brand: str = ""
    recommendation_settings: RecommendationSettings = RecommendationSettings()

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


RECOMMENDATION = "RECOMMENDATION"


@strawberry.federation.type(
    shareable=True,
    description="Where a cart line came from (a recommendation, a banner); pass it to addToCart "
    "so the order can credit the source.",
)
class AttributionSource:
    kind: str = strawberry.field(description="RECOMMENDATION or BANNER.")
    id: strawberry.ID = strawberry.field(description="The source's brand-scoped ID.")
    brand: str = strawberry.field(description="The brand whose app showed the source.")


@strawberry.type(description="Another brand's product recommended in this brand's app.")
class CrossBrandRecommendation:
    id: strawberry.ID = strawberry.field(description="The placement's ID, e.g. lumen:XB-1.")
    target_brand: str
    headline: str
    reason: str = strawberry.field(
        description="Why it is shown: brand-purchased, brand-used, pairs-with:<category> or "
        "discovery."
    )
    product: Product = strawberry.field(description="The recommended product (its catalogue).")
    source: AttributionSource


# Stand-ins of the member subgraph's types: only the fields the @requires selects, external.
@strawberry.federation.type
class CrossBrandConsent:
    granted: bool = strawberry.federation.field(external=True)


@strawberry.federation.type
class Engagement:
    first_seen_at: datetime = strawberry.federation.field(external=True)
    orders_count: int = strawberry.federation.field(external=True)
    last_order_at: datetime | None = strawberry.federation.field(external=True)
    brands_used: list[str] = strawberry.federation.field(external=True)
    brands_purchased: list[str] = strawberry.federation.field(external=True)
    categories_purchased: list[str] = strawberry.federation.field(external=True)


REQUIRED_MEMBER_FIELDS = (
    "crossBrandConsent { granted } engagement { firstSeenAt ordersCount lastOrderAt "
    "brandsUsed brandsPurchased categoriesPurchased }"
)
MAX_RECOMMENDATIONS = 20


@strawberry.federation.type(keys=["id"], description="A group member (owned by member).")
class Member:
    id: strawberry.ID
    signals: strawberry.Private[MemberSignals]

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> Member:
        return cls(
            id=strawberry.ID(str(kwargs.get("id", ""))),
            signals=MemberSignals.from_representation(kwargs),
        )

    # The member subgraph resolves these; the gateway sends them for the @requires below.
    @strawberry.federation.field(external=True)
    def cross_brand_consent(self) -> CrossBrandConsent:
        return CrossBrandConsent(granted=self.signals.consent_granted)

    @strawberry.federation.field(external=True)
    def engagement(self) -> Engagement:
        signals = self.signals
        return Engagement(
            first_seen_at=signals.first_seen_at or datetime.fromtimestamp(0, UTC),
            orders_count=signals.orders_count,
            last_order_at=signals.last_order_at,
            brands_used=sorted(signals.brands_used),
            brands_purchased=sorted(signals.brands_purchased),
            categories_purchased=sorted(signals.categories_purchased),
        )

    @strawberry.federation.field(
        requires=[REQUIRED_MEMBER_FIELDS],
        description="Other brands' products to show this member in this brand's app, best "
        "first: none without cross-brand consent, more as the member buys more. Only the "
        "member themself may read them.",
        authenticated=True,
        requires_scopes=access.MEMBER,
        # ranks every live placement and records impressions, after a fetch from member
        directives=[access.sliced(MAX_RECOMMENDATIONS), access.cost(access.RANKING_COST)],
    )
    async def cross_brand_recommendations(
        self, info: Info, first: int | None = 4
    ) -> list[CrossBrandRecommendation]:
        auth.require_self(info.context.claims, str(self.id))
        if first is not None and first < 0:
            raise service.ContentError("first must not be negative")
        brand = info.context.content_brand
        settings = info.context.recommendation_settings
        now = info.context.now()
        if not self.signals.consent_granted:
            return []  # nothing read, nothing recorded
        rows = await info.context.loader("placements").load(ACTIVE)
        capped = settings.frequency_cap_per_day is not None
        shown = await info.context.loader("impressions").load(str(self.id)) if capped else {}
        chosen = recommend(
            self.signals,
            brand,
            [placements.as_rule_placement(brand, row) for row in rows],
            now,
            settings,
            impressions=shown,
            first=min(first if first is not None else 4, MAX_RECOMMENDATIONS),
        )
        if capped and chosen:
            async with info.context.db() as session:
                await placements.record_impressions(
                    session, str(self.id), [r.placement.id for r in chosen], now
                )
        return [
            CrossBrandRecommendation(
                id=strawberry.ID(service.global_id(brand, r.placement.id)),
                target_brand=r.placement.target_brand,
                headline=r.placement.headline,
                reason=r.reason,
                product=Product(id=strawberry.ID(r.placement.target_product_id)),
                source=AttributionSource(
                    kind=RECOMMENDATION,
                    id=strawberry.ID(service.global_id(brand, r.placement.id)),
                    brand=brand,
                ),
            )
            for r in chosen
        ]


@strawberry.type(description="A cross-brand placement of this brand (staff view).")
class CrossBrandPlacement:
    id: strawberry.ID = strawberry.field(description="Brand-scoped, e.g. lumen:XB-1.")
    brand: str = strawberry.field(description="The brand whose app shows it.")
    target_brand: str
    target_category: str
    source_category: str | None = strawberry.field(
        description="The category of this brand it pairs with (null: any)."
    )
    headline: str
    priority: int = strawberry.field(description="Higher first, after brand affinity.")
    active: bool
    starts_at: datetime | None
    ends_at: datetime | None
    target_product_id: strawberry.Private[str]

    @classmethod
    def of(cls, brand: str, row: PlacementRow) -> CrossBrandPlacement:
        return cls(
            id=strawberry.ID(service.global_id(brand, row.id)),
            brand=brand,
            target_brand=row.target_brand,
            target_category=row.target_category,
            source_category=row.source_category,
            headline=row.headline,
            priority=row.priority,
            active=row.active,
            starts_at=utc(row.starts_at),
            ends_at=utc(row.ends_at),
            target_product_id=row.target_product_id,
        )

    @strawberry.field(description="The promoted product (from its brand's catalogue).")
    def target_product(self) -> Product:
        return Product(id=strawberry.ID(self.target_product_id))


@strawberry.input(description="A cross-brand placement to create or replace.")
class CrossBrandPlacementInput:
    id: strawberry.ID = strawberry.field(description="Brand-scoped, e.g. lumen:XB-1.")
    target_brand: str
    target_product_id: strawberry.ID = strawberry.field(description="e.g. vitalis:SKU-1001.")
    target_category: str
    headline: str
    source_category: str | None = None
    priority: int = 0
    active: bool = True
    starts_at: datetime | None = None
    ends_at: datetime | None = None


def _staff(info: Info) -> str:
    """The deployment's brand, once the caller is its staff (or an operator)."""
    brand = info.context.content_brand
    auth.require_staff(info.context.claims, brand)
    return brand


@strawberry.type
class Query:
    @strawberry.field(description="The brand this content deployment serves.")
    def content_brand(self, info: Info) -> str:
        return info.context.content_brand

    @strawberry.federation.field(
        description="The banners of a placement live now, in display order (position).",
        directives=[access.assumed(20)],
    )
    async def banners(self, info: Info, placement: str) -> list[Banner]:
        at = info.context.now()
        async with info.context.db() as session:
            rows = await service.active_banners(session, placement, at)
        brand = info.context.content_brand
        return [Banner.of(brand, row) for row in rows]

    @strawberry.federation.field(
        description="Published articles, newest first. `first` defaults to 10, at most 100.",
        directives=[access.sliced(service.MAX_PAGE)],
    )
    async def articles(self, info: Info, first: int | None = service.DEFAULT_PAGE) -> list[Article]:
        at = info.context.now()
        async with info.context.db() as session:
            rows = await service.published_articles(session, first=first, at=at)
        brand = info.context.content_brand
        return [Article.of(brand, row) for row in rows]

    @strawberry.federation.field(
        description="The brand's cross-brand placements, all of them (staff).",
        authenticated=True,
        requires_scopes=access.STAFF,
        tags=[access.STAFF_TAG],
        directives=[access.assumed(100)],
    )
    async def cross_brand_placements(self, info: Info) -> list[CrossBrandPlacement]:
        brand = _staff(info)
        async with info.context.db() as session:
            rows = await placements.list_placements(session)
        return [CrossBrandPlacement.of(brand, row) for row in rows]

    @strawberry.field(description="A page by its slug; null if unknown.")
    async def page(self, info: Info, slug: str) -> Page | None:
        async with info.context.db() as session:
            row = await service.page_by_slug(session, slug)
        return None if row is None else Page.of(row)


@strawberry.type
class Mutation:
    @strawberry.federation.mutation(
        description="Create or replace a cross-brand placement (staff).",
        authenticated=True,
        requires_scopes=access.STAFF,
        tags=[access.STAFF_TAG],
    )
    async def upsert_cross_brand_placement(
        self, info: Info, input: CrossBrandPlacementInput
    ) -> CrossBrandPlacement:
        brand = _staff(info)
        data = placements.PlacementInput(
            id=str(input.id),
            target_brand=input.target_brand,
            target_product_id=str(input.target_product_id),
            target_category=input.target_category,
            headline=input.headline,
            source_category=input.source_category,
            priority=input.priority,
            active=input.active,
            starts_at=input.starts_at,
            ends_at=input.ends_at,
        )
        settings = info.context.recommendation_settings
        async with info.context.db() as session:
            row = await placements.upsert_placement(session, brand, data, settings)
        return CrossBrandPlacement.of(brand, row)

    @strawberry.federation.mutation(
        description="Switch a cross-brand placement on or off (staff).",
        authenticated=True,
        requires_scopes=access.STAFF,
        tags=[access.STAFF_TAG],
    )
    async def set_cross_brand_placement_active(
        self, info: Info, id: strawberry.ID, active: bool
    ) -> CrossBrandPlacement:
        brand = _staff(info)
        async with info.context.db() as session:
            row = await placements.set_placement_active(session, brand, str(id), active)
        return CrossBrandPlacement.of(brand, row)


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    types=[Banner, Article, Member],
    federation_version="2.9",
)


def sdl() -> str:
    """The subgraph's SDL as checked in at `schema/content.graphql`."""
    return schema.as_str().rstrip("\n") + "\n"
