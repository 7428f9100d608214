"""Deterministic demo catalogues: about 60 products per brand, 1-3 SKUs each, fen prices, stock.

Every brand uses the codes `SKU-1001` ... `SKU-1060` (`lumen:SKU-1001` and `aurora:SKU-1001`
are different products in different databases) with names and categories that fit the brand:
the five demo brands have their own profile (lumen skincare and makeup, vitalis supplements
and vitamins, cubby baby care and baby food, purely household cleaning and home, aurora
apparel and accessories); any other brand gets lumen's. The first products of a profile are
written by hand (lumen's are the ones the tests name); the rest come from a generator that
uses only arithmetic on the product's index, so every run gives the same rows. Some SKUs are
sold out (stock 0) on purpose.

`seed_demo(session, brand)` inserts them; call `service.announce_catalogue(session, brand)`
once afterwards so the order subgraph's SKU replica fills.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import transaction

from .models import Category, Product, Sku

PRODUCTS_PER_BRAND = 60
FIRST_CODE = 1001

# A variant family: SKU code suffix and name per variant, and the price step between them.
VARIANTS: dict[str, tuple[list[tuple[str, str]], int]] = {
    "volume": ([("30ML", "30 ml"), ("50ML", "50 ml"), ("100ML", "100 ml")], 9000),
    "shade": ([("LIGHT", "Light"), ("MEDIUM", "Medium"), ("DEEP", "Deep")], 0),
    "caps": ([("60C", "60 capsules"), ("120C", "120 capsules"), ("180C", "180 capsules")], 8000),
    "pack": ([("1P", "Single"), ("3P", "Pack of 3"), ("6P", "Pack of 6")], 5000),
    "stage": ([("S1", "Stage 1"), ("S2", "Stage 2"), ("S3", "Stage 3")], 2000),
    "size": ([("S", "S"), ("M", "M"), ("L", "L")], 0),
    "colour": ([("BLACK", "Black"), ("CAMEL", "Camel"), ("IVORY", "Ivory")], 0),
}


@dataclass(frozen=True)
class Line:
    """A product line of a category: noun, description, base price (fen), variant family."""

    noun: str
    description: str
    base_fen: int
    variants: str


@dataclass(frozen=True)
class Profile:
    categories: list[tuple[str, str]]  # code, name (display order)
    adjectives: list[str]
    lines: dict[str, list[Line]]  # category code -> its product lines
    # Hand-written products first: code, name, category, description, SKUs
    # (suffix, name, fen, stock).
    heroes: list[tuple[str, str, str, str, list[tuple[str, str, int, int]]]]


LUMEN = Profile(
    categories=[("skincare", "Skincare"), ("makeup", "Makeup")],
    adjectives=["Silk", "Dew", "Pure", "Bright", "Calm", "Rose", "Jade", "Pearl"],
    lines={
        "skincare": [
            Line("Serum", "A concentrated serum.", 15800, "volume"),
            Line("Cream", "A daily moisturiser.", 18800, "volume"),
            Line("Toner", "A balancing toner.", 9800, "volume"),
            Line("Cleanser", "A gentle foaming cleanser.", 8800, "volume"),
            Line("Sheet Mask", "A hydrating sheet mask.", 4800, "pack"),
            Line("Sunscreen SPF50", "A light daily sunscreen.", 12800, "volume"),
        ],
        "makeup": [
            Line("Lipstick", "A creamy lipstick.", 12800, "shade"),
            Line("Foundation", "A long-wear foundation.", 26800, "shade"),
            Line("Cushion", "A dewy cushion compact.", 22800, "shade"),
            Line("Blush", "A soft powder blush.", 9800, "shade"),
        ],
    },
    heroes=[
        ("SKU-1001", "Glow Serum", "skincare", "A brightening serum.",
         [("30ML", "30 ml", 16800, 12), ("50ML", "50 ml", 25800, 0)]),
        ("SKU-1002", "Hydra Cream", "skincare", "A rich moisturiser.",
         [("50ML", "50 ml", 19800, 5)]),
        ("SKU-1003", "Velvet Lipstick", "makeup", "A matte lipstick.",
         [("RED", "Red", 12800, 30), ("NUDE", "Nude", 12800, 0)]),
        ("SKU-1004", "Couture Foundation", "makeup", "A full-coverage foundation.",
         [("30ML", "30 ml", 68800, 0)]),
        ("SKU-1005", "Glow Mist", "skincare", "A hydrating face mist.",
         [("100ML", "100 ml", 9800, 40)]),
    ],
)  # fmt: skip

PROFILES: dict[str, Profile] = {
    "lumen": LUMEN,
    "vitalis": Profile(
        categories=[("supplements", "Supplements"), ("vitamins", "Vitamins")],
        adjectives=["Daily", "Active", "Pure", "Ocean", "Vital", "Gold", "Green", "Prime"],
        lines={
            "supplements": [
                Line("Fish Oil", "Omega-3 from wild fish.", 16800, "caps"),
                Line("Probiotic", "Ten strains for the gut.", 19800, "caps"),
                Line("Collagen", "Marine collagen peptides.", 22800, "caps"),
                Line("Protein Powder", "Whey protein, unflavoured.", 29800, "pack"),
                Line("Lutein", "For tired eyes.", 13800, "caps"),
            ],
            "vitamins": [
                Line("Vitamin C", "1000 mg vitamin C.", 7800, "caps"),
                Line("Vitamin D3", "2000 IU vitamin D3.", 6800, "caps"),
                Line("Multivitamin", "A complete daily multivitamin.", 12800, "caps"),
                Line("B Complex", "All eight B vitamins.", 8800, "caps"),
            ],
        },
        heroes=[],
    ),
    "cubby": Profile(
        categories=[("baby-care", "Baby Care"), ("baby-food", "Baby Food")],
        adjectives=["Soft", "Tiny", "Cozy", "Gentle", "Happy", "Cloud", "Sunny", "Little"],
        lines={
            "baby-care": [
                Line("Diapers", "Breathable diapers.", 12800, "pack"),
                Line("Wipes", "Water wipes, unscented.", 3800, "pack"),
                Line("Baby Lotion", "A mild body lotion.", 6800, "volume"),
                Line("Baby Wash", "A tear-free wash.", 5800, "volume"),
                Line("Rash Cream", "A zinc barrier cream.", 4800, "volume"),
            ],
            "baby-food": [
                Line("Rice Cereal", "Iron-fortified rice cereal.", 4800, "stage"),
                Line("Fruit Puree", "Organic fruit puree.", 2800, "stage"),
                Line("Veggie Puffs", "Melt-in-the-mouth puffs.", 2400, "pack"),
                Line("Formula", "Infant formula.", 32800, "stage"),
            ],
        },
        heroes=[],
    ),
    "purely": Profile(
        categories=[("household-cleaning", "Household Cleaning"), ("home", "Home")],
        adjectives=["Fresh", "Clear", "Lemon", "Eco", "Spark", "Mint", "Cedar", "Breeze"],
        lines={
            "household-cleaning": [
                Line("Dish Liquid", "Cuts grease, kind to hands.", 1800, "pack"),
                Line("Laundry Liquid", "Concentrated laundry liquid.", 4800, "pack"),
                Line("Floor Cleaner", "For tiles and wood.", 3200, "pack"),
                Line("Glass Spray", "Streak-free glass spray.", 2200, "pack"),
                Line("Bathroom Foam", "Lifts limescale.", 2800, "pack"),
            ],
            "home": [
                Line("Bath Towel", "Long-staple cotton towel.", 8800, "colour"),
                Line("Storage Box", "Stackable storage box.", 5800, "pack"),
                Line("Scented Candle", "A 40-hour soy candle.", 9800, "pack"),
                Line("Bed Sheet", "Percale cotton sheet.", 19800, "size"),
            ],
        },
        heroes=[],
    ),
    "aurora": Profile(
        categories=[("apparel", "Apparel"), ("accessories", "Accessories")],
        adjectives=["Silk", "Linen", "Cashmere", "Classic", "Studio", "Atelier", "Noir", "Dune"],
        lines={
            "apparel": [
                Line("Blouse", "A fluid blouse.", 59800, "size"),
                Line("Shirt", "A crisp shirt.", 49800, "size"),
                Line("Coat", "A tailored coat.", 189800, "size"),
                Line("Dress", "A midi dress.", 89800, "size"),
                Line("Trousers", "Wide-leg trousers.", 69800, "size"),
            ],
            "accessories": [
                Line("Scarf", "A printed scarf.", 29800, "colour"),
                Line("Belt", "A leather belt.", 39800, "colour"),
                Line("Tote", "A canvas and leather tote.", 99800, "colour"),
                Line("Sunglasses", "Acetate sunglasses.", 79800, "colour"),
            ],
        },
        heroes=[],
    ),
}


@dataclass(frozen=True)
class DemoCatalogue:
    categories: list[Category]
    products: list[Product]
    skus: list[Sku]


def profile(brand: str) -> Profile:
    return PROFILES.get(brand, LUMEN)


def brand_title(brand: str) -> str:
    return brand.replace("-", " ").replace("_", " ").title()


def _generated(profile: Profile, index: int) -> tuple[str, str, Line]:
    """The category, adjective and line of the `index`-th generated product: categories take
    turns, each walks its lines, and the adjective changes once a category's lines ran out,
    so (adjective, line) pairs do not repeat within 60 products."""
    codes = [code for code, _ in profile.categories]
    category = codes[index % len(codes)]
    lines = profile.lines[category]
    turn = index // len(codes)
    line = lines[turn % len(lines)]
    adjective = profile.adjectives[(turn // len(lines)) % len(profile.adjectives)]
    return category, adjective, line


def _generated_skus(code: str, index: int, line: Line) -> list[tuple[str, str, int, int]]:
    options, step = VARIANTS[line.variants]
    count = 1 + (index * 7) % 3  # 1, 2 or 3 SKUs
    base = line.base_fen + ((index * 37) % 5) * 1000  # whole yuan, varied per product
    skus = []
    for k in range(count):
        suffix, name = options[k]
        stock = 0 if (index + k) % 6 == 0 else (index * 13 + k * 29) % 80 + 1
        skus.append((suffix, name, base + k * step, stock))
    return skus


def demo_catalogue(brand: str) -> DemoCatalogue:
    """The demo rows of `brand` (new objects on every call; same values for the same brand)."""
    chosen = profile(brand)
    title = brand_title(brand)
    categories = [
        Category(id=code, name=name, position=i) for i, (code, name) in enumerate(chosen.categories)
    ]
    entries = list(chosen.heroes)
    for index in range(PRODUCTS_PER_BRAND - len(entries)):
        code = f"SKU-{FIRST_CODE + len(chosen.heroes) + index}"
        category, adjective, line = _generated(chosen, index)
        entries.append(
            (
                code,
                f"{adjective} {line.noun}",
                category,
                line.description,
                _generated_skus(code, index, line),
            )
        )
    products: list[Product] = []
    skus: list[Sku] = []
    for code, name, category, description, variants in entries:
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
