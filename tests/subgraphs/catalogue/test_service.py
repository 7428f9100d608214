from __future__ import annotations

import pytest

from subgraphs.catalogue.seed import demo_catalogue
from subgraphs.catalogue.service import (
    CatalogueError,
    local_code,
    page_size,
    stock_available,
)


async def test_stock_available(app):
    async with app.state.database.session() as session:
        assert await stock_available(session, "SKU-1001-30ML", 12)
        assert not await stock_available(session, "SKU-1001-30ML", 13)
        assert not await stock_available(session, "SKU-1001-50ML", 1)
        assert not await stock_available(session, "SKU-NOPE", 1)
        with pytest.raises(CatalogueError):
            await stock_available(session, "SKU-1001-30ML", 0)


def test_ids_and_pages():
    assert local_code("lumen", "lumen:SKU-1") == "SKU-1"
    assert local_code("lumen", "lumen:a:b") == "a:b"
    assert [local_code("lumen", v) for v in ("aurora:SKU-1", "SKU-1", "lumen:")] == [None] * 3
    assert (page_size(None), page_size(5), page_size(1000)) == (20, 5, 100)


def test_demo_data_is_deterministic_and_brand_specific():
    def values(brand):
        demo = demo_catalogue(brand)
        return [r.model_dump() for r in [*demo.categories, *demo.products, *demo.skus]]

    assert values("lumen") == values("lumen")
    lumen, aurora = demo_catalogue("lumen"), demo_catalogue("aurora")
    assert [p.id for p in lumen.products] == [p.id for p in aurora.products]
    assert lumen.products[0].name == "Lumen Glow Serum"
    assert aurora.products[0].name == "Aurora Silk Blouse"  # each demo brand its own range
    assert {c.id for c in aurora.categories} == {"apparel", "accessories"}
