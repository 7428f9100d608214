"""The cross-brand recommendation rules: pure functions, no database, no GraphQL.

`recommend(signals, brand, placements, now, settings, impressions=..., first=...)` gives the
placements to show a member in `brand`'s app, best first, each with a reason:

1. Consent: without the member's cross-brand consent, nothing at all.
2. Intensity (how many at most), by stage: a first visit (no orders, first seen within
   `first_visit_hours`) 0; a signed-up member without orders 1; a buyer 2; a repeat buyer
   (`repeat_buyer_orders` or more) 4. A last order within `recent_order_days` adds one, one
   older than `stale_order_days` takes one away; the result is capped at `max_intensity`.
   `first` (the field's argument) lowers it further.
3. Eligibility of a placement: active, inside its window (`starts_at <= now < ends_at`),
   never the own brand, under the per-day frequency cap (when set), and compatible by
   category: a placement with a source category needs the member to have purchased in it and
   the matrix to allow the target next to it; one without needs, when the member purchased
   anything, one purchased category the matrix allows the target next to.
4. Order: brand affinity first (target brands the member purchased from, then brands whose
   app they used), then placement priority (higher first), then ID. One per target product.

Reasons: `brand-purchased`, `brand-used`, `pairs-with:<category>`, `discovery` (a member
without purchases, a placement that pairs with anything).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .settings import RecommendationSettings

BRAND_PURCHASED = "brand-purchased"
BRAND_USED = "brand-used"
PAIRS_WITH = "pairs-with:"
DISCOVERY = "discovery"


@dataclass(frozen=True)
class MemberSignals:
    """What the member subgraph knows of the member (the field's @requires)."""

    consent_granted: bool
    first_seen_at: datetime | None = None
    orders_count: int = 0
    last_order_at: datetime | None = None
    brands_used: frozenset[str] = frozenset()
    brands_purchased: frozenset[str] = frozenset()
    categories_purchased: frozenset[str] = frozenset()

    @classmethod
    def from_representation(cls, representation: Mapping[str, Any]) -> MemberSignals:
        """From a `Member` representation as the gateway sends it (camelCase, ISO times).
        Anything missing or malformed counts against showing: no consent, a first visit."""
        consent = representation.get("crossBrandConsent")
        granted = isinstance(consent, Mapping) and consent.get("granted") is True
        engagement = representation.get("engagement")
        if not isinstance(engagement, Mapping):
            engagement = {}
        orders = engagement.get("ordersCount")
        return cls(
            consent_granted=granted,
            first_seen_at=parse_time(engagement.get("firstSeenAt")),
            orders_count=orders if isinstance(orders, int) and not isinstance(orders, bool) else 0,
            last_order_at=parse_time(engagement.get("lastOrderAt")),
            brands_used=_codes(engagement.get("brandsUsed")),
            brands_purchased=_codes(engagement.get("brandsPurchased")),
            categories_purchased=_codes(engagement.get("categoriesPurchased")),
        )


@dataclass(frozen=True)
class Placement:
    """A cross-brand placement of the showing brand (IDs as the schema shows them)."""

    id: str
    target_brand: str
    target_product_id: str
    target_category: str
    headline: str
    source_category: str | None = None
    priority: int = 0
    active: bool = True
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def live(self, at: datetime) -> bool:
        return (
            self.active
            and (self.starts_at is None or self.starts_at <= at)
            and (self.ends_at is None or at < self.ends_at)
        )


@dataclass(frozen=True)
class Recommendation:
    placement: Placement
    reason: str


def stage(signals: MemberSignals, now: datetime, settings: RecommendationSettings) -> str:
    if signals.orders_count <= 0:
        first_seen = signals.first_seen_at
        new = first_seen is None or now - first_seen < timedelta(hours=settings.first_visit_hours)
        return "first_visit" if new else "member"
    if signals.orders_count < settings.repeat_buyer_orders:
        return "buyer"
    return "repeat_buyer"


def intensity(signals: MemberSignals, now: datetime, settings: RecommendationSettings) -> int:
    """How many recommendations the member may see at most (0 without consent)."""
    if not signals.consent_granted:
        return 0
    current = stage(signals, now, settings)
    count = settings.intensity[current]
    last = signals.last_order_at
    if current in ("buyer", "repeat_buyer") and last is not None and count > 0:
        age = now - last
        if age <= timedelta(days=settings.recent_order_days):
            count += 1
        elif age > timedelta(days=settings.stale_order_days):
            count -= 1
    return max(0, min(count, settings.max_intensity))


def pairing(
    placement: Placement, signals: MemberSignals, settings: RecommendationSettings
) -> str | None:
    """The category the placement pairs with for this member ("" when the member purchased
    nothing and the placement pairs with anything); None when the matrix rules it out."""
    purchased = signals.categories_purchased
    target = placement.target_category
    source = placement.source_category
    if source is not None:
        return source if source in purchased and settings.allows(source, target) else None
    if not purchased:
        return ""
    return next((c for c in sorted(purchased) if settings.allows(c, target)), None)


def recommend(
    signals: MemberSignals,
    brand: str,
    placements: Iterable[Placement],
    now: datetime,
    settings: RecommendationSettings,
    *,
    impressions: Mapping[str, int] | None = None,
    first: int | None = None,
) -> list[Recommendation]:
    """The recommendations to show, best first (see the module's rules)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    limit = intensity(signals, now, settings)
    if first is not None:
        limit = min(limit, max(0, first))
    if limit == 0:
        return []
    shown = impressions or {}
    cap = settings.frequency_cap_per_day
    candidates: list[tuple[tuple[int, int, str], Recommendation]] = []
    for placement in placements:
        if placement.target_brand == brand or not placement.live(now):
            continue
        if cap is not None and shown.get(placement.id, 0) >= cap:
            continue
        paired = pairing(placement, signals, settings)
        if paired is None:
            continue
        affinity, reason = _affinity(placement.target_brand, signals)
        if reason is None:
            reason = f"{PAIRS_WITH}{paired}" if paired else DISCOVERY
        key = (-affinity, -placement.priority, placement.id)
        candidates.append((key, Recommendation(placement, reason)))
    chosen: list[Recommendation] = []
    products: set[str] = set()
    for _, recommendation in sorted(candidates, key=lambda item: item[0]):
        product = recommendation.placement.target_product_id
        if product in products:
            continue
        products.add(product)
        chosen.append(recommendation)
        if len(chosen) == limit:
            break
    return chosen


def _affinity(target_brand: str, signals: MemberSignals) -> tuple[int, str | None]:
    if target_brand in signals.brands_purchased:
        return 2, BRAND_PURCHASED
    if target_brand in signals.brands_used:
        return 1, BRAND_USED
    return 0, None


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time (a `DateTime` as the member subgraph serialises it), aware UTC; naive
    times are taken as UTC; None for anything else."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _codes(value: Any) -> frozenset[str]:
    if not isinstance(value, list | tuple):
        return frozenset()
    return frozenset(item for item in value if isinstance(item, str) and item)
