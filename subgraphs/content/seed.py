"""Deterministic demo content for one brand (tests now; the demo seed command later).

Every brand gets the same codes (`BANNER-1` ...) with its own titles, so `lumen:BANNER-1` and
`aurora:BANNER-1` are different banners in different databases. Banners advertise the brand's
own demo products (`<brand>:SKU-1001` ..., see the catalogue's seed). Windows and publication
times are fixed dates, so what is live is the same on every run: on the home placement one
banner has ended and one only starts in 2999.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import transaction

from .models import Article, Banner, Page


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


@dataclass(frozen=True)
class DemoContent:
    banners: list[Banner]
    articles: list[Article]
    pages: list[Page]


def demo_content(brand: str) -> DemoContent:
    """The demo rows of `brand` (new objects on every call; same values for the same brand)."""
    title = brand.replace("-", " ").replace("_", " ").title()
    banners = [
        Banner(
            id=code,
            title=f"{title} {name}",
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
        for code, slug, name, body, published in ARTICLES
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
    return DemoContent(banners, articles, pages)


async def seed_demo(session: AsyncSession, brand: str) -> DemoContent:
    """Insert the demo content of `brand` into an empty content database and commit."""
    demo = demo_content(brand)
    async with transaction(session):
        session.add_all([*demo.banners, *demo.articles, *demo.pages])
    return demo
