"""Deterministic demo content for one brand (tests now; the demo seed command later).

Every brand gets the same codes (`BANNER-1` ...) with its own titles, so `lumen:BANNER-1` and
`aurora:BANNER-1` are different banners in different databases. Banners advertise the brand's
own demo products (`<brand>:SKU-1001` ..., see the catalogue's seed). Windows and publication
times are fixed dates, so what is live is the same on every run: on the home placement one
banner has ended and one only starts in 2999.

Cross-brand placements (`demo_placements(brand)`, `XB-1` ...): one per category of every other
demo brand, promoting that brand's first demo product in the category (see the catalogue's
seed), paired with the first of this brand's categories the default category matrix allows
next to it (none: pairs with any). One placement's window has ended, so it is never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.catalogue.seed import demo_catalogue, profile
from subgraphs.common.database import transaction

from .models import Article, Banner, CrossBrandPlacement, Page
from .recommendations import RecommendationSettings

DEMO_BRANDS = ("lumen", "vitalis", "cubby", "purely", "aurora")


def _at(year: int, month: int = 1, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


# code, title (after the brand's title), placement, position, starts, ends, product code
BANNERS = [
    ("BANNER-1", "Glow Week", "home", 2, _at(2024), None, "SKU-1001"),
    ("BANNER-2", "New: Hydra Cream", "home", 1, None, None, "SKU-1002"),
    ("BANNER-3", "Spring Sale", "home", 0, _at(2024), _at(2024, 4), "SKU-1005"),  # ended
    ("BANNER-4", "Coming Soon", "home", 0, _at(2999), None, None),  # not yet
    ("BANNER-5", "Lipstick Bar", "product", 0, None, None, "SKU-1003"),
    ("BANNER-6", "Member Day", "home", 3, None, _at(2999), None),
]
# code, slug, title, body, published (None: a draft)
ARTICLES = [
    ("ARTICLE-1", "serum-101", "Serum 101", "How to layer a serum.", _at(2024, 3, 1)),
    ("ARTICLE-2", "night-routine", "A Night Routine", "Five steps before bed.", _at(2024, 6, 1)),
    ("ARTICLE-3", "mist-or-toner", "Mist or Toner?", "When to use which.", _at(2024, 5, 1)),
    ("ARTICLE-4", "draft-fragrance", "Fragrance Notes", "Work in progress.", None),
]  # fmt: skip


# A theme word per demo brand for its banners and articles (lumen keeps the original ones).
THEMES = {"vitalis": "Vitality", "cubby": "Little Ones", "purely": "Fresh Home", "aurora": "Style"}


def _banner_name(brand: str, code: str, name: str, product: str | None) -> str:
    theme = THEMES.get(brand)
    if theme is None:
        return name
    if code == "BANNER-1":
        return f"{theme} Week"
    if code in ("BANNER-2", "BANNER-5") and product:
        title = brand.replace("-", " ").replace("_", " ").title()
        found = next((p for p in demo_catalogue(brand).products if p.id == product), None)
        if found is not None:
            plain = found.name.removeprefix(f"{title} ")
            return f"New: {plain}" if code == "BANNER-2" else f"{plain} Corner"
    return name


def _articles(brand: str) -> list[tuple[str, str, str, str, datetime | None]]:
    theme = THEMES.get(brand)
    if theme is None:
        return ARTICLES
    categories = [name for _, name in profile(brand).categories]
    first, second = categories[0], categories[-1]
    return [
        ("ARTICLE-1", f"{first.lower().replace(' ', '-')}-101", f"{first} 101",
         f"How to choose in {first.lower()}.", _at(2024, 3, 1)),
        ("ARTICLE-2", "our-routine", f"A {theme} Routine", "Five steps, every day.",
         _at(2024, 6, 1)),
        ("ARTICLE-3", f"{second.lower().replace(' ', '-')}-guide", f"{second}: a guide",
         "What to look for.", _at(2024, 5, 1)),
        ("ARTICLE-4", "draft-notes", "Notes", "Work in progress.", None),
    ]  # fmt: skip


@dataclass(frozen=True)
class DemoContent:
    banners: list[Banner]
    articles: list[Article]
    pages: list[Page]
    placements: list[CrossBrandPlacement]


def demo_content(brand: str) -> DemoContent:
    """The demo rows of `brand` (new objects on every call; same values for the same brand)."""
    title = brand.replace("-", " ").replace("_", " ").title()
    banners = [
        Banner(
            id=code,
            title=f"{title} {_banner_name(brand, code, name, product)}",
            image_url=f"https://img.example.com/{brand}/{code.lower()}.jpg",
            link_url=f"/products/{brand}:{product}" if product else "/member",
            placement=placement,
            position=position,
            starts_at=starts,
            ends_at=ends,
            product_id=f"{brand}:{product}" if product else None,
        )
        for code, name, placement, position, starts, ends, product in BANNERS
    ]
    articles = [
        Article(id=code, slug=slug, title=name, body=body, published_at=published)
        for code, slug, name, body, published in _articles(brand)
    ]
    pages = [
        Page(
            slug="about",
            title=f"About {title}",
            blocks=[
                {"type": "heading", "text": f"About {title}"},
                {"type": "text", "text": f"{title} is a brand of the group."},
                {"type": "image", "url": f"https://img.example.com/{brand}/about.jpg"},
            ],
        ),
        Page(slug="faq", title="FAQ", blocks=[{"type": "text", "text": "Ask us anything."}]),
    ]
    return DemoContent(banners, articles, pages, demo_placements(brand))


def demo_placements(brand: str) -> list[CrossBrandPlacement]:
    """The demo cross-brand placements of `brand` (same values on every call)."""
    settings = RecommendationSettings()
    own = [code for code, _ in profile(brand).categories]
    rows: list[CrossBrandPlacement] = []
    for target_brand in DEMO_BRANDS:
        if target_brand == brand:
            continue
        catalogue = demo_catalogue(target_brand)
        for category, _ in profile(target_brand).categories:
            product = next(p for p in catalogue.products if p.category_id == category)
            source = next((c for c in own if settings.allows(c, category)), None)
            number = len(rows) + 1
            rows.append(
                CrossBrandPlacement(
                    id=f"XB-{number}",
                    target_brand=target_brand,
                    target_product_id=f"{target_brand}:{product.id}",
                    target_category=category,
                    source_category=source,
                    headline=f"You may also like {product.name}",
                    priority=(number * 7) % 5,
                    active=True,
                    starts_at=_at(2024),
                    ends_at=_at(2024, 4) if number == 2 else None,  # ended
                )
            )
    return rows


async def seed_demo(session: AsyncSession, brand: str) -> DemoContent:
    """Insert the demo content of `brand` into an empty content database and commit."""
    demo = demo_content(brand)
    async with transaction(session):
        session.add_all([*demo.banners, *demo.articles, *demo.pages, *demo.placements])
    return demo
