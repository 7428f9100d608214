"""Deterministic demo data for one brand's catalogue (tests now; the demo seed command later).

Every brand gets the same codes (`SKU-1001` ...) with its own names, so `lumen:SKU-1001` and
`aurora:SKU-1001` are different products in different databases.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import transaction

from .models import Category, Product, Sku

CATEGORIES = [("skincare", "Skincare"), ("makeup", "Makeup"), ("fragrance", "Fragrance")]
# code, name (after the brand's title), category, description, SKUs (suffix, name, fen, stock)
PRODUCTS = [
    ("SKU-1001", "Glow Serum", "skincare", "A brightening serum.",
     [("30ML", "30 ml", 16800, 12), ("50ML", "50 ml", 25800, 0)]),
    ("SKU-1002", "Hydra Cream", "skincare", "A rich moisturiser.",
     [("50ML", "50 ml", 19800, 5)]),
    ("SKU-1003", "Velvet Lipstick", "makeup", "A matte lipstick.",
     [("RED", "Red", 12800, 30), ("NUDE", "Nude", 12800, 0)]),
    ("SKU-1004", "Night Bloom Eau de Parfum", "fragrance", "A floral evening scent.",
     [("100ML", "100 ml", 68800, 0)]),
    ("SKU-1005", "Glow Mist", "skincare", "A hydrating face mist.",
     [("100ML", "100 ml", 9800, 40)]),
]  # fmt: skip


@dataclass(frozen=True)
class DemoCatalogue:
    categories: list[Category]
    products: list[Product]
    skus: list[Sku]


def demo_catalogue(brand: str) -> DemoCatalogue:
    """The demo rows of `brand` (new objects on every call; same values for the same brand)."""
    title = brand.replace("-", " ").replace("_", " ").title()
    categories = [
        Category(id=code, name=name, position=i) for i, (code, name) in enumerate(CATEGORIES)
    ]
    products: list[Product] = []
    skus: list[Sku] = []
    for code, name, category, description, variants in PRODUCTS:
        products.append(
            Product(id=code, name=f"{title} {name}", description=description, category_id=category)
        )
        for position, (suffix, variant, price_fen, stock) in enumerate(variants):
            skus.append(
                Sku(
                    id=f"{code}-{suffix}",
                    product_id=code,
                    name=variant,
                    price_fen=price_fen,
                    stock=stock,
                    position=position,
                )
            )
    return DemoCatalogue(categories, products, skus)


async def seed_demo(session: AsyncSession, brand: str) -> DemoCatalogue:
    """Insert the demo catalogue of `brand` into an empty catalogue database and commit."""
    demo = demo_catalogue(brand)
    async with transaction(session):
        session.add_all(demo.categories)
        await session.flush()
        session.add_all(demo.products)
        await session.flush()
        session.add_all(demo.skus)
    return demo
