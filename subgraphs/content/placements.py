"""Cross-brand placements (staff manage them), impressions and the member's erasure.

- `upsert_placement`: creates or replaces a placement of this brand after validation: its ID
  is this brand's (`lumen:XB-1`), the target is another brand's product
  (`vitalis:SKU-2001`), the categories are known and the matrix allows the target next to the
  source category; a window ends after it starts.
- `active_placements`: the placements switched on (windows are the rules' business).
- Impressions (only recorded while a frequency cap is configured): `impressions_today` counts
  a member's showings per placement since the start of the UTC day; `record_impressions`
  adds them.
- `erase_member` (consumer `content-<brand>` of `member.erased`): deletes the member's
  impressions and records `erasure.completed` in the same transaction.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.brand_ids import check_brand, global_id, local_code
from subgraphs.common.database import transaction
from subgraphs.common.events import EVENT_ID_LENGTH, record_event

from .models import CODE_LENGTH, CrossBrandPlacement, Impression, utc
from .recommendations import Placement, RecommendationSettings
from .service import ContentError

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
HEADLINE_LENGTH = 200
MEMBER_ERASED = "member.erased"
ERASURE_COMPLETED = "erasure.completed"

log = logging.getLogger("brand_matrix.content")


class NotFound(ContentError):
    def __init__(self, message: str) -> None:
        super().__init__(message, "NOT_FOUND")


@dataclass(frozen=True)
class PlacementInput:
    id: str  # brand-scoped, e.g. "lumen:XB-1"
    target_brand: str
    target_product_id: str
    target_category: str
    headline: str
    source_category: str | None = None
    priority: int = 0
    active: bool = True
    starts_at: datetime | None = None
    ends_at: datetime | None = None


def _code(brand: str, placement_id: str) -> str:
    code = local_code(brand, placement_id)
    if code is None or len(code) > CODE_LENGTH or not CODE.match(code):
        raise ContentError(
            f"a placement id must read '{brand}:<code>' (letters, digits, '-', '_'), "
            f"not {placement_id!r}"
        )
    return code


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ContentError(f"{name} must be timezone-aware")
    return None if value is None else value.astimezone(UTC)


def validate(brand: str, data: PlacementInput, settings: RecommendationSettings) -> None:
    try:
        check_brand(data.target_brand)
    except ValueError:
        raise ContentError(f"invalid target brand {data.target_brand!r}") from None
    if data.target_brand == brand:
        raise ContentError("a cross-brand placement must promote another brand")
    if local_code(data.target_brand, data.target_product_id) is None:
        raise ContentError(
            f"targetProductId must be a product of {data.target_brand} "
            f"('{data.target_brand}:<code>'), not {data.target_product_id!r}"
        )
    for name, category in (("targetCategory", data.target_category),
                           ("sourceCategory", data.source_category)):  # fmt: skip
        if category is not None and category not in settings.categories:
            raise ContentError(
                f"{name}: unknown category {category!r} "
                f"(known: {', '.join(sorted(settings.categories))})"
            )
    source = data.source_category
    if source is not None and not settings.allows(source, data.target_category):
        raise ContentError(
            f"the category matrix does not allow {data.target_category} next to {source}"
        )
    headline = data.headline.strip()
    if not headline or len(headline) > HEADLINE_LENGTH:
        raise ContentError(f"headline must have 1 to {HEADLINE_LENGTH} characters")
    starts, ends = _aware(data.starts_at, "startsAt"), _aware(data.ends_at, "endsAt")
    if starts is not None and ends is not None and ends <= starts:
        raise ContentError("endsAt must be after startsAt")


async def upsert_placement(
    session: AsyncSession, brand: str, data: PlacementInput, settings: RecommendationSettings
) -> CrossBrandPlacement:
    code = _code(brand, data.id)
    validate(brand, data, settings)
    async with transaction(session):
        row = await session.get(CrossBrandPlacement, code, with_for_update=True)
        if row is None:
            row = CrossBrandPlacement(id=code)
        row.target_brand = data.target_brand
        row.target_product_id = data.target_product_id
        row.target_category = data.target_category
        row.source_category = data.source_category
        row.headline = data.headline.strip()
        row.priority = data.priority
        row.active = data.active
        row.starts_at = _aware(data.starts_at, "startsAt")
        row.ends_at = _aware(data.ends_at, "endsAt")
        session.add(row)
    return row


async def set_placement_active(
    session: AsyncSession, brand: str, placement_id: str, active: bool
) -> CrossBrandPlacement:
    code = local_code(brand, placement_id)
    async with transaction(session):
        row = None
        if code is not None:
            row = await session.get(CrossBrandPlacement, code, with_for_update=True)
        if row is None:
            raise NotFound(f"no cross-brand placement {placement_id!r} in {brand}")
        row.active = active
        session.add(row)
    return row


async def list_placements(session: AsyncSession) -> Sequence[CrossBrandPlacement]:
    query = select(CrossBrandPlacement).order_by(
        col(CrossBrandPlacement.priority).desc(), col(CrossBrandPlacement.id)
    )
    return (await session.exec(query)).all()


async def active_placements(session: AsyncSession) -> Sequence[CrossBrandPlacement]:
    query = (
        select(CrossBrandPlacement)
        .where(col(CrossBrandPlacement.active).is_(True))
        .order_by(col(CrossBrandPlacement.id))
    )
    return (await session.exec(query)).all()


def as_rule_placement(brand: str, row: CrossBrandPlacement) -> Placement:
    """A row as the rules see it; its ID is the code (impressions are counted by code)."""
    return Placement(
        id=row.id,
        target_brand=row.target_brand,
        target_product_id=row.target_product_id,
        target_category=row.target_category,
        source_category=row.source_category,
        headline=row.headline,
        priority=row.priority,
        active=row.active,
        starts_at=utc(row.starts_at),
        ends_at=utc(row.ends_at),
    )


def day_start(at: datetime) -> datetime:
    at = at.astimezone(UTC)
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


async def impressions_today(
    session: AsyncSession, member_ids: Sequence[str], now: datetime
) -> dict[str, dict[str, int]]:
    """member id -> placement code -> showings since the start of `now`'s UTC day."""
    query = (
        select(Impression.member_id, Impression.placement_id, sa.func.count())
        .where(col(Impression.member_id).in_(member_ids))
        .where(col(Impression.shown_at) >= day_start(now))
        .group_by(col(Impression.member_id), col(Impression.placement_id))
    )
    counts: dict[str, dict[str, int]] = {}
    for member_id, placement_id, count in (await session.exec(query)).all():
        counts.setdefault(member_id, {})[placement_id] = int(count)
    return counts


async def record_impressions(
    session: AsyncSession, member_id: str, placement_codes: Iterable[str], now: datetime
) -> None:
    async with transaction(session):
        session.add_all(
            Impression(member_id=member_id, placement_id=code, shown_at=now.astimezone(UTC))
            for code in placement_codes
        )


def erasure_event_id(brand: str, request_id: str) -> str:
    """Deterministic and unique across brands (the bus de-duplicates by event id)."""
    event_id = f"erasure:{request_id}:content:{brand}"
    if len(event_id) <= EVENT_ID_LENGTH:
        return event_id
    digest = hashlib.sha256(event_id.encode()).hexdigest()[:32]
    return f"erasure:{digest}:content:{brand}"[:EVENT_ID_LENGTH]


async def erase_member(session: AsyncSession, brand: str, payload: Mapping[str, Any]) -> int:
    """Delete the member's impressions and record `erasure.completed` (in the caller's
    transaction); the number of impressions deleted."""
    member_id = str(payload.get("memberId") or "")
    request_id = str(payload.get("requestId") or "")
    if not member_id:
        # Retrying cannot fix a malformed event: log it, mark it handled.
        log.error("member.erased without a memberId: %r", dict(payload))
        return 0
    result = await session.exec(sa.delete(Impression).where(col(Impression.member_id) == member_id))
    record_event(
        session,
        ERASURE_COMPLETED,
        {"memberId": member_id, "requestId": request_id, "participant": f"content:{brand}"},
        event_id=erasure_event_id(brand, request_id or member_id),
    )
    return result.rowcount or 0


def placement_global_id(brand: str, row: CrossBrandPlacement) -> str:
    return global_id(brand, row.id)
