from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from subgraphs.content.seed import demo_content
from subgraphs.content.service import (
    ContentError,
    active_banners,
    banner_active,
    local_code,
    page_by_slug,
    page_size,
    published_articles,
)

from .conftest import NOW


def at(year: int, month: int = 1, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


async def test_active_banners_by_placement_window_and_position(app):
    async with app.state.database.session() as session:

        async def codes(placement: str, when: datetime) -> list[str]:
            return [b.id for b in await active_banners(session, placement, when)]

        assert await codes("home", NOW) == ["BANNER-2", "BANNER-1", "BANNER-6"]
        # inside the Spring Sale window (position 0 comes first); Glow Week starts 2024-01-01
        assert await codes("home", at(2024, 2)) == ["BANNER-3", "BANNER-2", "BANNER-1", "BANNER-6"]
        assert await codes("home", at(2023)) == ["BANNER-2", "BANNER-6"]
        # start inclusive, end exclusive
        assert "BANNER-1" in await codes("home", at(2024))
        assert "BANNER-3" not in await codes("home", at(2024, 4))
        assert "BANNER-3" in await codes("home", at(2024, 4) - timedelta(microseconds=1))
        assert await codes("home", at(2999)) == ["BANNER-4", "BANNER-2", "BANNER-1"]
        assert await codes("product", NOW) == ["BANNER-5"]
        assert await codes("nowhere", NOW) == []
        # another offset, same instant
        east = NOW.astimezone(timezone(timedelta(hours=8)))
        assert await codes("home", east) == await codes("home", NOW)
        with pytest.raises(ContentError):
            await active_banners(session, "home", datetime(2025, 1, 1))  # naive


def test_banner_active_matches_the_query_rule():
    banners = {b.id: b for b in demo_content("lumen").banners}
    assert banner_active(banners["BANNER-1"], NOW)
    assert not banner_active(banners["BANNER-3"], NOW)
    assert banner_active(banners["BANNER-3"], at(2024, 3))
    assert not banner_active(banners["BANNER-4"], NOW)
    assert banner_active(banners["BANNER-4"], at(2999))
    assert not banner_active(banners["BANNER-6"], at(2999))


async def test_published_articles_newest_first_without_drafts(app):
    async with app.state.database.session() as session:

        async def slugs(**kwargs) -> list[str]:
            return [a.slug for a in await published_articles(session, **kwargs)]

        every = ["night-routine", "mist-or-toner", "serum-101"]
        assert await slugs(at=NOW) == every
        assert await slugs(at=NOW, first=2) == every[:2]
        assert await slugs(at=NOW, first=0) == []
        assert await slugs(at=at(2024, 5, 15)) == ["mist-or-toner", "serum-101"]
        assert await slugs(at=at(2024)) == []
        with pytest.raises(ContentError):
            await published_articles(session, first=-1)


async def test_page_by_slug(app):
    async with app.state.database.session() as session:
        page = await page_by_slug(session, "about")
        assert page is not None and page.title == "About Lumen"
        assert page.blocks[0] == {"type": "heading", "text": "About Lumen"}
        assert await page_by_slug(session, "nope") is None


def test_ids_and_pages():
    assert local_code("lumen", "lumen:BANNER-1") == "BANNER-1"
    assert [local_code("lumen", v) for v in ("aurora:BANNER-1", "BANNER-1", "lumen:")] == [None] * 3
    assert (page_size(None), page_size(5), page_size(1000)) == (10, 5, 100)


def test_demo_data_is_deterministic_and_brand_specific():
    def values(brand):
        demo = demo_content(brand)
        return [r.model_dump() for r in [*demo.banners, *demo.articles, *demo.pages]]

    assert values("lumen") == values("lumen")
    lumen, aurora = demo_content("lumen"), demo_content("aurora")
    assert [b.id for b in lumen.banners] == [b.id for b in aurora.banners]
    assert lumen.banners[0].title == "Lumen Glow Week"
    assert aurora.banners[0].product_id == "aurora:SKU-1001"
