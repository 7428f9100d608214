"""The demo group's members and orders, generated deterministically (no database here).

Same inputs, same output: a fixed random seed and a fixed clock (`DEMO_NOW`). The catalogue
(SKUs with prices) and the cross-brand placements come from the brand subgraphs' own demo
seeds, so orders reference products and recommendations that exist.

Shape: ~1,000 members, each with one to three brand apps (the first is where they joined),
one or two shared addresses and usually a saved payment token; about two thirds consented to
cross-brand use. Orders (a few thousand) mostly buy from the member's own brands; some lines
were bought from a cross-brand recommendation shown in another brand, which is what the
attribution KPIs count. Most orders are delivered; a few are cancelled or refunded.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

DEMO_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SEED = 2026
CONSENT_VERSION = "2026-01"
FAMILY_NAMES = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Lin",
]
GIVEN_NAMES = [
    "Wei",
    "Fang",
    "Na",
    "Min",
    "Jing",
    "Li",
    "Qiang",
    "Lei",
    "Jun",
    "Yan",
    "Yun",
    "Xin",
    "Hui",
    "Ping",
    "Jie",
    "Tao",
    "Ying",
]
CITIES = [
    ("Shanghai", "Shanghai", "200000"),
    ("Beijing", "Beijing", "100000"),
    ("Guangdong", "Shenzhen", "518000"),
    ("Guangdong", "Guangzhou", "510000"),
    ("Zhejiang", "Hangzhou", "310000"),
    ("Sichuan", "Chengdu", "610000"),
    ("Jiangsu", "Nanjing", "210000"),
    ("Hubei", "Wuhan", "430000"),
]
WALLETS = ["WeChat Pay", "UnionPay", "Alipay"]
STREETS = [
    "Nanjing Rd",
    "Huaihai Rd",
    "Chang'an Ave",
    "Shennan Blvd",
    "Tianhe Rd",
    "Wensan Rd",
    "Chunxi Rd",
]


@dataclass(frozen=True)
class DemoSku:
    brand: str
    product_id: str  # brand-scoped, as the catalogue exposes it ("lumen:SKU-1001")
    sku_id: str
    product_name: str
    sku_name: str
    category: str
    price_fen: int


@dataclass(frozen=True)
class DemoPlacement:
    """A cross-brand recommendation slot shown in `brand`, promoting `target_product_id`."""

    brand: str
    id: str
    target_brand: str
    target_product_id: str


@dataclass(frozen=True)
class DemoAddress:
    id: str
    recipient: str
    phone: str
    region: str
    city: str
    line1: str
    postal_code: str
    is_default: bool


@dataclass(frozen=True)
class DemoPaymentMethod:
    id: str
    provider: str
    token: str
    label: str


@dataclass(frozen=True)
class DemoBrandAccount:
    brand: str
    open_id: str
    first_seen_at: datetime


@dataclass(frozen=True)
class DemoConsent:
    granted: bool
    version: str
    channel: str
    at: datetime


@dataclass(frozen=True)
class DemoMember:
    id: str
    union_id: str
    display_name: str
    created_at: datetime
    brand_accounts: tuple[DemoBrandAccount, ...]
    addresses: tuple[DemoAddress, ...]
    payment_methods: tuple[DemoPaymentMethod, ...]
    consents: tuple[DemoConsent, ...]

    @property
    def brands(self) -> list[str]:
        return [a.brand for a in self.brand_accounts]


@dataclass(frozen=True)
class DemoSource:
    kind: str  # RECOMMENDATION | BANNER
    id: str
    brand: str  # the brand whose front-end showed it


@dataclass(frozen=True)
class DemoOrderLine:
    sku: DemoSku
    quantity: int
    source: DemoSource | None

    @property
    def amount_fen(self) -> int:
        return self.sku.price_fen * self.quantity


@dataclass(frozen=True)
class DemoOrder:
    id: str
    member_id: str
    channel_brand: str
    placed_at: datetime
    status: str  # PAID, SHIPPED, DELIVERED, CANCELLED, REFUNDED
    lines: tuple[DemoOrderLine, ...]
    address: DemoAddress
    payment_method: DemoPaymentMethod
    paid_at: datetime | None
    refunded_at: datetime | None

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)


@dataclass
class DemoData:
    brands: list[str]
    skus: list[DemoSku]
    placements: list[DemoPlacement]
    members: list[DemoMember] = field(default_factory=list)
    orders: list[DemoOrder] = field(default_factory=list)

    def paid_orders(self) -> list[DemoOrder]:
        """Orders that were paid (refunded ones included: they were paid first)."""
        return [o for o in self.orders if o.paid_at is not None]


def member_id(n: int) -> str:
    return "mbr_" + hashlib.sha256(f"demo-member-{n}".encode()).hexdigest()[:16]


def generate(
    brands: Sequence[str],
    skus: Sequence[DemoSku],
    placements: Sequence[DemoPlacement],
    *,
    members: int = 1000,
    seed: int = SEED,
    now: datetime = DEMO_NOW,
) -> DemoData:
    if not brands or not skus:
        raise ValueError("the demo needs brands and SKUs")
    rng = random.Random(seed)
    data = DemoData(list(brands), list(skus), list(placements))
    skus_by_brand: dict[str, list[DemoSku]] = {b: [] for b in brands}
    for sku in skus:
        skus_by_brand.setdefault(sku.brand, []).append(sku)
    by_product = {s.product_id: s for s in skus}
    placements_in: dict[str, list[DemoPlacement]] = {}
    for placement in placements:
        if placement.target_product_id in by_product:
            placements_in.setdefault(placement.brand, []).append(placement)
    order_number = 0
    for n in range(1, members + 1):
        member = _member(rng, n, list(brands), now)
        data.members.append(member)
        for _ in range(_order_count(rng)):
            order_number += 1
            order = _order(rng, order_number, member, skus_by_brand, placements_in, by_product, now)
            if order is not None:
                data.orders.append(order)
    data.orders.sort(key=lambda o: (o.placed_at, o.id))
    return data


def _member(rng: random.Random, n: int, brands: list[str], now: datetime) -> DemoMember:
    created = now - timedelta(days=rng.randint(1, 540), minutes=rng.randint(0, 1439))
    count = rng.choices([1, 2, 3], weights=[55, 30, 15])[0]
    own = rng.sample(brands, k=min(count, len(brands)))
    accounts = []
    for i, brand in enumerate(own):
        seen = created if i == 0 else created + timedelta(days=rng.randint(0, 120))
        accounts.append(DemoBrandAccount(brand, f"o{brand[:3]}{n:06d}x{i}", min(seen, now)))
    name = f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}"
    addresses = []
    for i in range(rng.choices([1, 2], weights=[70, 30])[0]):
        region, city, postal = rng.choice(CITIES)
        addresses.append(
            DemoAddress(
                id=f"adr_{n:06d}_{i}",
                recipient=name,
                phone=f"13{rng.randint(100000000, 999999999)}",
                region=region,
                city=city,
                line1=f"{rng.randint(1, 999)} {rng.choice(STREETS)}",
                postal_code=postal,
                is_default=i == 0,
            )
        )
    payment_methods = [
        DemoPaymentMethod(
            id=f"pm_{n:06d}_{i}",
            provider="sandbox",
            token=f"tok_sandbox_{n:06d}_{i}",
            label=f"{rng.choice(WALLETS)} ····{rng.randint(1000, 9999)}",
        )
        for i in range(rng.choices([1, 2], weights=[80, 20])[0])
    ]
    consents: list[DemoConsent] = []
    if rng.random() < 0.68:
        at = created + timedelta(minutes=rng.randint(1, 600))
        consents.append(DemoConsent(True, CONSENT_VERSION, "mini-program", min(at, now)))
        if rng.random() < 0.06:  # some later withdrew
            consents.append(
                DemoConsent(False, CONSENT_VERSION, "settings", min(at + timedelta(days=30), now))
            )
    return DemoMember(
        id=member_id(n),
        union_id=f"ounion{hashlib.sha256(f'union-{n}'.encode()).hexdigest()[:20]}",
        display_name=name,
        created_at=created,
        brand_accounts=tuple(accounts),
        addresses=tuple(addresses),
        payment_methods=tuple(payment_methods),
        consents=tuple(consents),
    )


def _order_count(rng: random.Random) -> int:
    return rng.choices(range(11), weights=[15, 20, 16, 12, 10, 8, 6, 4, 3, 3, 3])[0]


def _order(
    rng: random.Random,
    number: int,
    member: DemoMember,
    skus_by_brand: dict[str, list[DemoSku]],
    placements_in: dict[str, list[DemoPlacement]],
    by_product: dict[str, DemoSku],
    now: datetime,
) -> DemoOrder | None:
    span = (now - member.created_at).total_seconds()
    placed = member.created_at + timedelta(seconds=rng.uniform(0.05, 1.0) * span)
    channel = rng.choice(member.brands)
    lines: list[DemoOrderLine] = []
    for _ in range(rng.choices([1, 2, 3], weights=[50, 35, 15])[0]):
        offered = placements_in.get(channel, [])
        if offered and rng.random() < 0.22:  # bought from a cross-brand recommendation
            placement = rng.choice(offered)
            sku = by_product[placement.target_product_id]
            source = DemoSource("RECOMMENDATION", placement.id, channel)
        else:
            brand = channel if rng.random() < 0.8 else rng.choice(member.brands)
            if not skus_by_brand.get(brand):
                continue
            sku = rng.choice(skus_by_brand[brand])
            source = None
        if any(line.sku.sku_id == sku.sku_id for line in lines):
            continue
        lines.append(DemoOrderLine(sku, rng.choices([1, 2, 3], weights=[75, 20, 5])[0], source))
    if not lines:
        return None
    status = rng.choices(
        ["DELIVERED", "SHIPPED", "PAID", "CANCELLED", "REFUNDED"], weights=[78, 6, 5, 6, 5]
    )[0]
    if (now - placed).days < 3 and status == "DELIVERED":
        status = "PAID"
    paid = None if status == "CANCELLED" else placed + timedelta(minutes=rng.randint(1, 30))
    refunded = None
    if status == "REFUNDED" and paid is not None:
        refunded = min(paid + timedelta(days=rng.randint(1, 14)), now)
    return DemoOrder(
        id=f"ord_{number:07d}",
        member_id=member.id,
        channel_brand=channel,
        placed_at=placed,
        status=status,
        lines=tuple(lines),
        address=rng.choice(member.addresses),
        payment_method=rng.choice(member.payment_methods),
        paid_at=paid,
        refunded_at=refunded,
    )
